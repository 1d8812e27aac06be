//! A bulk action posted from a gallery: which images (ids, or every image of the filter) and
//! what to do to them.

use crate::domain::ids::ImageId;
use crate::domain::rating::RatingAction;
use crate::domain::rating_form::RatingForm;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Ids(Vec<ImageId>),
    /// Every image that passes the gallery's filter (sent in the URL).
    AllMatching,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    Rate(RatingAction),
    Delete,
    Restore,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRequest {
    pub selection: Selection,
    pub action: BulkAction,
}

/// At most this many ids in one request: a page holds 100, "all matching" sends none.
const MAX_IDS: usize = 10_000;

impl BulkRequest {
    pub fn parse(pairs: &[(String, String)]) -> Result<BulkRequest, String> {
        let (mut ids, mut all, mut action, mut category) = (Vec::new(), false, None, None);
        for (key, value) in pairs {
            match key.as_str() {
                "ids" => {
                    ids.push(ImageId(value.trim().parse().map_err(|_| {
                        format!("`ids` holds image numbers, not `{value}`")
                    })?))
                }
                "all" => all = matches!(value.as_str(), "1" | "true" | "on"),
                "action" => action = Some(value.clone()),
                "category" => category = Some(value.clone()).filter(|c| !c.is_empty()),
                // One button per category (the KO menu): `ko=noise` is KO with that category.
                "ko" => {
                    action = Some("ko".to_owned());
                    category = Some(value.clone()).filter(|c| !c.is_empty());
                }
                other => {
                    return Err(format!(
                        "unknown field `{other}`: a bulk action takes ids, all, action, category \
                         and ko"
                    ));
                }
            }
        }
        if ids.len() > MAX_IDS {
            return Err(format!(
                "at most {MAX_IDS} images at once; use \"select all matching\" instead"
            ));
        }
        let action = match action.as_deref() {
            None | Some("") => return Err("choose an action".into()),
            Some("delete") => BulkAction::Delete,
            Some("restore") => BulkAction::Restore,
            Some(name @ ("perfect" | "imperfect" | "like" | "ko" | "ok" | "not_ko")) => {
                BulkAction::Rate(
                    RatingForm {
                        action: name.to_owned(),
                        category,
                        ..RatingForm::default()
                    }
                    .parse()
                    .map_err(|e| e.message)?,
                )
            }
            Some(other) => {
                return Err(format!(
                    "unknown bulk action `{other}`: use perfect, imperfect, like, ko, ok, not_ko, \
                     delete or restore"
                ));
            }
        };
        let selection = if all {
            Selection::AllMatching
        } else if ids.is_empty() {
            return Err("select at least one image".into());
        } else {
            Selection::Ids(ids)
        };
        Ok(BulkRequest { selection, action })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<BulkRequest, String> {
        BulkRequest::parse(&serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap())
    }

    #[test]
    fn ids_or_all_with_an_action() {
        let request = parse("ids=3&ids=4&action=like").unwrap();
        assert_eq!(
            request.selection,
            Selection::Ids(vec![ImageId(3), ImageId(4)])
        );
        assert_eq!(request.action, BulkAction::Rate(RatingAction::Like));
        let all = parse("all=1&action=delete").unwrap();
        assert_eq!(
            (all.selection, all.action),
            (Selection::AllMatching, BulkAction::Delete)
        );
    }

    #[test]
    fn a_ko_button_carries_its_category() {
        let request = parse("ids=3&ko=noise").unwrap();
        assert_eq!(
            request.action,
            BulkAction::Rate(RatingAction::Ko {
                category: "noise".into(),
                notes: None
            })
        );
    }

    #[test]
    fn mistakes_are_named() {
        assert!(
            parse("action=like")
                .unwrap_err()
                .contains("select at least one")
        );
        assert!(parse("ids=1&action=ko").unwrap_err().contains("category"));
        assert!(
            parse("ids=x&action=like")
                .unwrap_err()
                .contains("image numbers")
        );
        assert!(
            parse("ids=1&action=burn")
                .unwrap_err()
                .contains("unknown bulk action")
        );
        assert!(parse("ids=1").unwrap_err().contains("choose an action"));
    }
}
