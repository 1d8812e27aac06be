// Review mode: the metadata panel of the image in front (`I`), built with textContent only.
// Others' verdicts are null while blind mode hides them: the server did not send them.
"use strict";

window.SdReviewInfo = (() => {
  const text = (tag, content, cls) => {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  };
  const raters = (others) => {
    if (!others) return text("p", "Hidden until you give your verdict (blind mode).", "muted small");
    if (!others.length) return text("p", "Nobody else has rated it.", "muted small");
    const ul = document.createElement("ul");
    ul.className = "rv-raters";
    others.forEach((r) => {
      const v = r.verdict;
      const what = [v.quality, v.liked ? "♥" : "", v.status, v.category].filter(Boolean).join(" · ");
      const li = document.createElement("li");
      li.append(text("strong", r.name), document.createTextNode(" " + what));
      ul.append(li);
    });
    return ul;
  };
  const show = (body, item) => {
    if (!body) return;
    const parts = [text("h2", item.filename, "rv-file"), text("p", item.session + (item.seed != null ? " · seed " + item.seed : ""), "muted small")];
    if (item.variations.length) {
      const dl = document.createElement("dl");
      dl.className = "rv-facts";
      item.variations.forEach(([p, v]) => { const d = document.createElement("div"); d.append(text("dt", p), text("dd", v)); dl.append(d); });
      parts.push(dl);
    }
    if (item.prompt) parts.push(text("h3", "Prompt"), text("p", item.prompt, "rv-prompt"));
    if (item.negative) parts.push(text("h3", "Negative prompt"), text("p", item.negative, "rv-prompt muted"));
    parts.push(text("h3", "Other raters"), raters(item.others));
    const links = document.createElement("p");
    const page = text("a", "Image page");
    page.href = item.href;
    const original = text("a", "Original file");
    original.href = item.original;
    links.append(page, document.createTextNode(" · "), original);
    parts.push(links);
    body.replaceChildren(...parts);
  };
  return { show, text };
})();
