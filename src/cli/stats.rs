use crate::analytics::cache::StatsCache;
use crate::analytics::check::unknown_value;
use crate::analytics::report::{Group, Report};
use crate::config::Paths;
use crate::db::caller::Caller;
use crate::db::ids::UserId;
use crate::domain::stats::wilson::Rate;
use crate::domain::stats_request::StatsRequest;
use crate::error::{AppError, AppResult};

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print JSON instead of tables (the same document as GET /api/analytics/stats).
    #[arg(long)]
    json: bool,
    /// Only this model's sessions; failing pairs are then looked for within the model.
    #[arg(long)]
    model: Option<String>,
    /// Failing pairs: judged images a pair needs before it is tested (default 10).
    #[arg(long)]
    min_occurrences: Option<String>,
    /// Failing pairs: the share of KO a pair must reach, 0 to 1 (default 0.5).
    #[arg(long)]
    failure_threshold: Option<String>,
    /// Any gallery filter, as in the address bar: 'var=Subject:cat&status=ko&tag=night'.
    #[arg(long, value_name = "QUERY")]
    filter: Option<String>,
    /// Count each group of near-duplicates once (as `group=near` does).
    #[arg(long)]
    group_near: bool,
}

fn request(args: &StatsArgs) -> AppResult<StatsRequest> {
    let mut pairs: Vec<(String, String)> = match &args.filter {
        Some(query) => serde_urlencoded::from_str(query.trim_start_matches('?'))
            .map_err(|e| AppError::BadInput(format!("--filter is not a query string: {e}")))?,
        None => Vec::new(),
    };
    let knobs = [
        ("model", &args.model),
        ("min_occurrences", &args.min_occurrences),
        ("failure_threshold", &args.failure_threshold),
    ];
    for (key, value) in knobs {
        if let Some(value) = value {
            pairs.push((key.to_owned(), value.clone()));
        }
    }
    if args.group_near {
        pairs.push(("group".to_owned(), "near".to_owned()));
    }
    let request = StatsRequest::parse(&pairs).map_err(|e| AppError::BadInput(e.message))?;
    if request.is_personal() {
        return Err(AppError::BadInput(
            "`whose=mine` and `unrated` need a signed-in user: use `rater=NAME` instead".into(),
        ));
    }
    Ok(request)
}

pub fn run(paths: &Paths, args: &StatsArgs) -> AppResult<()> {
    let request = request(args)?;
    let pool = crate::db::open(&paths.existing_database()?)?;
    let mut conn = pool.get()?;
    if let Some(refused) = unknown_value(&mut conn, &request)? {
        return Err(AppError::BadInput(refused.message));
    }
    let report = StatsCache::default().report(&mut conn, &request, Caller::owner(UserId(0)))?;
    if args.json {
        super::print_json(&*report)
    } else {
        print_text(&report);
        Ok(())
    }
}

fn percent(rate: Option<Rate>) -> String {
    match rate {
        Some(r) => format!(
            "{:>5.1} % ({:.1}-{:.1})",
            r.rate * 100.0,
            r.low * 100.0,
            r.high * 100.0
        ),
        None => "    -".to_owned(),
    }
}

fn print_text(report: &Report) {
    let t = &report.totals;
    if !report.query.is_empty() {
        println!("Only: {}", report.query);
    }
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
        "Verdicts: {} perfect, {} imperfect, {} OK, {} KO; KO rate {} of {} judged",
        t.perfect,
        t.imperfect,
        t.ok,
        t.ko,
        percent(t.ko_rate),
        t.judged
    );
    println!("\nKO by category (share of judged images):");
    for c in &report.ko_by_category {
        println!(
            "  {:<12} {:>8}  {}  {}",
            c.category,
            c.images,
            percent(c.rate),
            c.label
        );
    }
    print_groups("model", &report.by_model);
    print_groups("sampler", &report.by_sampler);
    print_groups("scheduler", &report.by_scheduler);
    print_groups("tag", &report.by_tag);
    let weeks = report.by_week.len().saturating_sub(12);
    print_groups("week (the last 12)", &report.by_week[weeks..]);
    print_groups(
        &format!("session (worst 10 of {} judged)", report.sessions_judged),
        &report.by_session[..report.by_session.len().min(10)],
    );
    print_placeholders(report);
    print_pairs(report);
    print_raters(report);
}

fn print_groups(what: &str, groups: &[Group]) {
    println!("\nBy {what}:");
    println!(
        "  {:<32} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  KO rate (95 % interval)",
        "", "sessions", "images", "rated", "liked", "judged", "KO"
    );
    for g in groups {
        println!(
            "  {:<32} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  {}",
            g.name,
            g.sessions,
            g.images,
            g.rated,
            g.liked,
            g.judged,
            g.ko,
            percent(g.ko_rate)
        );
    }
}

fn print_placeholders(report: &Report) {
    for placeholder in &report.placeholders {
        println!(
            "\nPlaceholder {} (worst first, {} values):",
            placeholder.placeholder,
            placeholder.values.len()
        );
        for v in &placeholder.values {
            println!(
                "  {:<32} {:>7} images {:>7} judged  success {}  {}",
                v.value,
                v.images,
                v.judged,
                percent(v.success_rate),
                v.common_category.as_deref().unwrap_or("")
            );
        }
    }
}

fn print_pairs(report: &Report) {
    let p = &report.failing_pairs;
    println!(
        "\nFailing pairs: {} shown; {} stand out (q <= {}) of {} tested with >= {} judged images; \
         threshold {}",
        p.pairs.len(),
        p.significant,
        p.fdr,
        p.tested,
        report.knobs.min_occurrences,
        report.knobs.failure_threshold
    );
    for pair in &p.pairs {
        println!(
            "  {:<48} {:>5.1} % of {:>6} (either alone {:.1} %; shrunk {:.1} %)  q {:.2e}  {}",
            pair.pattern,
            pair.failure_rate * 100.0,
            pair.sample_count,
            pair.expected_rate * 100.0,
            pair.shrunk_rate * 100.0,
            pair.q_value,
            pair.common_category.as_deref().unwrap_or("")
        );
    }
}

fn print_raters(report: &Report) {
    let r = &report.raters;
    println!("\nRaters:");
    for person in &r.people {
        println!(
            "  {:<20} {:>8} judgements on {:>4} days ({} to {})",
            person.name, person.judgements, person.days_active, person.first_day, person.last_day
        );
    }
    let a = &r.agreement;
    let show = |x: Option<f64>| x.map_or("-".to_owned(), |v| format!("{v:.3}"));
    println!(
        "Agreement on {} images several people judged: Krippendorff's alpha {} (with categories \
         {}), Fleiss' kappa {}",
        a.images,
        show(a.alpha),
        show(a.alpha_with_category),
        show(a.fleiss_kappa)
    );
    for pair in &a.pairs {
        println!(
            "  {} and {}: {} shared, {} disagreements, Cohen's kappa {}",
            pair.first,
            pair.second,
            pair.shared,
            pair.disagreements,
            show(pair.cohen_kappa)
        );
    }
}
