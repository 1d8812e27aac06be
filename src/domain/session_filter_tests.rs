use super::*;

fn parse(pairs: &[(&str, &str)]) -> Result<SessionFilter, String> {
    let text = serde_urlencoded::to_string(pairs).unwrap();
    let query: SessionQuery = serde_urlencoded::from_str(&text).unwrap();
    SessionFilter::try_from(&query)
}

#[test]
fn an_empty_query_shows_active_sessions_newest_first_fifty_a_page() {
    let filter = parse(&[]).unwrap();
    assert_eq!(filter.show, Show::Active);
    assert_eq!((filter.sort, filter.ascending), (Sort::Date, false));
    assert_eq!((filter.page, filter.per_page, filter.offset()), (1, 50, 0));
    assert_eq!(filter.query_string(1), "");
    assert_eq!(filter, SessionFilter::default());
}

#[test]
fn empty_values_mean_not_set() {
    let filter = parse(&[("model", ""), ("tag", " "), ("from", ""), ("starred", "")]).unwrap();
    assert_eq!(filter, parse(&[]).unwrap());
}

#[test]
fn every_value_is_parsed_and_written_back_the_same() {
    let pairs = [
        ("show", "archived"),
        ("model", "sdxl base"),
        ("sampler", "Euler a"),
        ("tag", "Best"),
        ("from", "2025-01-02"),
        ("to", "2025-02-03"),
        ("q", "cat"),
        ("starred", "1"),
        ("unrated", "1"),
        ("sort", "ko_rate"),
        ("dir", "asc"),
        ("per_page", "200"),
        ("page", "3"),
    ];
    let filter = parse(&pairs).unwrap();
    assert_eq!(filter.tag.as_ref().unwrap().as_str(), "best");
    assert_eq!(filter.offset(), 400);
    let again: SessionQuery = serde_urlencoded::from_str(&filter.query_string(3)).unwrap();
    assert_eq!(SessionFilter::try_from(&again).unwrap(), filter);
}

#[test]
fn bad_values_are_refused_with_the_allowed_ones() {
    let cases = [
        (
            "show",
            "trash",
            "active, archived, test, failed, deleted, all",
        ),
        ("sort", "size", "date, name, images, like_rate, ko_rate"),
        ("dir", "up", "asc or desc"),
        ("per_page", "30", "25, 50, 100 or 200"),
        ("page", "0", "a number from 1"),
        ("page", "x", "a number from 1"),
        ("from", "12/01/2025", "YYYY-MM-DD"),
        ("starred", "yes", "1 or 0"),
        ("unrated", "2", "1 or 0"),
    ];
    for (name, value, allowed) in cases {
        let error = parse(&[(name, value)]).unwrap_err();
        assert!(error.contains(allowed), "{name}={value}: {error}");
    }
    let error = parse(&[("from", "2025-02-01"), ("to", "2025-01-01")]).unwrap_err();
    assert!(error.contains("empty"), "{error}");
    assert!(parse(&[("q", &"a".repeat(201))]).is_err());
    assert!(parse(&[("tag", &"a".repeat(41))]).is_err());
}

#[test]
fn a_name_search_quotes_each_word_as_a_prefix() {
    let filter = parse(&[("q", "cat \"OR portrait*")]).unwrap();
    assert_eq!(
        filter.fts_expression().unwrap(),
        "\"cat\"* \"OR\"* \"portrait\"*"
    );
    assert_eq!(parse(&[("q", "--")]).unwrap().fts_expression(), None);
    assert_eq!(parse(&[]).unwrap().fts_expression(), None);
}

#[test]
fn sorting_by_the_current_column_flips_it_and_returns_to_page_one() {
    let filter = parse(&[("page", "4")]).unwrap();
    let by_date = filter.sorted_by(Sort::Date);
    assert_eq!((by_date.ascending, by_date.page), (true, 1));
    assert!(filter.sorted_by(Sort::Name).ascending);
    assert!(!filter.sorted_by(Sort::Images).ascending);
    assert_eq!(filter.sorted_by(Sort::Name).query_string(1), "sort=name");
}
