//! A cheap, deterministic RGB pattern so every generated image has real, varied pixels.

/// RGB8 pixels (`width * height * 3` bytes): smooth gradients shifted by `tag`, so images made
/// from different metadata differ while compressing well and costing almost nothing to draw.
pub fn rgb_pattern(width: u32, height: u32, tag: u32) -> Vec<u8> {
    let (w, h) = (width.max(1) as usize, height.max(1) as usize);
    let [t0, t1, t2, t3] = tag.to_le_bytes();
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        let gy = (y * 255 / h) as u8;
        for x in 0..w {
            let gx = (x * 255 / w) as u8;
            let diagonal = ((x + y) / 4) as u8;
            out.push(gx.wrapping_add(t0));
            out.push(gy.wrapping_add(t1));
            out.push(diagonal.wrapping_mul(t3 | 1).wrapping_add(t2));
        }
    }
    out
}

/// A tag for [`rgb_pattern`] derived from any bytes (the metadata an image carries).
pub fn tag_of(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}
