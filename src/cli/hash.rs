//! `sdreview hash`: computes the near-duplicate hashes now, on every core, instead of waiting
//! for the server's background pass (which stores into the same table and picks up where this
//! stopped, and the other way round).

use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::Paths;
use crate::error::AppResult;
use crate::similar::SimilarImages;
use crate::similar::pass::{self, Target};
use crate::thumbs::ThumbnailCache;

#[derive(Debug, clap::Args)]
pub struct HashArgs {
    /// Decode on one core, as the server's background pass does (default: every core).
    #[arg(long)]
    one_core: bool,
}

pub fn run(paths: &Paths, args: &HashArgs) -> AppResult<()> {
    let db_path = paths.existing_database()?;
    let root = paths.library_root()?;
    let root = root
        .canonicalize()
        .map_err(|e| crate::error::AppError::io("cannot resolve the library folder", &root, e))?;
    let pool = crate::db::open(&db_path)?;
    let mut conn = pool.get()?;
    let similar = Arc::new(SimilarImages::default());
    let target = Target {
        thumbnails: Arc::new(ThumbnailCache::new(crate::startup::thumbnail_dir(&db_path))),
        db_path,
        root,
        similar: similar.clone(),
    };
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{elapsed}] {bar:30} {pos}/{len} images")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("hashing");
    pass::refresh_counts(&mut conn, &similar)?;
    let before = similar.progress().done;
    let started = Instant::now();
    let walked = std::thread::scope(|scope| {
        let ticking = scope.spawn(|| {
            while !bar.is_finished() {
                let progress = similar.progress();
                bar.set_length(progress.total.max(0) as u64);
                bar.set_position(progress.done.max(0) as u64);
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        let walked = pass::walk(&mut conn, &target, !args.one_core);
        bar.finish_and_clear();
        let _ = ticking.join();
        walked
    });
    walked?;
    let progress = similar.progress();
    let hashed = (progress.done - before).max(0);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Hashed {hashed} {} in {seconds:.1} s ({:.0} per second). {} of {} images have a \
         hash; {} could not be decoded.",
        if hashed == 1 { "image" } else { "images" },
        hashed as f64 / seconds.max(1e-6),
        progress.done,
        progress.total,
        progress.failed
    );
    let grouped = crate::similar::regroup::regroup_stored(&mut conn, !args.one_core)?;
    println!(
        "{} near-duplicate {} of {} images in all ({:.1} s).",
        grouped.groups,
        if grouped.groups == 1 {
            "group"
        } else {
            "groups"
        },
        grouped.images,
        grouped.seconds
    );
    Ok(())
}
