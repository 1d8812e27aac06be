//! Which peculiarities and faults one session carries. The first regular sessions each carry a
//! designated fault so that even a small library holds every case at least once; the rest draw
//! theirs at realistic rates.

use rand::Rng;
use rand::rngs::StdRng;

use super::plan::{Content, Format, Kind};
use super::prompts::Flavour;

#[derive(Debug, Clone)]
pub(crate) struct Roles {
    pub kind: Kind,
    /// The one folder with thousands of files.
    pub big: bool,
    /// Folder name with spaces and non-ASCII characters.
    pub unicode_name: bool,
    /// Folder name `YYYYMMDD_HHMMSS-<name>` without theme and style.
    pub no_theme: bool,
    /// The output format; `Webp(true)` mixes files with EXIF parameters and one in three without.
    pub format: Format,
    /// Contents forced onto the session's first files (broken ones, in order).
    pub forced: Vec<Content>,
    /// Manifest entries whose file is not on disk.
    pub missing: usize,
    /// Image files on disk that the manifest does not list.
    pub unlisted: usize,
    /// Force one zTXt and one after-IDAT parameters chunk.
    pub odd_chunks: bool,
    pub flavour: Flavour,
    /// `snapshot.timestamp` with a zone.
    pub zone: bool,
    /// A `log.txt` beside the images.
    pub log: bool,
    /// Index among sessions of the same kind (picks names for older ones).
    pub index: usize,
}

impl Roles {
    fn plain(kind: Kind, index: usize) -> Self {
        Self {
            kind,
            big: false,
            unicode_name: false,
            no_theme: false,
            format: Format::Png,
            forced: Vec::new(),
            missing: 0,
            unlisted: 0,
            odd_chunks: false,
            flavour: Flavour::default(),
            zone: false,
            log: false,
            index,
        }
    }

    pub fn big() -> Self {
        Self {
            big: true,
            ..Self::plain(Kind::Regular, 0)
        }
    }

    pub fn older(kind: Kind, index: usize) -> Self {
        Self::plain(kind, index)
    }

    /// Roles of regular session `index` of `total`: drawn, then the designated fault if any.
    pub fn for_regular(index: usize, total: usize, rng: &mut StdRng) -> Self {
        let mut roles = Self::drawn(index, rng);
        match index {
            0 => {
                roles.unicode_name = true;
                roles.flavour.unicode = true;
                roles.forced = vec![Content::Params, Content::ZeroByte, Content::TextFile];
                roles.format = Format::Png;
            }
            1 => {
                roles.no_theme = true;
                roles.forced = vec![Content::Truncated];
                roles.format = Format::Png;
                roles.odd_chunks = true;
                roles.log = true;
            }
            2 => {
                roles.missing = 2;
                roles.unlisted = 2;
            }
            3 => roles.kind = Kind::InvalidManifest(false),
            4 => roles.format = Format::Jpeg,
            5 => roles.format = Format::Webp(true),
            6 => {
                roles.flavour.multiline = true;
                roles.flavour.hashes = true;
                roles.zone = true;
            }
            _ => {}
        }
        if total >= 2 && index == total - 1 {
            roles = Self::plain(Kind::StillWriting, index);
        }
        roles
    }

    fn drawn(index: usize, rng: &mut StdRng) -> Self {
        let mut roles = Self::plain(Kind::Regular, index);
        roles.unicode_name = rng.random_bool(0.02);
        roles.no_theme = rng.random_bool(0.2);
        roles.format = match rng.random_range(0..100) {
            0..3 => Format::Jpeg,
            3..5 => Format::Webp(rng.random_bool(0.5)),
            _ => Format::Png,
        };
        if rng.random_bool(0.005) {
            roles.kind = Kind::InvalidManifest(rng.random_bool(0.5));
        }
        roles.missing = if rng.random_bool(0.02) {
            rng.random_range(1..=3)
        } else {
            0
        };
        roles.unlisted = if rng.random_bool(0.03) {
            rng.random_range(1..=2)
        } else {
            0
        };
        roles.flavour = Flavour {
            unicode: roles.unicode_name && rng.random_bool(0.5),
            multiline: rng.random_bool(0.1),
            hashes: rng.random_bool(0.2),
        };
        roles.zone = rng.random_bool(0.2);
        roles.log = rng.random_bool(0.1);
        roles
    }

    /// Enough images to hold the forced files, the missing ones and some good ones.
    pub fn min_images(&self) -> usize {
        let special = self.forced.len() + self.missing + usize::from(self.odd_chunks) * 2;
        if special == 0 { 1 } else { special + 2 }
    }
}
