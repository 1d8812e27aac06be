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

/// Visible controls smaller than `min` px in either direction: what a finger cannot hit.
pub async fn small_targets(client: &Client, min: f64) -> Vec<String> {
    let found = client
        .execute(
            r##"
            const [min] = arguments;
            const targets = "a[href], button, input:not([type=hidden]), select, textarea, summary, label.pick, [role=button]";
            const out = [];
            for (const el of document.querySelectorAll(targets)) {
                // A link inside running text is exempt (WCAG 2.5.5): it is sized by its words.
                if (el.matches("p a, li > p a, .prose a")) continue;
                // A chart's column whose link is also a tappable row on the page (WCAG 2.5.8's
                // "equivalent" exception).
                if (el.closest("[data-has-equivalent]")) continue;
                // The skip link shows only while focused, over the header.
                if (el.matches(".skip-link")) continue;
                // A control inside a label is hit through its label; a link stretched by its
                // ::after over a card (`inset: 0`) is hit anywhere on the card.
                const label = el.closest("label");
                const after = getComputedStyle(el, "::after");
                const stretched = after.content !== "none" && after.position === "absolute" && el.offsetParent;
                const box = (label && el.matches("input, select, textarea")) ? label : stretched ? el.offsetParent : el;
                const r = box.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) continue;
                const style = getComputedStyle(el);
                if (style.visibility === "hidden" || style.display === "none") continue;
                if (el.closest("[hidden], dialog:not([open]), details:not([open]) > :not(summary)")) continue;
                if (r.width < min - 0.5 || r.height < min - 0.5) {
                    const text = (el.getAttribute("aria-label") || el.textContent || el.name || "").trim().replace(/\s+/g, " ").slice(0, 30);
                    out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${text}" is ${Math.round(r.width)}x${Math.round(r.height)}`);
                }
            }
            return out;
            "##,
            vec![min.into()],
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
