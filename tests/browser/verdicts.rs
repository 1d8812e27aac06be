//! One symbol and one colour per verdict on every page: the sessions' badges, the tiles, the
//! filters, the buttons and the image page's verdicts.

use std::collections::{BTreeMap, BTreeSet};

use fantoccini::Client;

use crate::driver::{Driver, Screen, find};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

/// For each verdict, the drawings (`d` of its path) and the colours its symbol shows on this
/// page. A symbol drawn in `--on-verdict` sits on a badge filled with the verdict's colour, and
/// a toggle not pressed is grey until pressed: neither says anything else.
const SYMBOLS: &str = r##"
    const probe = document.createElement("span");
    probe.style.color = "var(--on-verdict)";
    document.body.append(probe);
    const onVerdict = getComputedStyle(probe).color;
    probe.remove();
    const out = {};
    for (const icon of document.querySelectorAll("svg.icon")) {
        const verdict = [...icon.classList].find((c) => c.startsWith("i-"));
        if (!verdict || icon.closest('[aria-pressed="false"]')) continue;
        let colour = getComputedStyle(icon).color;
        if (colour === onVerdict) colour = getComputedStyle(icon.parentElement).backgroundColor;
        const seen = (out[verdict.slice(2)] ??= { paths: [], colours: [] });
        const path = icon.querySelector("path").getAttribute("d");
        if (!seen.paths.includes(path)) seen.paths.push(path);
        if (!seen.colours.includes(colour)) seen.colours.push(colour);
    }
    const glyphs = [..."♥✓✗✕▲▼"].filter((g) => document.body.innerText.includes(g));
    return { symbols: out, glyphs };
"##;

type Seen = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

async fn collect(client: &Client, page: &str, seen: &mut Seen) {
    let found = client.execute(SYMBOLS, vec![]).await.unwrap();
    let glyphs = found["glyphs"].as_array().unwrap();
    assert!(
        glyphs.is_empty(),
        "{page} still draws verdicts with text glyphs: {glyphs:?}"
    );
    for (verdict, what) in found["symbols"].as_object().unwrap() {
        let entry = seen.entry(verdict.clone()).or_default();
        for path in what["paths"].as_array().unwrap() {
            entry.0.insert(path.as_str().unwrap().to_owned());
        }
        for colour in what["colours"].as_array().unwrap() {
            entry
                .1
                .insert(format!("{} (on {page})", colour.as_str().unwrap()));
        }
    }
}

fn colour_of(label: &str) -> &str {
    label.split(" (on ").next().unwrap()
}

#[tokio::test]
async fn each_verdict_has_one_symbol_and_one_colour_on_every_page() {
    let app = TestApp::spawn().await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images WHERE broken IS NULL GROUP BY session_id HAVING count(*) >= 5 ORDER BY session_id LIMIT 1",
    );
    let reviewer = app.add_user("vic", "reviewer");
    app.add_user("wren", "reviewer");
    // Both raters give every kind of verdict somewhere in the session.
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, created_at, updated_at)
         SELECT i.id, u.id,
                CASE (i.id + u.id) % 3 WHEN 0 THEN 'perfect' WHEN 1 THEN 'imperfect' END,
                (i.id + u.id) % 2 = 0,
                CASE (i.id + u.id) % 3 WHEN 0 THEN 'ok' WHEN 1 THEN 'ko' END,
                CASE (i.id + u.id) % 3 WHEN 1 THEN 'noise' END,
                datetime('now'), datetime('now')
         FROM images i, users u WHERE i.session_id = {session} AND i.broken IS NULL"
    ));
    let image = app.lib.count(
        "SELECT image_id AS value FROM judgements j JOIN users u ON u.id = j.user_id
         WHERE u.name = 'vic' AND j.quality = 'perfect' AND j.liked = 1 ORDER BY image_id LIMIT 1",
    );
    let driver = Driver::start().await;
    for screen in [Screen::DESKTOP, Screen::DESKTOP.dark()] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &reviewer).await;
        let mut seen = Seen::new();
        for page in [
            "/sessions".to_owned(),
            format!("/sessions/{session}"),
            format!("/images/{image}"),
        ] {
            client
                .goto(&format!("{}{page}", app.address))
                .await
                .unwrap();
            find(&client, "main").await;
            collect(&client, &page, &mut seen).await;
        }
        for verdict in ["perfect", "imperfect", "like", "ok", "ko"] {
            let (paths, colours) = seen
                .get(verdict)
                .unwrap_or_else(|| panic!("no symbol for {verdict} anywhere"));
            assert_eq!(paths.len(), 1, "{verdict} is drawn {} ways", paths.len());
            let distinct: BTreeSet<&str> = colours.iter().map(|c| colour_of(c)).collect();
            assert_eq!(
                distinct.len(),
                1,
                "{verdict} shows in several colours (dark: {}): {colours:#?}",
                screen.dark
            );
        }
        let drawings: BTreeSet<&String> = seen.values().flat_map(|(paths, _)| paths).collect();
        assert_eq!(drawings.len(), seen.len(), "no two verdicts share a symbol");
        client.close().await.unwrap();
    }
}
