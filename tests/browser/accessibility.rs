//! axe-core on every page, at a desktop and a phone size, in light and in dark: no serious or
//! critical violation. axe-core comes from npm (`static/package.json`, a dev dependency) and is
//! injected by the test; the binary never serves it. Also: every control on a phone is big
//! enough for a finger.

use fantoccini::Client;

use crate::driver::{Driver, Screen, find};
use crate::fit;
use crate::screenshots::household;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

fn axe_source() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/static/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run `npm ci --prefix static` first"))
}

/// Serious and critical violations on the current page, one line each.
async fn violations(client: &Client, axe: &str) -> Vec<String> {
    client.execute(axe, vec![]).await.unwrap();
    let found = client
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            // Moderate in axe, but asked for: a heading on every page, a way past the header,
            // search landmarks that can be told apart.
            const always = ["page-has-heading-one", "bypass", "skip-link", "landmark-unique", "landmark-one-main"];
            // The page as it settles: a colour caught halfway through a fade (a busy machine
            // makes them slow) is not what a person reads.
            const settled = Promise.race([
                Promise.all(document.getAnimations()
                    .filter((a) => a.effect?.getTiming().iterations !== Infinity)
                    .map((a) => a.finished.catch(() => null))),
                new Promise((resolve) => setTimeout(resolve, 3000)),
            ]);
            settled.then(() => axe.run(document, { resultTypes: ["violations"] })).then((result) => done(
                result.violations
                    .filter((v) => v.impact === "serious" || v.impact === "critical" || always.includes(v.id))
                    .flatMap((v) => v.nodes.map((n) =>
                        `${v.impact} ${v.id}: ${v.help} at ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`))
            ), (error) => done([`axe failed: ${error}`]));
            "#,
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The pages a household uses, signed in as an admin (who sees every control), each with a
/// script that opens what the page hides at first (menus, bars, dialogs) for a second look.
fn pages(app: &TestApp) -> Vec<(String, &'static str)> {
    let session = app.lib.count(
        "SELECT i.session_id AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.broken IS NULL AND i.is_deleted = 0 AND s.is_deleted = 0
         GROUP BY i.session_id ORDER BY count(*) DESC, i.session_id LIMIT 1",
    );
    // Raters who disagree: the image page shows a split verdict.
    let image = app.lib.count(
        "SELECT i.id AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.broken IS NULL AND i.is_deleted = 0 AND s.is_deleted = 0
         ORDER BY i.ok_count > 0 AND i.ko_count > 0 DESC, i.rater_count DESC, i.id LIMIT 1",
    );
    let word = app
        .lib
        .text("SELECT value FROM variations ORDER BY id LIMIT 1")
        .unwrap();
    let gallery = "need('details.filters-panel').open = true;
         need('[data-select-toggle]').click();
         need('#gallery-results details.more').open = true;";
    vec![
        (
            "/sessions".into(),
            "need('details.filters').open = true;
             need('#session-list label.pick input').click();
             need('#bulk details.more').open = true;",
        ),
        ("/sessions?per_page=25&page=2".into(), ""),
        (format!("/sessions/{session}"), gallery),
        (format!("/images/{image}"), "need('#rate-ko').click();"),
        ("/search".into(), ""),
        (format!("/search?q={word}"), gallery),
        ("/trash".into(), "need('#trash label.pick input').click();"),
        ("/review".into(), ""),
        ("/stats".into(), ""),
        ("/insights".into(), ""),
        (format!("/images/{image}?like_this=1"), ""),
        ("/admin".into(), "need('details.nav-menu').open = true;"),
        ("/account".into(), ""),
        ("/no/such/page".into(), ""),
    ]
}

async fn look(client: &Client, axe: &str, screen: Screen, page: &str, problems: &mut Vec<String>) {
    for problem in violations(client, axe).await {
        problems.push(format!("{page}: {problem}"));
    }
    if screen.touch {
        for small in fit::small_targets(client, 44.0).await {
            problems.push(format!("{page}: too small for a finger: {small}"));
        }
    }
}

async fn check(screen: Screen) {
    let app = TestApp::spawn().await;
    let admin = app.add_user("admin", "admin");
    app.add_user("lea", "reviewer");
    household(&app);
    // Trained, so the statistics page shows the predictor's card and images their prediction.
    app.add_user("pia", "reviewer");
    let value = crate::support::planted_verdicts::common_value(&app.lib);
    crate::support::planted_verdicts::plant(&app.lib, "pia", &value);
    let mut conn = app.lib.pool().get().unwrap();
    let trained = sdreview::predict::run::train_and_score(&mut conn, false, |_| true).unwrap();
    assert!(matches!(
        trained,
        sdreview::predict::run::RunOutcome::Trained { .. }
    ));
    let axe = axe_source();
    let driver = Driver::start().await;
    let client = driver.open(screen).await;
    let dark = client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        dark.as_bool(),
        Some(screen.dark),
        "the colour scheme asked for"
    );
    let mut problems = Vec::new();
    client
        .goto(&format!("{}/login", app.address))
        .await
        .unwrap();
    find(&client, "main").await;
    look(&client, &axe, screen, "/login", &mut problems).await;
    sign_in(&client, &app, &admin).await;
    for (page, reveal) in pages(&app) {
        client
            .goto(&format!("{}{page}", app.address))
            .await
            .unwrap();
        find(&client, "main").await;
        look(&client, &axe, screen, &page, &mut problems).await;
        if !reveal.is_empty() {
            let failed = client
                .execute(
                    &format!(
                        "const need = (css) => {{ const found = document.querySelector(css); \
                         if (!found) throw new Error(`no ${{css}}`); return found; }}; \
                         try {{ {reveal} return null; }} catch (e) {{ return String(e); }}"
                    ),
                    vec![],
                )
                .await
                .unwrap();
            if let Some(error) = failed.as_str() {
                problems.push(format!(
                    "{page}: what the page hides could not be opened: {error}"
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let opened = format!("{page} (opened)");
            look(&client, &axe, screen, &opened, &mut problems).await;
        }
    }
    client.close().await.unwrap();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems at {}x{}{}:\n{}",
        problems.len(),
        screen.width,
        screen.height,
        if screen.dark { " in dark" } else { "" },
        problems.join("\n")
    );
}

#[tokio::test]
async fn every_page_passes_axe_on_a_desktop_in_light() {
    check(Screen::DESKTOP).await;
}

#[tokio::test]
async fn every_page_passes_axe_on_a_desktop_in_dark() {
    check(Screen::DESKTOP.dark()).await;
}

#[tokio::test]
async fn every_page_passes_axe_and_fits_a_finger_on_a_phone_in_light() {
    check(Screen::PHONE).await;
}

#[tokio::test]
async fn every_page_passes_axe_and_fits_a_finger_on_a_phone_in_dark() {
    check(Screen::PHONE.dark()).await;
}
