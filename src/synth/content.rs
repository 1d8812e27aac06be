//! The bytes of one planned file: a good image, a ComfyUI PNG, or one of the broken kinds.

use std::io::Result;

use super::comfy::{comfy_prompt, comfy_workflow};
use super::exif_file::{jpeg_bytes, webp_bytes};
use super::plan::{Content, FilePlan, Format, SessionPlan};
use super::png_file::{TextChunk, TextKind, is_latin1, png_bytes, truncate_in_idat};
use super::recipe::ImageMeta;

const LARGE: (u32, u32) = (512, 768);
/// Small images are the requested size divided by this.
const SCALE_DOWN: u32 = 8;

pub(crate) fn file_bytes(
    session: &SessionPlan,
    file: &FilePlan,
    meta: &ImageMeta,
) -> Result<Vec<u8>> {
    let recipe = &session.recipe;
    let (width, height) = if file.large {
        LARGE
    } else {
        (
            (recipe.width / SCALE_DOWN).max(1),
            (recipe.height / SCALE_DOWN).max(1),
        )
    };
    match file.content {
        Content::ZeroByte => Ok(Vec::new()),
        Content::TextFile => Ok(error_page(file.meta).into_bytes()),
        Content::Comfy => {
            let prompt = comfy_prompt(recipe, meta).to_string();
            let workflow = comfy_workflow(meta).to_string();
            let chunks = [
                TextChunk::new(latin1_or_itxt(TextKind::Text, &prompt), "prompt", &prompt),
                TextChunk::new(
                    latin1_or_itxt(TextKind::Text, &workflow),
                    "workflow",
                    &workflow,
                ),
            ];
            png_bytes(width, height, &chunks)
        }
        Content::Params | Content::Truncated => {
            let text = recipe.infotext(meta);
            let bytes = match file.format {
                Format::Jpeg => jpeg_bytes(width, height, Some(&text))?,
                Format::Webp(exif) => webp_bytes(width, height, exif.then_some(text.as_str()))?,
                Format::Png => {
                    let chunk = TextChunk {
                        after_idat: file.after_idat,
                        ..TextChunk::new(latin1_or_itxt(file.text_kind, &text), "parameters", &text)
                    };
                    png_bytes(width, height, &[chunk])?
                }
            };
            Ok(match (file.content, file.format) {
                (Content::Truncated, Format::Png) => truncate_in_idat(&bytes),
                (Content::Truncated, _) => bytes[..bytes.len() / 2].to_vec(),
                _ => bytes,
            })
        }
    }
}

/// `kind`, unless `text` needs UTF-8: then iTXt, as PNG writers do.
fn latin1_or_itxt(kind: TextKind, text: &str) -> TextKind {
    if is_latin1(text) {
        kind
    } else {
        TextKind::Itxt
    }
}

/// What lands in a `.png` when a client saves an error response instead of an image.
fn error_page(n: usize) -> String {
    if n.is_multiple_of(2) {
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n".to_string()
    } else {
        "Traceback (most recent call last):\n  File \"generate.py\", line 212, in save_image\n    \
         img.save(path, pnginfo=info)\nOSError: [Errno 28] No space left on device\n"
            .to_string()
    }
}
