//! What an export is asked for: the gallery's filters, less what orders or pages a gallery (an
//! export holds every matching image, in id order) and less near-duplicate stacks (an export
//! lists every image). `GET /api/export/images` and `sdreview export` both check their
//! parameters here, so they take the same ones and refuse the others in the same words.

use crate::domain::gallery_filter::{self, GalleryFilter};
use crate::domain::query_params::{QueryParam, Values};
use crate::domain::stats_request::FieldError;

/// The web export's own parameter (the command line has `--format`).
pub const FORMAT: QueryParam = QueryParam::new(
    "format",
    Values::OneOf(&["csv", "jsonl", "parquet"]),
    "the file's format",
    "csv",
)
.required();

/// The `status` column under the statistics' KO rule (the command line has `--rule`).
pub const RULE: QueryParam = QueryParam::new(
    "rule",
    Values::OneOf(&["any", "majority"]),
    "the `status` column under the statistics' KO rule: any (anyone said KO) or majority (more \
     than half of the raters); without it, `split` where raters disagree",
    "majority",
);

/// A gallery's and a list's order and paging: an export has neither.
const ORDER_AND_PAGING: &[&str] = &["page", "sort", "cursor", "limit"];

/// The gallery's filters an export takes (every one but its order and page).
pub fn filter_params() -> impl Iterator<Item = &'static QueryParam> {
    gallery_filter::PARAMS
        .iter()
        .filter(|p| !ORDER_AND_PAGING.contains(&p.name))
}

/// The gallery's filter of an export, with the parameter at fault named when it is refused.
pub fn filter(pairs: &[(String, String)]) -> Result<GalleryFilter, FieldError> {
    if let Some((key, _)) = pairs
        .iter()
        .find(|(key, _)| ORDER_AND_PAGING.contains(&key.as_str()))
    {
        return Err(FieldError::new(
            key.as_str(),
            format!("an export holds every matching image in id order: leave out `{key}`"),
        ));
    }
    let filter = named(pairs)?;
    every_image(&filter)?;
    Ok(filter)
}

/// [`GalleryFilter::parse`], naming the parameter it refused.
pub fn named(pairs: &[(String, String)]) -> Result<GalleryFilter, FieldError> {
    GalleryFilter::parse(pairs).map_err(|message| {
        // Each parameter parses on its own, so the first one that fails alone is the culprit.
        let field = pairs
            .iter()
            .find(|pair| GalleryFilter::parse(std::slice::from_ref(*pair)).is_err())
            .map_or("query", |(key, _)| key.as_str());
        FieldError::new(field, message)
    })
}

/// Lists and exports give every image: a stack of near-duplicates is the gallery's way of
/// showing them, not another set of images.
pub fn every_image(filter: &GalleryFilter) -> Result<(), FieldError> {
    if filter.group_near {
        return Err(FieldError::new(
            "group",
            "lists and exports give every image: `group=near` stacks near-duplicates in the \
             gallery and counts each group once in /api/analytics/stats. An image's \
             near-duplicates are at /api/images/{id}/similar.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(query: &str) -> Result<GalleryFilter, FieldError> {
        filter(&serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap())
    }

    #[test]
    fn order_and_paging_are_refused_by_name() {
        for key in ["sort", "page", "cursor", "limit"] {
            let refused = parse(&format!("status=ko&{key}=2")).unwrap_err();
            assert_eq!(refused.field, key);
            assert!(refused.message.contains("leave out"), "{}", refused.message);
        }
    }

    #[test]
    fn the_culprit_of_a_bad_filter_and_of_a_stack_is_named() {
        assert_eq!(parse("status=ko&colour=red").unwrap_err().field, "colour");
        assert_eq!(parse("group=near").unwrap_err().field, "group");
        assert!(parse("status=ko&var=Subject:fox&group=none").is_ok());
    }

    #[test]
    fn every_filter_it_lists_is_taken_with_its_example() {
        for param in filter_params() {
            let pair = format!("{}={}", param.name, param.example);
            assert!(parse(&pair).is_ok(), "{pair}");
        }
    }
}
