use super::*;
use crate::domain::ids::SessionId;

fn parse(query: &str) -> Result<ReviewQuery, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    ReviewQuery::parse(&pairs)
}

#[test]
fn a_queue_is_unrated_and_blind_unless_the_url_says_otherwise() {
    let query = parse("session=4").unwrap();
    assert_eq!(query.filter.session, Some(SessionId(4)));
    assert!(query.filter.unrated_by_me);
    assert!(query.blind);
    assert_eq!(query.order, ReviewOrder::File);
    let all = parse("unrated=0&blind=0&order=seed").unwrap();
    assert!(!all.filter.unrated_by_me);
    assert!(!all.blind);
    assert_eq!(all.order, ReviewOrder::Seed);
    assert!(parse("unrated=").unwrap().filter.unrated_by_me);
}

#[test]
fn the_queue_survives_a_round_trip_through_the_url() {
    let query = parse(
        "q=red+cat&var=hair%3Ared&tag=portraits&order=random&salt=99&blind=0&unrated=0\
         &since=2026-12-01T09:30:00&cursor=17",
    )
    .unwrap();
    assert_eq!(query.cursor, Some(ImageId(17)));
    let again = parse(&query.query_string()).unwrap();
    assert_eq!(
        again,
        ReviewQuery {
            cursor: None,
            ..query.clone()
        }
    );
    let next = parse(&query.after(ImageId(18))).unwrap();
    assert_eq!(next.cursor, Some(ImageId(18)));
}

#[test]
fn an_undo_carries_the_whole_verdict_that_was_there() {
    let before = Verdict {
        quality: Some(Quality::Imperfect),
        liked: true,
        status: Some(Status::Ko),
        failure_category: Some("noise".into()),
        failure_notes: Some("grain: everywhere".into()),
    };
    let query = parse("session=1").unwrap();
    let url = query.with_undo(ImageId(5), &before, false);
    let back = parse(&url).unwrap();
    assert_eq!(back.undo, Some((ImageId(5), before)));
    assert_eq!(back.cursor, Some(ImageId(5)));
    let nothing = parse(&query.with_undo(ImageId(6), &Verdict::default(), true)).unwrap();
    assert_eq!(nothing.undo, Some((ImageId(6), Verdict::default())));
    assert_eq!((nothing.at, nothing.cursor), (Some(ImageId(6)), None));
}

#[test]
fn bad_review_parameters_are_refused_with_what_is_allowed() {
    assert!(
        parse("order=size")
            .unwrap_err()
            .contains("file, seed, random, likely_ko or uncertain")
    );
    assert!(parse("blind=maybe").unwrap_err().contains("1 or 0"));
    assert!(
        parse("since=yesterday")
            .unwrap_err()
            .contains("2026-12-01T09:30:00")
    );
    assert!(parse("cursor=abc").unwrap_err().contains("image number"));
    assert!(
        parse("undo=3&was=xyz")
            .unwrap_err()
            .contains("three letters")
    );
    assert!(
        parse("undo=3&was=-0k")
            .unwrap_err()
            .contains("was_category")
    );
    assert!(parse("deleted=1").unwrap_err().contains("not deleted"));
    assert!(
        parse("colour=red")
            .unwrap_err()
            .contains("unknown parameter")
    );
}

#[test]
fn the_scope_of_a_pass_keeps_where_it_looks_and_drops_verdict_filters() {
    let query = parse("session=2&status=ko&whose=mine&var=hair%3Ared").unwrap();
    let scope = query.scope();
    assert_eq!(scope.session, Some(SessionId(2)));
    assert_eq!(scope.variations.len(), 1);
    assert!(scope.status.is_none() && !scope.unrated_by_me);
}
