//! Large originals asked at once: eight 16-bit RGBA PNGs just under the 40-megapixel cap each
//! get a real thumbnail and a real screen rendition, in their own proportions.

use std::io::Write;

use crate::support::TestLibrary;
use crate::support::app::TestApp;

/// 5160 x 7740 (2:3) is 39.9 megapixels: 319 MB decoded at 16 bits per channel with alpha.
const WIDTH: u32 = 5160;
const HEIGHT: u32 = 7740;

/// A 16-bit RGBA PNG dark on the left and bright on the right, every row alike, so that it
/// compresses to a few hundred kilobytes.
fn large_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Sixteen);
    let mut writer = encoder.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row: Vec<u8> = (0..WIDTH)
        .flat_map(|x| {
            let level = (u64::from(x) * 65_535 / u64::from(WIDTH - 1)) as u16;
            [level, level, level, u16::MAX]
        })
        .flat_map(u16::to_be_bytes)
        .collect();
    for _ in 0..HEIGHT {
        stream.write_all(&row).unwrap();
    }
    stream.finish().unwrap();
    drop(writer);
    bytes
}

#[tokio::test]
async fn eight_large_16_bit_pngs_asked_at_once_all_get_a_thumbnail_and_a_screen_rendition() {
    let lib = TestLibrary::empty();
    let session = lib.root.join("20261126_040000-large");
    std::fs::create_dir_all(&session).unwrap();
    let png = large_png();
    for i in 0..8 {
        std::fs::write(session.join(format!("{i:05}.png")), &png).unwrap();
    }
    lib.import();
    let app = TestApp::serve(lib).await;
    let alice = app.browser("alice", "viewer").await;
    let ids: Vec<i64> = (0..8)
        .map(|i| {
            app.lib.count(&format!(
                "SELECT id AS value FROM images ORDER BY id LIMIT 1 OFFSET {i}"
            ))
        })
        .collect();
    for (rendition, size) in [("thumb", (267, 400)), ("screen", (1067, 1600))] {
        let requests: Vec<_> = ids
            .iter()
            .map(|id| {
                let request = alice
                    .client
                    .get(format!("{}/images/{id}/{rendition}", alice.base));
                tokio::spawn(async move {
                    let response = request.send().await.unwrap();
                    let status = response.status();
                    let kind = response.headers()["content-type"].clone();
                    (status, kind, response.bytes().await.unwrap())
                })
            })
            .collect();
        for request in requests {
            let (status, kind, bytes) = request.await.unwrap();
            assert_eq!(status, 200, "{rendition}");
            assert_eq!(kind, "image/jpeg", "{rendition}: not the placeholder");
            let image = image::load_from_memory(&bytes).unwrap().to_luma8();
            assert_eq!(image.dimensions(), size, "{rendition}");
            let (left, right) = (
                image.get_pixel(2, 10).0[0],
                image.get_pixel(size.0 - 3, 10).0[0],
            );
            assert!(
                left < 10 && right > 245,
                "{rendition}: dark to bright, got {left} and {right}"
            );
        }
    }
}
