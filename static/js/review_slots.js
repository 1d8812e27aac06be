// Review mode: the images of the queue as slots stacked in the stage. Each slot holds the
// thumbnail (shown at once) and the screen rendition over it; `item.ready` resolves once the
// rendition is decoded, so showing a slot costs no decoding. Only a few slots live at a time.
"use strict";

window.SdReviewSlots = (stage, before) => {
  const slots = new Map();

  const image = (cls, src, item, alt) => {
    const img = document.createElement("img");
    img.className = cls;
    img.alt = alt;
    img.width = item.width;
    img.height = item.height;
    img.decoding = "async";
    img.src = src;
    return img;
  };
  const alt = (item) => `${item.filename} from ${item.session}${item.seed != null ? ", seed " + item.seed : ""}`;
  const ready = (item, fig) => {
    const screen = fig.querySelector(".rv-screen");
    item.ready = screen
      ? screen.decode().then(() => fig.classList.add("loaded"), () => fig.classList.add("loaded"))
      : Promise.resolve(fig.classList.add("loaded"));
  };

  const api = {
    image,
    get: (id) => slots.get(id),
    /** The server-rendered slot of the first image. */
    adopt(item, fig) {
      slots.set(item.id, fig);
      ready(item, fig);
    },
    /** The item's slot, made (and its images fetched) if it is not there yet. */
    make(item) {
      let fig = slots.get(item.id);
      if (fig) return fig;
      fig = document.createElement("figure");
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
      stage.insertBefore(fig, before);
      slots.set(item.id, fig);
      ready(item, fig);
      return fig;
    },
    /** Two behind (for ←) and `ahead` in front; the rest go, so memory stays flat. */
    keep(items, index, ahead) {
      for (let i = index + 1; i <= index + ahead && i < items.length; i++) api.make(items[i]);
      for (const [id, fig] of slots) {
        const at = items.findIndex((it) => it.id === id);
        if (at < index - 2 || at > index + ahead) { fig.remove(); slots.delete(id); }
      }
    },
    clear() {
      slots.forEach((fig) => fig.remove());
      slots.clear();
    },
  };
  return api;
};
