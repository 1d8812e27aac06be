//! A comparison from the URL: a set of images (a session or a search, with any gallery
//! filter) and the placeholder whose values stand side by side.

use crate::domain::gallery_filter::GalleryFilter;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareQuery {
    pub filter: GalleryFilter,
    /// None until one is chosen: the page then offers the set's placeholders.
    pub placeholder: Option<String>,
}

impl CompareQuery {
    pub fn parse(pairs: &[(String, String)]) -> Result<CompareQuery, String> {
        let (own, rest): (Vec<_>, Vec<_>) = pairs
            .iter()
            .cloned()
            .partition(|(key, _)| key == "placeholder");
        let filter = GalleryFilter::parse(&rest)?;
        if filter.session.is_none() && filter.search.is_none() {
            return Err("compare needs a set: give a `session` or a search `q`".into());
        }
        if filter.deleted {
            return Err("compare looks at images that are not deleted: drop `deleted`".into());
        }
        let placeholder = own
            .into_iter()
            .map(|(_, value)| value.trim().to_owned())
            .rfind(|value| !value.is_empty());
        Ok(CompareQuery {
            filter,
            placeholder,
        })
    }

    /// The set and placeholder as query pairs, without the page.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.filter.pairs();
        if let Some(placeholder) = &self.placeholder {
            pairs.push(("placeholder", placeholder.clone()));
        }
        pairs
    }

    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self.pairs()).unwrap_or_default()
    }

    pub fn page_query(&self, page: u32) -> String {
        let mut pairs = self.pairs();
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<CompareQuery, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
        CompareQuery::parse(&pairs)
    }

    #[test]
    fn a_comparison_names_its_set_and_placeholder_and_survives_the_url() {
        let query = parse("session=3&placeholder=Hair+colour&page=2").unwrap();
        assert_eq!(query.placeholder.as_deref(), Some("Hair colour"));
        assert_eq!(query.filter.page, 2);
        let again = parse(&query.page_query(2)).unwrap();
        assert_eq!(again, query);
        assert!(parse("q=red&placeholder=").unwrap().placeholder.is_none());
    }

    #[test]
    fn a_comparison_without_a_set_is_refused_with_what_to_give() {
        assert!(parse("placeholder=Hair").unwrap_err().contains("`session`"));
        assert!(
            parse("session=1&colour=red")
                .unwrap_err()
                .contains("unknown parameter")
        );
    }
}
