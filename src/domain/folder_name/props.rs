//! Properties of folder-name parsing on any name: no panic, no part longer than the name, and
//! names written in either shape read back.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn moment() -> impl Strategy<Value = NaiveDateTime> {
    (
        2000i32..2100,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| {
            NaiveDate::from_ymd_opt(y, mo, d)
                .and_then(|date| date.and_hms_opt(h, mi, s))
                .unwrap_or_default()
        })
}

proptest! {
    #![proptest_config(crate::proptest_config::with_cases(512))]

    #[test]
    fn any_name_parses_into_parts_no_longer_than_itself(folder in any::<String>()) {
        let parsed = FolderName::parse(&folder);
        for part in [Some(&parsed.name), parsed.theme.as_ref(), parsed.style.as_ref()]
            .into_iter()
            .flatten()
        {
            prop_assert!(part.len() <= folder.len());
        }
    }

    #[test]
    fn date_shaped_names_parse_without_panic(
        folder in "[0-9]{4}-?[0-9]{2}-?[0-9]{2}_[0-9]{6}[-_][a-zé -]{0,12}(\\.prompt)?"
    ) {
        let parsed = FolderName::parse(&folder);
        prop_assert!(parsed.name.len() <= folder.len());
    }

    #[test]
    fn current_names_read_back(
        at in moment(),
        name in "[a-zé][a-z0-9é ]{0,12}",
        theme_style in proptest::option::of(("[a-z]{1,8}", "[a-z]{1,8}")),
    ) {
        let mut folder = format!("{}-{name}", at.format("%Y%m%d_%H%M%S"));
        if let Some((theme, style)) = &theme_style {
            folder.push_str(&format!("-{theme}-{style}"));
        }
        let parsed = FolderName::parse(&folder);
        prop_assert_eq!(parsed.shape, NameShape::Current);
        prop_assert_eq!(parsed.created_at, Some(at));
        prop_assert_eq!(parsed.name, name);
        prop_assert_eq!(parsed.theme, theme_style.as_ref().map(|(t, _)| t.clone()));
        prop_assert_eq!(parsed.style, theme_style.map(|(_, s)| s));
    }

    #[test]
    fn legacy_names_read_back(at in moment(), name in "[a-zé][a-z0-9é _-]{0,12}") {
        let folder = format!("{}_{name}.prompt", at.format("%Y-%m-%d_%H%M%S"));
        let parsed = FolderName::parse(&folder);
        prop_assert_eq!(parsed.shape, NameShape::Legacy);
        prop_assert_eq!(parsed.created_at, Some(at));
        prop_assert_eq!(parsed.name, name);
    }
}
