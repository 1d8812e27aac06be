//! Load with wrk (16 connections and 2 threads, or one client): a Lua script per scenario sets the cookie, the
//! CSRF header and the form body, and counts every answer that is not 2xx (wrk itself counts
//! a 3xx, such as a redirect to the sign-in page, as a success).

use std::path::Path;
use std::process::Command;

use super::server::SignedIn;

pub struct Load {
    pub method: &'static str,
    pub path: String,
    /// A form body, sent htmx-style (with the CSRF and HX-Request headers).
    pub form: Option<&'static str>,
    /// Open connections (wrk -c); 16 but for the single-client latency of a cached thumbnail.
    pub connections: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub requests: u64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub not_2xx: u64,
    /// One of the statuses that were not 2xx.
    pub odd_status: u16,
    pub socket_errors: u64,
}

pub fn run(
    port: u16,
    load: &Load,
    who: &SignedIn,
    seconds: usize,
    dir: &Path,
) -> Result<Outcome, String> {
    let script = dir.join("wrk-scenario.lua");
    std::fs::write(&script, lua(load, who)).map_err(|e| e.to_string())?;
    let output = Command::new("wrk")
        .arg(if load.connections > 1 { "-t2" } else { "-t1" })
        .arg(format!("-c{}", load.connections))
        .args(["--latency", "--timeout", "10s"])
        .arg(format!("-d{seconds}s"))
        .arg("-s")
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}{}", load.path))
        .output()
        .map_err(|e| format!("cannot run wrk ({e}): install it with `apt-get install wrk`"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "wrk failed: {}{}",
            text,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    parse(&text).ok_or_else(|| format!("cannot read wrk's output:\n{text}"))
}

fn lua(load: &Load, who: &SignedIn) -> String {
    let mut lines = vec![
        format!("wrk.method = \"{}\"", load.method),
        format!("wrk.headers[\"Cookie\"] = \"{}\"", who.cookie),
        // What a browser sends: pages are compressed as they would be for a phone.
        "wrk.headers[\"Accept-Encoding\"] = \"gzip\"".to_owned(),
    ];
    if let Some(form) = load.form {
        lines.push(format!("wrk.body = \"{form}\""));
        lines.push(
            "wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"".to_owned(),
        );
        lines.push(format!("wrk.headers[\"X-CSRF-Token\"] = \"{}\"", who.csrf));
        lines.push("wrk.headers[\"HX-Request\"] = \"true\"".to_owned());
    }
    lines.push(COUNT_NOT_2XX.to_owned());
    lines.join("\n")
}

const COUNT_NOT_2XX: &str = r#"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) odd = 0; odd_status = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then odd = odd + 1; odd_status = status end
end
function done(summary, latency, requests)
  local total, status = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("odd")
    if t:get("odd_status") ~= 0 then status = t:get("odd_status") end
  end
  io.write(string.format("sdreview-not-2xx %d %d\n", total, status))
end
"#;

/// Reads wrk's `--latency` report and the script's count.
fn parse(text: &str) -> Option<Outcome> {
    let mut out = Outcome::default();
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", t] => out.p50_ms = millis(t)?,
            ["90%", t] => out.p90_ms = millis(t)?,
            ["99%", t] => out.p99_ms = millis(t)?,
            ["Requests/sec:", n] => out.per_second = n.parse().ok()?,
            [n, "requests", "in", ..] => out.requests = n.parse().ok()?,
            ["sdreview-not-2xx", n, status] => {
                out.not_2xx = n.parse().ok()?;
                out.odd_status = status.parse().ok()?;
            }
            ["Socket", "errors:", rest @ ..] => {
                out.socket_errors = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    (out.requests > 0).then_some(out)
}

/// wrk's durations: `635.91us`, `1.02ms`, `1.50s`, `2.00m`.
fn millis(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" => 60_000.0,
        _ => return None,
    };
    Some(value * factor)
}
