use crate::config::Paths;
use crate::db::stats::{Group, LibraryStats, library_stats};
use crate::error::AppResult;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(paths: &Paths, args: &StatsArgs) -> AppResult<()> {
    let pool = crate::db::open(&paths.existing_database()?)?;
    let stats = library_stats(&mut *pool.get()?)?;
    if args.json {
        super::print_json(&stats)
    } else {
        print_text(&stats);
        Ok(())
    }
}

fn print_text(stats: &LibraryStats) {
    let t = &stats.totals;
    println!(
        "Sessions: {} ({} test, {} failed, {} archived; {} in the trash)",
        t.sessions, t.test_sessions, t.failed_sessions, t.archived_sessions, t.sessions_in_trash
    );
    println!(
        "Images:   {} ({} broken; {} in the trash)",
        t.images, t.broken_images, t.images_in_trash
    );
    println!(
        "Rated:    {} rated, {} unrated, {} liked",
        t.rated, t.unrated, t.liked
    );
    println!(
        "Verdicts: {} perfect, {} imperfect, {} OK, {} KO",
        t.perfect, t.imperfect, t.ok, t.ko
    );
    println!("\nKO by category:");
    for c in &stats.ko_by_category {
        println!("  {:<12} {:>8}  {}", c.category, c.images, c.label);
    }
    print_groups("model", &stats.by_model);
    print_groups("sampler", &stats.by_sampler);
}

fn print_groups(what: &str, groups: &[Group]) {
    println!("\nBy {what}:");
    println!(
        "  {:<32} {:>8} {:>8} {:>8} {:>8} {:>8}",
        what, "sessions", "images", "rated", "liked", "KO"
    );
    for g in groups {
        println!(
            "  {:<32} {:>8} {:>8} {:>8} {:>8} {:>8}",
            g.name, g.sessions, g.images, g.rated, g.liked, g.ko
        );
    }
}
