//! The image page over HTTP: metadata, highlighting, previous / next through a filter, notes.

use crate::ratings::good_image;
use crate::support::app::TestApp;

#[tokio::test]
async fn the_image_page_shows_the_image_its_metadata_and_the_searched_words() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let image = app.lib.count(
        "SELECT i.id AS value FROM images i JOIN prompt_texts p ON p.id = i.prompt_id
         WHERE i.broken IS NULL AND i.seed IS NOT NULL AND p.text LIKE '%portrait%' ORDER BY i.id LIMIT 1",
    );
    let seed = app.lib.count(&format!(
        "SELECT seed AS value FROM images WHERE id = {image}"
    ));
    let page = alice.get_text(&format!("/images/{image}?q=portrait")).await;
    assert!(page.contains(&format!(r#"<img src="/images/{image}/original""#)));
    assert!(
        page.contains("<mark>portrait</mark>"),
        "the searched word is marked"
    );
    assert!(page.contains(&seed.to_string()));
    assert!(page.contains("Negative prompt"));
    assert!(page.contains("Parameters"));
    assert!(page.contains("data-copy-from=\"prompt-text\""));
    assert!(page.contains("id=\"ko-dialog\""));
    assert!(
        page.contains("Search: portrait"),
        "the way back is the search"
    );
}

#[tokio::test]
async fn unknown_images_are_404_and_bad_filters_400() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    assert_eq!(alice.get("/images/999999").await.status(), 404);
    let image = good_image(&app);
    let response = alice.get(&format!("/images/{image}?status=maybe")).await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("ok, ko, split or none")
    );
}

