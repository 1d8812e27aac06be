// Review mode: the images of the queue as slots stacked in the stage. Each slot holds the
// thumbnail (shown at once) and the screen rendition over it; `item.ready` resolves once the
// rendition is decoded, so showing a slot costs no decoding. Only a few slots live at a time.
// Their bytes come from what review_ahead.js fetched ahead when it has them.
//
// A slot knows what it shows: the rendition, only the thumbnail (a preview), or nothing (not
// loaded yet, or failed, offline). Nothing shown, nothing judged: review.js asks `shows`.
"use strict";

window.SdReviewSlots = (stage, before, ahead) => {
  const slots = new Map();
  const src = (url) => (ahead ? ahead.src(url) : url);

  const image = (cls, url, item, alt) => {
    const img = document.createElement("img");
    img.className = cls;
    img.alt = alt;
    img.width = item.width;
    img.height = item.height;
    img.decoding = "async";
    img.src = src(url);
    return img;
  };
  const alt = (item) => `${item.filename} from ${item.session}${item.seed != null ? ", seed " + item.seed : ""}`;
  const loaded = (img) => !!img && img.complete && img.naturalWidth > 0;
  const failed = (img) => !img || (img.complete && img.naturalWidth === 0);

  /** "full", "preview" (the thumbnail alone), "broken" (the server's word), "loading" or "missing". */
  const what = (fig) => {
    if (fig.querySelector(".rv-broken")) return "broken";
    const screen = fig.querySelector(".rv-screen");
    const thumb = fig.querySelector(".rv-thumb");
    if (loaded(screen)) return "full";
    if (loaded(thumb)) return "preview";
    return failed(screen) && failed(thumb) ? "missing" : "loading";
  };
  // The slot says on screen what it lacks: a failed image is hidden (no broken-image icon).
  const mark = (fig) => {
    const state = what(fig);
    const screenGone = failed(fig.querySelector(".rv-screen"));
    fig.classList.toggle("no-screen", state !== "broken" && screenGone);
    fig.classList.toggle("missing", state === "missing");
    let note = fig.querySelector(".rv-missing");
    const words = state === "missing"
      ? (ahead?.offline() ? "Offline: this image was not loaded before the network went away." : "This image did not load.") +
        " No verdict is taken on an image you cannot see; it loads again when the network is back."
      : state === "preview" && screenGone
        ? "Preview: the full image did not load, it loads again when the network is back."
        : "";
    if (!words) { note?.remove(); return; }
    if (!note) {
      note = document.createElement("p");
      note.className = "rv-missing";
      fig.append(note);
    }
    note.classList.toggle("preview", state === "preview");
    note.textContent = words;
  };
  const ready = (item, fig) => {
    const screen = fig.querySelector(".rv-screen");
    const thumb = fig.querySelector(".rv-thumb");
    [screen, thumb].forEach((img) => img?.addEventListener("error", () => mark(fig)));
    thumb?.addEventListener("load", () => mark(fig));
    item.ready = screen
      ? screen.decode().then(() => fig.classList.add("loaded"), () => {}).then(() => mark(fig))
      : Promise.resolve(fig.classList.add("loaded"));
    mark(fig);
  };
  const build = (item) => {
    const fig = document.createElement("figure");
    fig.className = "rv-slot";
    fig.dataset.id = item.id;
    // Only the image in front is there for a screen reader.
    fig.setAttribute("aria-hidden", "true");
    if (item.broken) {
      const p = document.createElement("p");
      p.className = "rv-broken";
      p.textContent = `${item.filename} cannot be shown; its page says why.`;
      fig.append(p);
    } else {
      fig.append(image("rv-thumb", item.thumb, item, ""), image("rv-screen", item.screen, item, alt(item)));
    }
    return fig;
  };

  const api = {
    image,
    get: (id) => slots.get(id),
    /** What the item's slot shows now (see `what`); "none" without a slot. */
    shows: (item) => (slots.get(item.id) ? what(slots.get(item.id)) : "none"),
    /** The server-rendered slot of the first image. */
    adopt(item, fig) {
      slots.set(item.id, fig);
      ready(item, fig);
    },
    /** The item's slot, made (and its images fetched) if it is not there yet. */
    make(item) {
      let fig = slots.get(item.id);
      if (fig) return fig;
      fig = build(item);
      stage.insertBefore(fig, before);
      slots.set(item.id, fig);
      ready(item, fig);
      return fig;
    },
    /** Slots whose images failed are made again once their bytes are here (the network is
     *  back and review_ahead.js fetched them again). */
    reload(items) {
      for (const [id, fig] of [...slots]) {
        const item = items.find((it) => it.id === id);
        if (!item || !ahead) continue;
        const back = (fig.classList.contains("no-screen") && ahead.has(item.screen)) ||
          (fig.classList.contains("missing") && ahead.has(item.thumb));
        if (!back) continue;
        const fresh = build(item);
        if (fig.classList.contains("current")) {
          fresh.classList.add("current");
          fresh.removeAttribute("aria-hidden");
        }
        fig.replaceWith(fresh);
        slots.set(id, fresh);
        ready(item, fresh);
      }
    },
    /** Says again, louder, why nothing is judged on the slot in front. */
    nudge(item) {
      const fig = slots.get(item.id);
      const note = fig?.querySelector(".rv-missing");
      if (!note) return;
      note.classList.remove("nudge");
      void note.offsetWidth;
      note.classList.add("nudge");
    },
    /** Two behind (for ←) and `ahead` in front; the rest go, so memory stays flat. */
    keep(items, index, count) {
      for (let i = index + 1; i <= index + count && i < items.length; i++) api.make(items[i]);
      for (const [id, fig] of slots) {
        const at = items.findIndex((it) => it.id === id);
        if (at < index - 2 || at > index + count) { fig.remove(); slots.delete(id); }
      }
    },
    clear() {
      slots.forEach((fig) => fig.remove());
      slots.clear();
    },
  };
  return api;
};
