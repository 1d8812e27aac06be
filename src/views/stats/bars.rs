//! Rates drawn as bars with whiskers (the 95 % interval), in SVG that the template writes out:
//! nothing to download, nothing that needs JavaScript. Coordinates are percentages of a
//! 100-wide box stretched to the row's width.

use crate::analytics::report::{CategoryCount, Group, PlaceholderValue, Totals};
use crate::domain::stats::rule::KoRule;
use crate::domain::stats::wilson::Rate;

/// One labelled bar: a rate with its interval, what it counts, and where it leads.
pub struct Bar {
    pub label: String,
    /// The whole name when `label` is cut short (a template's text); else empty.
    pub title: String,
    /// All the images behind the row.
    pub href: String,
    /// The failures behind the rate: the KO images (of a success rate too: they say why).
    pub rate_href: String,
    pub value: String,
    pub detail: String,
    /// A short description for screen readers.
    pub aria: String,
    pub fill: String,
    pub low: String,
    pub high: String,
    /// Nobody judged these images: no bar, just the counts.
    pub empty: bool,
    /// An extra line (the most common failure).
    pub note: String,
}

pub fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 0.0 && p < 1.0 {
        format!("{p:.1} %")
    } else {
        format!("{p:.0} %")
    }
}

fn coordinate(x: f64) -> String {
    format!("{:.2}", (x * 100.0).clamp(0.0, 100.0))
}

impl Bar {
    pub fn new(label: String, href: String, rate_href: String, rate: Option<Rate>) -> Bar {
        let r = rate.unwrap_or(Rate {
            rate: 0.0,
            low: 0.0,
            high: 0.0,
        });
        Bar {
            aria: match rate {
                Some(r) => format!(
                    "{label}: {}, 95 % interval {} to {}",
                    pct(r.rate),
                    pct(r.low),
                    pct(r.high)
                ),
                None => format!("{label}: nothing judged"),
            },
            label,
            title: String::new(),
            href,
            rate_href,
            value: rate.map_or("–".to_owned(), |r| pct(r.rate)),
            detail: String::new(),
            fill: coordinate(r.rate),
            low: coordinate(r.low),
            high: coordinate(r.high),
            empty: rate.is_none(),
            note: String::new(),
        }
    }

    pub fn with_detail(mut self, detail: String) -> Bar {
        self.detail = detail;
        self
    }

    /// The label on one line of at most `max` characters, the whole of it in a tooltip.
    pub fn shortened(mut self, max: usize) -> Bar {
        let short = crate::domain::one_line::one_line(&self.label, max);
        if short != self.label {
            self.aria = self.aria.replacen(&self.label, &short, 1);
            self.title = std::mem::replace(&mut self.label, short);
        }
        self
    }
}

/// Coverage beside a rate: "1.9 raters per image" (statuses given per judged image).
pub fn coverage(raters_per_image: Option<f64>) -> String {
    raters_per_image.map_or("no raters yet".to_owned(), |r| {
        format!("{r:.1} raters per image")
    })
}

pub fn interval(rate: Option<Rate>) -> String {
    rate.map_or(String::new(), |r| {
        let (low, high) = (pct(r.low), pct(r.high));
        format!(" ({}–{high})", low.trim_end_matches(" %"))
    })
}

/// A group's KO rate: "KO 42 of 120 judged images (27–44 %) · rule: any · 1.8 raters per
/// image · 310 images".
pub fn group_bar(group: &Group, rule: KoRule, href: String, ko_href: String) -> Bar {
    let detail = format!(
        "KO {} of {} {}{} · {} · {} · {} images",
        group.ko,
        group.counted,
        rule.unit(),
        interval(group.ko_rate),
        rule.tag(),
        coverage(group.raters_per_image),
        group.images
    );
    Bar::new(group.name.clone(), href, ko_href, group.ko_rate).with_detail(detail)
}

pub fn category_bar(category: &CategoryCount, totals: &Totals, rule: KoRule, href: String) -> Bar {
    let detail = format!(
        "{} of the {} {}{} · {} · {}",
        category.images,
        totals.counted,
        rule.unit(),
        interval(category.rate),
        rule.tag(),
        coverage(totals.raters_per_image)
    );
    Bar::new(category.label.clone(), href.clone(), href, category.rate).with_detail(detail)
}

pub fn value_bar(value: &PlaceholderValue, rule: KoRule, href: String, ko_href: String) -> Bar {
    let detail = format!(
        "OK {} of {} {}{} · {} · {} · {} images",
        value.counted - value.ko,
        value.counted,
        rule.unit(),
        interval(value.success_rate),
        rule.tag(),
        coverage(value.raters_per_image),
        value.images
    );
    let mut bar =
        Bar::new(value.value.clone(), href, ko_href, value.success_rate).with_detail(detail);
    if let Some(category) = &value.common_category {
        bar.note = format!("fails mostly: {category}");
    }
    bar
}
