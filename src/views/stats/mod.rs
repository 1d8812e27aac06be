//! What the statistics page shows, built from a `Report`: numbers, bars with whiskers, columns
//! over time, and a link from every figure to the images behind it.

pub mod bars;
pub mod charts;
mod form;
pub mod links;
pub mod pairs;
mod people;

use std::borrow::Cow;

use crate::analytics::report::{Group, Report};
use crate::db::ids::SessionId;
use crate::domain::gallery_filter::{GalleryFilter, QualityFilter, StatusFilter};
use crate::domain::stats::rule::KoRule;
use crate::domain::stats_request::StatsRequest;
use crate::views::plural;
use crate::web::href::with_query;
use bars::{Bar, category_bar, coverage, group_bar, interval, pct, value_bar};
use charts::ColumnChart;
pub use form::Form;
use form::form;
use links::Links;
pub use pairs::PairRow;
pub use people::{AgreementView, RaterPairRow};

/// The page's address for table `name` as CSV, with the figures' own parameters.
pub fn csv_href(query: &str, name: &str) -> String {
    with_query("/stats", &join(query, &format!("format=csv&table={name}")))
}

/// Two query strings as one.
fn join(query: &str, more: &str) -> String {
    if query.is_empty() {
        more.to_owned()
    } else {
        format!("{query}&{more}")
    }
}

/// Rows shown before "N more".
const FIRST_ROWS: usize = 12;

pub struct Number {
    pub label: Cow<'static, str>,
    pub value: String,
    pub href: Option<String>,
}

pub struct Section {
    pub id: String,
    pub title: String,
    pub note: String,
    pub bars: Vec<Bar>,
    pub more: Vec<Bar>,
    /// The section's table as CSV; empty for none.
    pub csv_href: String,
}

impl Section {
    fn new(id: &str, title: String, note: String, mut bars: Vec<Bar>) -> Section {
        let more = bars.split_off(bars.len().min(FIRST_ROWS));
        Section {
            id: id.to_owned(),
            title,
            note,
            bars,
            more,
            csv_href: String::new(),
        }
    }

    fn with_csv(mut self, href: String) -> Section {
        self.csv_href = href;
        self
    }
}

/// A choice of the rule in the form.
pub struct RuleOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// One CSV download: what it holds and where.
pub struct Download {
    pub label: &'static str,
    pub href: String,
}

pub struct StatsView {
    pub filtered: bool,
    pub api_href: String,
    pub export_href: String,
    pub gallery_href: String,
    pub form: Form,
    pub rules: Vec<RuleOption>,
    /// The rule in a sentence, and the coverage of all judged images.
    pub rule_words: String,
    pub rule_name: &'static str,
    pub rule_tag: String,
    pub coverage: String,
    /// The headline: "KO 42 of 120 judged images (27–44 %)".
    pub ko_summary: String,
    pub numbers: Vec<Number>,
    pub ko_rate: Bar,
    pub categories: Vec<Bar>,
    pub totals_csv: String,
    pub categories_csv: String,
    pub weeks_csv: String,
    pub placeholders_csv: String,
    pub raters_csv: Vec<Download>,
    pub sections: Vec<Section>,
    pub weeks: Option<ColumnChart>,
    /// The same weeks as rows, newest first: a column is too thin to tap on a phone.
    pub week_bars: Section,
    pub placeholders: Vec<Section>,
    pub pairs: pairs::PairsView,
    pub raters: Vec<charts::RaterActivity>,
    pub agreement: AgreementView,
    pub computed_at: String,
}

fn numbers(report: &Report, links: &Links<'_>, everything: &str) -> Vec<Number> {
    let t = &report.totals;
    let count = |n: u64| crate::views::gallery::thousands(n as i64);
    vec![
        Number {
            label: Cow::Borrowed("images"),
            value: count(t.images),
            href: Some(everything.to_owned()),
        },
        Number {
            label: Cow::Borrowed("sessions"),
            value: count(t.sessions),
            href: None,
        },
        Number {
            label: Cow::Borrowed("judged (OK or KO)"),
            value: count(t.judged),
            href: None,
        },
        Number {
            label: Cow::Owned(match report.rule {
                KoRule::Each => "KO judgements (rule: each)".to_owned(),
                rule => format!("KO ({})", rule.tag()),
            }),
            value: count(t.ko),
            href: Some(links.ko(|_| {})),
        },
        Number {
            label: Cow::Borrowed("thumbs up"),
            value: count(t.perfect),
            href: Some(links.to(|f| f.quality = Some(QualityFilter::Perfect))),
        },
        Number {
            label: Cow::Borrowed("liked"),
            value: count(t.liked),
            href: Some(links.to(|f| f.liked = true)),
        },
        Number {
            label: Cow::Borrowed("not rated by anyone"),
            value: count(t.unrated),
            href: None,
        },
        Number {
            label: Cow::Borrowed("broken files"),
            value: count(t.broken_images),
            href: None,
        },
    ]
}

