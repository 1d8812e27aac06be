//! What the statistics page shows, built from a `Report`: numbers, bars with whiskers, columns
//! over time, and a link from every figure to the images behind it.

pub mod bars;
pub mod charts;
mod form;
pub mod links;
mod people;

use crate::analytics::report::{Group, Report};
use crate::db::ids::SessionId;
use crate::domain::gallery_filter::{GalleryFilter, QualityFilter, StatusFilter};
use crate::domain::stats_request::StatsRequest;
use crate::web::href::with_query;
use bars::{Bar, category_bar, group_bar, pct, value_bar};
use charts::ColumnChart;
pub use form::Form;
use form::form;
use links::Links;
pub use people::{AgreementView, PairRow, RaterPairRow};

/// Rows shown before "N more".
const FIRST_ROWS: usize = 12;

pub struct Number {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
}

pub struct Section {
    pub id: String,
    pub title: String,
    pub note: String,
    pub bars: Vec<Bar>,
    pub more: Vec<Bar>,
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
        }
    }
}

pub struct StatsView {
    pub filtered: bool,
    pub api_href: String,
    pub export_href: String,
    pub gallery_href: String,
    pub form: Form,
    pub numbers: Vec<Number>,
    pub ko_rate: Bar,
    pub categories: Vec<Bar>,
    pub sections: Vec<Section>,
    pub weeks: Option<ColumnChart>,
    /// The same weeks as rows, newest first: a column is too thin to tap on a phone.
    pub week_bars: Section,
    pub placeholders: Vec<Section>,
    pub pairs: people::PairsView,
    pub raters: Vec<charts::RaterActivity>,
    pub agreement: AgreementView,
    pub computed_at: String,
}

fn numbers(report: &Report, links: &Links<'_>, everything: &str) -> Vec<Number> {
    let t = &report.totals;
    let count = |n: u64| crate::views::gallery::thousands(n as i64);
    vec![
        Number {
            label: "images",
            value: count(t.images),
            href: Some(everything.to_owned()),
        },
        Number {
            label: "sessions",
            value: count(t.sessions),
            href: None,
        },
        Number {
            label: "judged (OK or KO)",
            value: count(t.judged),
            href: None,
        },
        Number {
            label: "KO",
            value: count(t.ko),
            href: Some(links.ko(|_| {})),
        },
        Number {
            label: "thumbs up",
            value: count(t.perfect),
            href: Some(links.to(|f| f.quality = Some(QualityFilter::Perfect))),
        },
        Number {
            label: "liked",
            value: count(t.liked),
            href: Some(links.to(|f| f.liked = true)),
        },
        Number {
            label: "not rated by anyone",
            value: count(t.unrated),
            href: None,
        },
        Number {
            label: "broken files",
            value: count(t.broken_images),
            href: None,
        },
    ]
}

fn group_section(
    id: &str,
    title: &str,
    groups: &[Group],
    links: &Links<'_>,
    set: fn(&mut GalleryFilter, &Group),
) -> Section {
    let bars = groups
        .iter()
        .map(|g| group_bar(g, links.to(|f| set(f, g)), links.ko(|f| set(f, g))))
        .collect();
    Section::new(id, title.to_owned(), String::new(), bars)
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
        let ko_rate = group_bar(
            &Group {
                key: String::new(),
                name: "All judged images".into(),
                sessions: t.sessions,
                images: t.images,
                rated: t.rated,
                liked: t.liked,
                judged: t.judged,
                ko: t.ko,
                ko_rate: t.ko_rate,
            },
            everything.clone(),
            links.ko(|_| {}),
        );
        let mut sections = vec![
            group_section("model", "By model", &report.by_model, &links, |f, g| {
                f.sessions.model = Some(g.key.clone())
            }),
            group_section(
                "sampler",
                "By sampler",
                &report.by_sampler,
                &links,
                |f, g| f.sessions.sampler = Some(g.key.clone()),
            ),
            group_section(
                "scheduler",
                "By scheduler",
                &report.by_scheduler,
                &links,
                |f, g| f.sessions.scheduler = Some(g.key.clone()),
            ),
            group_section("tag", "By tag", &report.by_tag, &links, |f, g| {
                f.sessions.tag = crate::domain::tag::Tag::parse(&g.key).ok()
            }),
        ];
        let session_bars = report
            .by_session
            .iter()
            .filter_map(|g| {
                let id = SessionId(g.key.parse().ok()?);
                Some(group_bar(
                    g,
                    links.to(links.session(id)),
                    links.ko(links.session(id)),
                ))
            })
            .collect();
        sections.push(Section::new(
            "session",
            "Sessions with the most KO".to_owned(),
            format!(
                "The worst {} of the {} sessions with judged images.",
                report.by_session.len(),
                report.sessions_judged
            ),
            session_bars,
        ));
        sections.retain(|s| !s.bars.is_empty());
        let weeks = charts::weeks(&report.by_week, |monday| {
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
                Some(group_bar(g, links.to(week), links.ko(week)))
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
                        value_bar(v, links.to(set), links.ko(set))
                    })
                    .collect();
                Section::new(
                    &format!("placeholder-{}", p.placeholder),
                    p.placeholder.clone(),
                    format!(
                        "Placeholder · {} values, worst first (by the top of the interval: a value must fail often on many images to lead)",
                        p.values.len()
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
            numbers: numbers(report, &links, &links.to(|_| {})),
            ko_rate,
            categories: report
                .ko_by_category
                .iter()
                .map(|c| {
                    category_bar(
                        c,
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
            pairs: people::pairs(report, &links),
            raters: people::activity(report, &links),
            agreement: people::agreement(report, &links),
            computed_at: crate::clock::page_text(
                report.computed_at.naive_utc(),
                "%-d %b %Y, %H:%M:%S",
            ),
        }
    }
}

/// "42 %" for the page's title line.
pub fn headline(report: &Report) -> String {
    report
        .totals
        .ko_rate
        .map_or("nothing judged yet".to_owned(), |r| {
            format!("{} KO", pct(r.rate))
        })
}
