//! `sdreview predict`: trains the KO predictor on the judgements now, prints its held-out
//! accuracy, and writes every image's prediction (the server does the same in the background
//! as verdicts come in).

use std::time::Instant;

use crate::config::Paths;
use crate::error::AppResult;
use crate::predict::run::{RunOutcome, train_and_score};
use crate::predict::train::Report;

#[derive(Debug, clap::Args)]
pub struct PredictArgs {
    /// Print the report as JSON (the statistics API's `predictor` document, with `scored` and
    /// `scoring_seconds`).
    #[arg(long)]
    json: bool,
}

pub fn run(paths: &Paths, args: &PredictArgs) -> AppResult<()> {
    let db_path = paths.existing_database()?;
    let pool = crate::db::open(&db_path)?;
    let mut conn = pool.get()?;
    let started = Instant::now();
    match train_and_score(&mut conn, true, |_| true)? {
        RunOutcome::NotEnough(why) => {
            println!("Nothing trained: {why}.");
        }
        RunOutcome::Trained { report, scored, .. } => {
            let scoring = (started.elapsed().as_secs_f64() - report.seconds).max(0.0);
            if args.json {
                // The report, with what the scoring did.
                let mut json = serde_json::to_value(&report).unwrap_or_default();
                if let Some(fields) = json.as_object_mut() {
                    fields.insert("scored".to_owned(), scored.into());
                    fields.insert("scoring_seconds".to_owned(), scoring.into());
                }
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json).unwrap_or_default()
                );
            } else {
                print_report(&report);
                println!(
                    "Predictions written for {scored} images in {scoring:.1} s (key `sdreview_ko` of ml_predictions)."
                );
            }
        }
    }
    Ok(())
}

fn percent(rate: Option<crate::domain::stats::wilson::Rate>) -> String {
    rate.map_or_else(
        || "n/a".to_owned(),
        |r| {
            format!(
                "{:.0}% ({:.0}-{:.0}%)",
                r.rate * 100.0,
                r.low * 100.0,
                r.high * 100.0
            )
        },
    )
}

fn print_report(report: &Report) {
    println!(
        "Trained in {:.1} s on {} features; {}.",
        report.seconds, report.features, report.split
    );
    let ko = &report.ko;
    println!(
        "KO, on the {} held-out images ({} KO): recall {} at precision {} (threshold {:.2}); AUC {}.",
        ko.held_out,
        ko.positives,
        percent(ko.recall),
        percent(ko.precision),
        ko.threshold,
        ko.auc.as_ref().map_or_else(
            || "n/a".to_owned(),
            |a| format!("{:.3} ({:.3}-{:.3})", a.value, a.low, a.high)
        )
    );
    for category in &report.categories {
        let m = &category.metrics;
        println!(
            "  {}: {} held-out images filed under it; recall {}, precision {}.",
            category.category,
            m.positives,
            percent(m.recall),
            percent(m.precision)
        );
    }
}