fn group_section(
    id: &str,
    title: &str,
    groups: &[Group],
    rule: KoRule,
    links: &Links<'_>,
    set: fn(&mut GalleryFilter, &Group),
) -> Section {
    let bars = groups
        .iter()
        .map(|g| group_bar(g, rule, links.to(|f| set(f, g)), links.ko(|f| set(f, g))))
        .collect();
    Section::new(id, title.to_owned(), String::new(), bars)
}

/// A label this long shows which template a row is; the whole text is in its tooltip.
const TEMPLATE_LABEL: usize = 70;

/// Templates are prompt texts of a few hundred characters: each row shows the start of its
/// text on one line.
fn template_section(groups: &[Group], rule: KoRule, links: &Links<'_>) -> Section {
    let bars = groups
        .iter()
        .map(|g| {
            let set = |f: &mut GalleryFilter| f.sessions.template = Some(g.key.clone());
            group_bar(g, rule, links.to(set), links.ko(set)).shortened(TEMPLATE_LABEL)
        })
        .collect();
    let note = "The prompt templates of the sessions' manifests, worst first; sessions whose \
                manifest holds none are under “no template recorded”.";
    Section::new("template", "By template".to_owned(), note.to_owned(), bars)
}

impl StatsView {
    pub fn new(request: &StatsRequest, report: &Report) -> StatsView {
        let base = &request.filter;
        let links = Links { base };
        let query = request.query_string();
        let everything = match links.to(|_| {}) {
            all if all == "/search" => "/sessions".to_owned(),
            some => some,
        };
        let t = &report.totals;
        let rule = report.rule;
        let csv = |name: &str| csv_href(&query, name);
        let ko_rate = group_bar(
            &Group {
                key: String::new(),
                name: "All judged images".into(),
                sessions: t.sessions,
                images: t.images,
                rated: t.rated,
                liked: t.liked,
                judged: t.judged,
                judgements: t.judgements,
                raters_per_image: t.raters_per_image,
                counted: t.counted,
                ko: t.ko,
                ko_rate: t.ko_rate,
            },
            rule,
            everything.clone(),
            links.ko(|_| {}),
        );
        let mut sections = vec![
            group_section(
                "model",
                "By model",
                &report.by_model,
                rule,
                &links,
                |f, g| f.sessions.model = Some(g.key.clone()),
            )
            .with_csv(csv("by_model")),
            group_section(
                "sampler",
                "By sampler",
                &report.by_sampler,
                rule,
                &links,
                |f, g| f.sessions.sampler = Some(g.key.clone()),
            )
            .with_csv(csv("by_sampler")),
            group_section(
                "scheduler",
                "By scheduler",
                &report.by_scheduler,
                rule,
                &links,
                |f, g| f.sessions.scheduler = Some(g.key.clone()),
            )
            .with_csv(csv("by_scheduler")),
            template_section(&report.by_template, rule, &links).with_csv(csv("by_template")),
            group_section("tag", "By tag", &report.by_tag, rule, &links, |f, g| {
                f.sessions.tag = crate::domain::tag::Tag::parse(&g.key).ok()
            })
            .with_csv(csv("by_tag")),
        ];
        let session_bars = report
            .by_session
            .iter()
            .filter_map(|g| {
                let id = SessionId(g.key.parse().ok()?);
                Some(group_bar(
                    g,
                    rule,
                    links.to(links.session(id)),
                    links.ko(links.session(id)),
                ))
            })
            .collect();
        let (shown, judged) = (report.by_session.len() as u64, report.sessions_judged);
        let sessions_note = if shown == judged {
            format!(
                "The {} with judged images, worst first.",
                plural::count(judged, "session", "sessions")
            )
        } else {
            format!(
                "The worst {shown} of the {} with judged images.",
                plural::count(judged, "session", "sessions")
            )
        };
        sections.push(
            Section::new(
                "session",
                "Sessions with the most KO".to_owned(),
                sessions_note,
                session_bars,
            )
            .with_csv(csv("by_session")),
        );
        sections.retain(|s| !s.bars.is_empty());
        let weeks = charts::weeks(&report.by_week, rule, |monday| {
            let sunday = monday + chrono::Duration::days(6);
            links.ko(|f| {
                f.sessions.from = Some(monday);
                f.sessions.to = Some(sunday);
            })
        });
        let week_bars = report
            .by_week
            .iter()
            .rev()
            .filter_map(|g| {
                let monday = chrono::NaiveDate::parse_from_str(&g.key, "%Y-%m-%d").ok()?;
                let week = |f: &mut GalleryFilter| {
                    f.sessions.from = Some(monday);
                    f.sessions.to = Some(monday + chrono::Duration::days(6));
                };
                Some(group_bar(g, rule, links.to(week), links.ko(week)))
            })
            .collect();
        let week_bars = Section::new("week-list", String::new(), String::new(), week_bars);
        let placeholders = report
            .placeholders
            .iter()
            .map(|p| {
                let bars = p
                    .values
                    .iter()
                    .map(|v| {
                        let set = |f: &mut GalleryFilter| {
                            f.variations.retain(|(name, _)| *name != p.placeholder);
                            f.variations.push((p.placeholder.clone(), v.value.clone()));
                        };
                        value_bar(v, rule, links.to(set), links.ko(set))
                    })
                    .collect();
                Section::new(
                    &format!("placeholder-{}", p.placeholder),
                    p.placeholder.clone(),
                    format!(
                        "Placeholder · {}, worst first (by the top of the interval: a value must fail often on many images to lead)",
                        plural::count(p.values.len() as u64, "value", "values")
                    ),
                    bars,
                )
            })
            .collect();
        StatsView {
            filtered: !query.is_empty(),
            api_href: with_query("/api/analytics/stats", &query),
            export_href: crate::views::gallery::export_href(base),
            gallery_href: everything,
            form: form(request, report),
            rules: KoRule::ALL
                .iter()
                .map(|r| RuleOption {
                    value: r.as_str(),
                    label: match r {
                        KoRule::Any => "any rater said KO",
                        KoRule::Majority => "most raters said KO",
                        KoRule::Each => "each judgement counts",
                    },
                    selected: *r == rule,
                })
                .collect(),
            rule_words: rule.words().to_owned(),
            rule_name: rule.as_str(),
            rule_tag: rule.tag(),
            coverage: coverage(t.raters_per_image),
            ko_summary: format!(
                "KO {} of {} {}{}",
                t.ko,
                t.counted,
                rule.unit(),
                interval(t.ko_rate)
            ),
            numbers: numbers(report, &links, &links.to(|_| {})),
            ko_rate,
            totals_csv: csv("totals"),
            categories_csv: csv("ko_by_category"),
            weeks_csv: csv("by_week"),
            placeholders_csv: csv("placeholders"),
            raters_csv: vec![
                Download {
                    label: "raters",
                    href: csv("raters"),
                },
                Download {
                    label: "judgements per day",
                    href: csv("rater_activity"),
                },
            ],
            categories: report
                .ko_by_category
                .iter()
                .map(|c| {
                    category_bar(
                        c,
                        t,
                        rule,
                        links.to(|f| {
                            f.category = Some(c.category.clone());
                            f.status = Some(StatusFilter::Ko);
                        }),
                    )
                })
                .collect(),
            sections,
            weeks,
            week_bars,
            placeholders,
            pairs: pairs::pairs(request, report, &links),
            raters: people::activity(report, &links),
            agreement: people::agreement(report, &links, &query),
            computed_at: crate::clock::page_text(
                report.computed_at.naive_utc(),
                "%-d %b %Y, %H:%M:%S",
            ),
        }
    }
}

/// "42 % KO · rule: any · 1.8 raters per image" for the page's title line.
pub fn headline(report: &Report) -> String {
    let t = &report.totals;
    t.ko_rate.map_or("nothing judged yet".to_owned(), |r| {
        format!(
            "{} KO · {} · {}",
            pct(r.rate),
            report.rule.tag(),
            coverage(t.raters_per_image)
        )
    })
}
