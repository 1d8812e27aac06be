//! `sdreview recommend`: the placeholder values to drop or keep for the next run, with the
//! evidence, and the files a generator reads (`--export-prompts`, `--export-values`).

use std::path::PathBuf;

use crate::analytics::cache::StatsCache;
use crate::analytics::recommend::{Recommendations, Scope, ValuesFile, load};
use crate::config::Paths;
use crate::db::caller::Caller;
use crate::db::ids::UserId;
use crate::error::{AppError, AppResult};
use crate::insights::export::{DEFAULT_PROMPTS, MAX_PROMPTS, winning_prompts};

#[derive(Debug, clap::Args)]
pub struct RecommendArgs {
    /// Only this model's sessions (the values of one model do not say much of another's).
    #[arg(long)]
    model: Option<String>,
    /// Only sessions made from this prompt template.
    #[arg(long)]
    template: Option<String>,
    /// Print JSON (the same document as GET /api/insights/recommendations).
    #[arg(long)]
    json: bool,
    /// Write the prompts of the best-rated OK images, one per line, to FILE ('-': standard
    /// output); none carries a value or pair to drop.
    #[arg(long, value_name = "FILE")]
    export_prompts: Option<PathBuf>,
    /// How many prompts --export-prompts writes at most.
    #[arg(long, default_value_t = DEFAULT_PROMPTS)]
    prompts: usize,
    /// Write the values to keep and to drop as JSON to FILE ('-': standard output).
    #[arg(long, value_name = "FILE")]
    export_values: Option<PathBuf>,
}

fn write(path: &PathBuf, text: &str) -> AppResult<()> {
    if path.as_os_str() == "-" {
        print!("{text}");
        return Ok(());
    }
    std::fs::write(path, text)
        .map_err(|e| AppError::BadInput(format!("could not write {}: {e}", path.display())))
}

pub fn run(paths: &Paths, args: &RecommendArgs) -> AppResult<()> {
    if !(1..=MAX_PROMPTS).contains(&args.prompts) {
        return Err(AppError::BadInput(format!(
            "--prompts is a number from 1 to {MAX_PROMPTS}, not {}",
            args.prompts
        )));
    }
    let scope = Scope {
        model: args.model.clone().filter(|m| !m.is_empty()),
        template: args.template.clone().filter(|t| !t.is_empty()),
    };
    let pool = crate::db::open(&paths.existing_database()?)?;
    let mut conn = pool.get()?;
    let recommendations = load(
        &mut conn,
        &StatsCache::default(),
        &scope,
        Caller::owner(UserId(0)),
    )?
    .map_err(|refused| AppError::BadInput(refused.message))?;
    let file = ValuesFile::new(&recommendations);
    let exporting = args.export_prompts.is_some() || args.export_values.is_some();
    if let Some(path) = &args.export_values {
        write(path, &format!("{}\n", serde_json::to_string_pretty(&file)?))?;
    }
    if let Some(path) = &args.export_prompts {
        let prompts = winning_prompts(&mut conn, &file, args.prompts)?;
        let mut text = prompts.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        write(path, &text)?;
    }
    if args.json {
        super::print_json(&recommendations)
    } else if !exporting {
        print_text(&recommendations);
        Ok(())
    } else {
        Ok(())
    }
}

fn print_text(r: &Recommendations) {
    let scope = Scope {
        model: r.model.clone(),
        template: r.template.clone(),
    };
    match r.baseline {
        Some(base) => println!(
            "{} judged images {}, {} KO ({:.0} %): a value is dropped when its KO rate's 95 % \
             interval lies above {:.0} %, kept when below, with at least {} judged images.",
            r.judged,
            scope.words(),
            r.ko,
            base.rate * 100.0,
            base.rate * 100.0,
            r.min_judged
        ),
        None => {
            println!(
                "Nothing judged {} yet: nothing to recommend.",
                scope.words()
            );
            return;
        }
    }
    let list = |title: &str, lines: Vec<&str>| {
        println!("\n{title} ({})", lines.len());
        if lines.is_empty() {
            println!("  none");
        }
        for line in lines {
            println!("  {line}");
        }
    };
    list("Drop", r.drop.iter().map(|v| v.evidence.as_str()).collect());
    list(
        "Drop together",
        r.drop_pairs.iter().map(|p| p.evidence.as_str()).collect(),
    );
    list("Keep", r.keep.iter().map(|v| v.evidence.as_str()).collect());
    println!(
        "\nNo call on {} values (their interval holds {:.0} %) and {} with fewer than {} judged images.",
        r.undecided,
        r.baseline.map_or(0.0, |b| b.rate * 100.0),
        r.too_few,
        r.min_judged
    );
    if r.predictor_run.is_none() {
        println!("The KO predictor is not trained yet (`sdreview predict`): no predicted figures.");
    }
}
