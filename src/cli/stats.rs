use crate::analytics::cache::StatsCache;
use crate::analytics::check::unknown_value;
use crate::analytics::report::{Group, Report};
use crate::analytics::tables;
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
    /// Print one table as CSV instead: totals, ko_by_category, by_model, by_sampler,
    /// by_scheduler, by_template, by_tag, by_week, by_session, placeholders, tested_pairs, pair_grid,
    /// raters, rater_activity or rater_pairs.
    #[arg(long, value_name = "TABLE", conflicts_with = "json")]
    csv: Option<String>,
    /// What makes an image KO: any (default: anyone said KO), majority (more than half of its
    /// raters; a tie is not), each (every judgement counts once).
    #[arg(long)]
    rule: Option<String>,
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
        ("rule", &args.rule),
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
    if let Some(name) = args.csv.as_deref().filter(|n| !tables::NAMES.contains(n)) {
        return Err(AppError::BadInput(format!(
            "there is no table `{name}`; the tables are: {}",
            tables::NAMES.join(", ")
        )));
    }
    let pool = crate::db::open(&paths.existing_database()?)?;
    let mut conn = pool.get()?;
    if let Some(refused) = unknown_value(&mut conn, &request)? {
        return Err(AppError::BadInput(refused.message));
    }
    let report = StatsCache::default().report(&mut conn, &request, Caller::owner(UserId(0)))?;
    if let Some(table) = args
        .csv
        .as_deref()
        .and_then(|name| tables::table(&report, name))
    {
        let csv = tables::csv(&table)
            .map_err(|e| AppError::Task(format!("the table could not be written: {e}")))?;
        print!("{}", String::from_utf8_lossy(&csv));
        Ok(())
    } else if args.json {
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

/// "1.8 raters per image".
fn coverage(raters_per_image: Option<f64>) -> String {
    raters_per_image.map_or("-".to_owned(), |r| format!("{r:.1} raters per image"))
}

fn print_text(report: &Report) {
    let t = &report.totals;
    let rule = report.rule;
    if !report.query.is_empty() {
        println!("Only: {}", report.query);
    }
    println!("Rule:     {} ({})", rule.as_str(), rule.words());
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
        "Verdicts: {} perfect, {} imperfect, {} judged ({} called OK by someone)",
        t.perfect, t.imperfect, t.judged, t.ok
    );
    println!(
        "KO by {}: {} of {} {}, {}; {}",
        rule.as_str(),
        t.ko,
        t.counted,
        rule.unit(),
        percent(t.ko_rate).trim(),
        coverage(t.raters_per_image)
    );
    println!(
        "\nKO by category (share of {}, rule: {}):",
        rule.unit(),
        rule.as_str()
    );
    for c in &report.ko_by_category {
        println!(
            "  {:<12} {:>8}  {}  {}",
            c.category,
            c.images,
            percent(c.rate),
            c.label
        );
    }
    let unit = rule.unit();
    print_groups("model", unit, &report.by_model);
    print_groups("sampler", unit, &report.by_sampler);
    print_groups("scheduler", unit, &report.by_scheduler);
    // A template is a prompt of a few hundred characters: its start names its row.
    let templates: Vec<Group> = report
        .by_template
        .iter()
        .map(|g| Group {
            name: crate::domain::one_line::one_line(&g.name, 32),
            ..g.clone()
        })
        .collect();
    print_groups("template", unit, &templates);
    print_groups("tag", unit, &report.by_tag);
    let weeks = report.by_week.len().saturating_sub(12);
    print_groups("week (the last 12)", unit, &report.by_week[weeks..]);
    print_groups(
        &format!("session (worst 10 of {} judged)", report.sessions_judged),
        unit,
        &report.by_session[..report.by_session.len().min(10)],
    );
    print_placeholders(report);
    print_pairs(report);
    print_raters(report);
}

fn print_groups(what: &str, unit: &str, groups: &[Group]) {
    println!("\nBy {what} (KO out of {unit}):");
    println!(
        "  {:<32} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  KO rate (95 % interval)",
        "", "sessions", "images", "rated", "liked", "judged", "raters/i", "out of", "KO"
    );
    for g in groups {
        println!(
            "  {:<32} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  {}",
            g.name,
            g.sessions,
            g.images,
            g.rated,
            g.liked,
            g.judged,
            g.raters_per_image
                .map_or("-".to_owned(), |r| format!("{r:.1}")),
            g.counted,
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
                "  {:<32} {:>7} images {:>7} judged {:>5} raters/image  success {}  {}",
                v.value,
                v.images,
                v.judged,
                v.raters_per_image
                    .map_or("-".to_owned(), |r| format!("{r:.1}")),
                percent(v.success_rate),
                v.common_category.as_deref().unwrap_or("")
            );
        }
    }
}

fn print_pairs(report: &Report) {
    let p = &report.failing_pairs;
    println!(
        "\nFailing pairs: {} at q <= {}; {} shown (threshold {}); tested with >= {} judged \
         images: {}",
        crate::views::stats::pairs::standing_out(p.tested, p.significant),
        p.fdr,
        p.pairs.len(),
        report.knobs.failure_threshold,
        report.knobs.min_occurrences,
        p.tested
    );
    println!("Shrunk rates: {}.", p.spread.note);
    let shrunk = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{:.1} %", x * 100.0));
    for pair in &p.pairs {
        println!(
            "  {:<48} {:>5.1} % of {:>6} (either alone {:.1} %; shrunk {})  q {:.2e}  {}",
            pair.pattern,
            pair.failure_rate * 100.0,
            pair.sample_count,
            pair.expected_rate * 100.0,
            shrunk(pair.shrunk_rate),
            pair.q_value,
            pair.common_category.as_deref().unwrap_or("")
        );
    }
    println!(
        "Every tested pair: sdreview stats --csv tested_pairs (and --csv pair_grid for value x \
         model)."
    );
}

fn print_raters(report: &Report) {
    let r = &report.raters;
    println!("\nRaters:");
    for person in &r.people {
        println!(
            "  {:<20} {} on {} ({} to {})",
            person.name,
            crate::views::plural::count(person.judgements, "judgement", "judgements"),
            crate::views::plural::count(person.days_active, "day", "days"),
            person.first_day,
            person.last_day
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
