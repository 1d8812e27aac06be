//! Geometry checks measured in the page itself (`getBoundingClientRect`): what sticks out of
//! the screen, which labels do not fit their buttons, which touch targets are too small.

use fantoccini::Client;

/// One line per visible element matching `css` that reaches past the viewport's left or right
/// edge, or whose content is wider than its box (a label cut, or a bar that scrolls sideways).
pub async fn misfits(client: &Client, css: &str) -> Vec<String> {
    let found = client
        .execute(
            r##"
            const [css] = arguments;
            const width = document.documentElement.clientWidth;
            const describe = (el) => {
                const text = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
                return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} "${text}"`;
            };
            const out = [];
            for (const el of document.querySelectorAll(css)) {
                const r = el.getBoundingClientRect();
                // Nothing shown, or only to screen readers (1 px and clipped).
                if (r.width <= 1 && r.height <= 1) continue;
                if (getComputedStyle(el).visibility === "hidden") continue;
                if (r.right > width + 0.5) out.push(`${describe(el)} reaches ${Math.round(r.right)} px of ${width}`);
                if (r.left < -0.5) out.push(`${describe(el)} starts at ${Math.round(r.left)} px`);
                if (el.scrollWidth > el.clientWidth + 1) out.push(`${describe(el)} holds ${el.scrollWidth} px in ${el.clientWidth}`);
            }
            return out;
            "##,
            vec![css.into()],
        )
        .await
        .unwrap();
    strings(found)
}

fn strings(value: serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