#[tokio::test]
async fn previous_and_next_step_only_through_the_images_the_filter_keeps() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images WHERE on_disk AND NOT is_deleted
         GROUP BY session_id HAVING count(*) >= 6 ORDER BY session_id LIMIT 1",
    );
    let ids: Vec<i64> = (0..6)
        .map(|n| {
            app.lib.count(&format!(
                "SELECT id AS value FROM images WHERE session_id = {session} AND on_disk AND NOT is_deleted
                 ORDER BY filename, id LIMIT 1 OFFSET {n}"
            ))
        })
        .collect();
    // KO the 2nd, 4th and 6th in file order.
    let kos = [ids[1], ids[3], ids[5]];
    for id in kos {
        let response = alice
            .post(
                &format!("/images/{id}/rating"),
                &[("action", "ko"), ("category", "noise")],
            )
            .await;
        assert_eq!(response.status(), 200);
    }
    let query = format!("session={session}&status=ko");
    // Links carry `&` escaped, as HTML wants; read them back.
    let get = |id: i64, query: String| {
        let alice = &alice;
        async move {
            alice
                .get_text(&format!("/images/{id}?{query}"))
                .await
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        }
    };
    let page = get(kos[1], query.clone()).await;
    assert!(
        page.contains(&format!(r#"href="/images/{}?{query}" rel="prev""#, kos[0])),
        "previous is the KO before"
    );
    assert!(
        page.contains(&format!(r#"href="/images/{}?{query}" rel="next""#, kos[2])),
        "next is the KO after"
    );
    let first = get(kos[0], query.clone()).await;
    assert!(
        !first.contains("rel=\"prev\""),
        "the first KO has no previous"
    );
    assert!(
        first.contains(&format!(r#"href="/sessions/{session}?status=ko""#)),
        "back to the filtered gallery"
    );
    // Without a filter, the session in file order.
    let plain = alice.get_text(&format!("/images/{}", ids[1])).await;
    assert!(plain.contains(&format!(
        r#"href="/images/{}?session={session}" rel="next""#,
        ids[2]
    )));
}

#[tokio::test]
async fn notes_are_saved_in_place_escaped_and_length_limited() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let image = good_image(&app);
    let path = format!("/images/{image}/notes");
    let response = alice
        .post(&path, &[("notes", "<b>hands</b> look odd")])
        .await;
    assert_eq!(response.status(), 200);
    let fragment = response.text().await.unwrap();
    assert!(fragment.contains("id=\"image-notes\"") && !fragment.contains("<html"));
    assert!(
        fragment.contains("&#60;b&#62;hands") || fragment.contains("&lt;b&gt;hands"),
        "{fragment}"
    );
    assert_eq!(
        app.lib
            .text(&format!(
                "SELECT notes AS value FROM images WHERE id = {image}"
            ))
            .as_deref(),
        Some("<b>hands</b> look odd")
    );
    let long = "n".repeat(4001);
    let response = alice.post(&path, &[("notes", &long)]).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("limited to 4000"));
    let viewer = app.browser("vera", "viewer").await;
    assert_eq!(
        viewer.post(&path, &[("notes", "mine now")]).await.status(),
        403
    );
    assert_eq!(
        alice
            .post("/images/999999/notes", &[("notes", "x")])
            .await
            .status(),
        404
    );
}

/// 40,000 `key: value` pairs that all differ from the session's first image once took the
/// image page 9-12 s (SQLite's `json_patch` is quadratic); it is linear now.
#[tokio::test]
async fn an_image_with_tens_of_thousands_of_parameters_opens_quickly() {
    use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes};
    let lib = crate::support::TestLibrary::empty();
    let dir = lib.root.join("20261126_130000-many keys");
    std::fs::create_dir(&dir).unwrap();
    for (file, prefix) in [("00000.png", "a"), ("00001.png", "b")] {
        let pairs: Vec<String> = (0..40_000)
            .map(|i| format!("{prefix}{i:05}: v{i}"))
            .collect();
        let chunk = TextChunk {
            kind: TextKind::Text,
            keyword: "parameters".into(),
            text: format!("many keys\n{}", pairs.join(", ")),
            after_idat: false,
        };
        std::fs::write(dir.join(file), png_bytes(8, 8, &[chunk]).unwrap()).unwrap();
    }
    assert!(lib.import().validation.ok);
    let app = TestApp::serve(lib).await;
    let alice = app.browser("alice", "reviewer").await;
    let image = app
        .lib
        .count("SELECT id AS value FROM images WHERE filename = '00001.png'");
    let started = std::time::Instant::now();
    let page = alice.get_text(&format!("/images/{image}")).await;
    let took = started.elapsed();
    assert!(page.contains("b39999") && !page.contains("a39999"));
    // Generous for a debug build on a busy machine; the quadratic page took seconds.
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
}

/// "Split: 1 OK, 1 KO" beside a bare "Perfect" left one guessing who thought what: the
/// combined verdict says it in words, with names.
#[tokio::test]
async fn a_split_verdict_says_in_words_who_said_what() {
    let app = TestApp::spawn().await;
    let lea = app.browser("lea", "reviewer").await;
    app.add_user("sam", "reviewer");
    let image = good_image(&app);
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, created_at, updated_at)
         SELECT {image}, id, 'perfect', 1, 'ok', NULL, datetime(), datetime() FROM users WHERE name = 'lea';
         INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, created_at, updated_at)
         SELECT {image}, id, NULL, 0, 'ko', 'noise', datetime(), datetime() FROM users WHERE name = 'sam';"
    ));
    let page = lea.get_text(&format!("/images/{image}")).await;
    let start = page.find("class=\"combined\"").unwrap();
    let end = start + page[start..].find("class=\"raters\"").unwrap();
    let combined = text_of(&page[start..end]);
    for said in [
        "Split: the raters disagree",
        "OK: lea",
        "KO: sam (Noise or artefacts)",
        "Perfect: lea",
        "Liked: lea",
    ] {
        assert!(combined.contains(said), "{said:?} in {combined:?}");
    }
}

/// The words of some HTML, tags dropped and spaces collapsed.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" :", ":")
        .replace("( ", "(")
        .replace(" )", ")")
}
