//! `sdreview export`: every image that passes the gallery's filters, as CSV, JSONL or Parquet.
//! The filters are the gallery's own, given as flags or as the query string of a gallery
//! address, checked as the web export checks them (`domain::export_request`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::Paths;
use crate::db::caller::Caller;
use crate::db::ids::UserId;
use crate::db::users;
use crate::domain::export_request;
use crate::domain::gallery_filter::Whose;
use crate::error::{AppError, AppResult};
use crate::export::{self, Format};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// csv, jsonl or parquet.
    #[arg(long, default_value = "csv")]
    format: String,
    /// The file to write (`-` for standard output). Written beside it first and renamed when
    /// complete, so a failed export never leaves a file that looks whole.
    #[arg(short, long)]
    output: PathBuf,
    /// The filters of a gallery address, as they appear after `?`
    /// (e.g. `status=ko&var=animal:cat`).
    #[arg(long, value_name = "QUERY")]
    filter: Option<String>,
    /// Prompt search, as in the search box.
    #[arg(long, value_name = "WORDS")]
    search: Option<String>,
    /// Only this session (its number).
    #[arg(long)]
    session: Option<String>,
    /// ok, ko or none.
    #[arg(long)]
    status: Option<String>,
    /// perfect or imperfect.
    #[arg(long)]
    quality: Option<String>,
    /// Only liked images.
    #[arg(long)]
    liked: bool,
    /// A failure category.
    #[arg(long)]
    category: Option<String>,
    /// Images this user rated.
    #[arg(long)]
    rater: Option<String>,
    /// PLACEHOLDER:VALUE; repeat for several.
    #[arg(long = "var", value_name = "PLACEHOLDER:VALUE")]
    variations: Vec<String>,
    /// The `status` column under the statistics' KO rule: any (anyone said KO) or majority
    /// (more than half of the raters); without it, `split` where raters disagree.
    #[arg(long)]
    rule: Option<String>,
    /// Read verdict filters as this user's own ("mine") rather than anyone's.
    #[arg(long = "as", value_name = "USER")]
    as_user: Option<String>,
}

impl ExportArgs {
    /// Flags and `--filter` as the query pairs a gallery address would carry.
    fn pairs(&self) -> AppResult<Vec<(String, String)>> {
        let mut pairs: Vec<(String, String)> = match &self.filter {
            Some(query) => serde_urlencoded::from_str(query.trim_start_matches('?'))
                .map_err(|e| AppError::Config(format!("--filter is not a query string: {e}")))?,
            None => Vec::new(),
        };
        let flags = [
            ("q", &self.search),
            ("session", &self.session),
            ("status", &self.status),
            ("quality", &self.quality),
            ("category", &self.category),
            ("rater", &self.rater),
        ];
        for (key, value) in flags {
            if let Some(value) = value {
                pairs.push((key.to_owned(), value.clone()));
            }
        }
        if self.liked {
            pairs.push(("liked".into(), "1".into()));
        }
        for variation in &self.variations {
            pairs.push(("var".into(), variation.clone()));
        }
        if self.as_user.is_some() {
            pairs.push(("whose".into(), "mine".into()));
        }
        Ok(pairs)
    }
}

pub fn run(paths: &Paths, args: &ExportArgs) -> AppResult<()> {
    let format = Format::parse(&args.format).map_err(AppError::Config)?;
    let rule = args
        .rule
        .as_deref()
        .map(export::columns::export_rule)
        .transpose()
        .map_err(AppError::Config)?;
    // The web export's own check, so both take the same filters and refuse in the same words.
    let filter = export_request::filter(&args.pairs()?).map_err(|e| AppError::Config(e.message))?;
    let pool = crate::db::open(&paths.existing_database()?)?;
    let mut conn = pool.get()?;
    let me = match &args.as_user {
        Some(name) => {
            users::find_by_name(&mut conn, name)?
                .ok_or_else(|| AppError::Config(format!("there is no user `{name}`")))?
                .id
        }
        None if filter.whose == Whose::Mine || filter.unrated_by_me => {
            return Err(AppError::Config(
                "`whose=mine` and `unrated` need a user: pass --as NAME".into(),
            ));
        }
        None => UserId(0),
    };
    let to_stdout = args.output.as_os_str() == "-";
    let show_progress = !to_stdout && std::io::stderr().is_terminal();
    let (rows, columns) = export::in_snapshot(&mut conn, &filter, Caller::owner(me), |snapshot| {
        snapshot.layout.rule = rule;
        let bar = if show_progress {
            progress_bar(snapshot.rows)
        } else {
            ProgressBar::hidden()
        };
        let columns = snapshot.layout.columns.len();
        let rows = if to_stdout {
            let out = std::io::BufWriter::new(std::io::stdout());
            snapshot.write(format, out, &mut |n| bar.inc(n))?
        } else {
            write_file(&args.output, |file| {
                snapshot.write(format, file, &mut |n| bar.inc(n))
            })?
        };
        bar.finish_and_clear();
        Ok((rows, columns))
    })?;
    if !to_stdout {
        eprintln!(
            "Exported {rows} images ({columns} columns) to {}",
            args.output.display()
        );
    }
    Ok(())
}

/// Writes beside `path`, then renames into place once the writer succeeded.
fn write_file<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> AppResult<T>,
) -> AppResult<T> {
    let partial = crate::file_names::with_suffix(path, ".partial");
    let mut file = std::fs::File::create(&partial)
        .map_err(|e| AppError::io("cannot create the export file", &partial, e))?;
    let result = write(&mut file).and_then(|value| {
        file.flush()
            .and_then(|()| file.sync_all())
            .map_err(|e| AppError::io("cannot write the export file", &partial, e))?;
        Ok(value)
    });
    match result {
        Ok(value) => {
            std::fs::rename(&partial, path)
                .map_err(|e| AppError::io("cannot move the export into place", path, e))?;
            Ok(value)
        }
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            Err(error)
        }
    }
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("Exporting {human_pos}/{human_len} images {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}
