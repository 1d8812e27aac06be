// Review mode: the images ahead, fetched while the network is good, so a phone that loses it
// keeps going. The next renditions and, further, the next thumbnails are read whole into
// memory (object URLs), within a byte budget: unlike the HTTP cache, nothing can evict them
// or send them back to the network while they are needed. Only the slots (review_slots.js)
// decode them. What failed is fetched again when the network is back.
"use strict";

window.SdReviewAhead = (options = {}) => {
  const { onChange } = options;
  // A slow or metered connection gets a short window: the person may be paying per byte.
  const saving = () => {
    const c = navigator.connection;
    return !!c && (c.saveData || /(^|-)2g$/.test(c.effectiveType || ""));
  };
  const RENDITIONS = saving() ? 3 : 10;
  const THUMBS = saving() ? 10 : 50;
  const BUDGET = 40 * 1024 * 1024;
  const PARALLEL = 3;
  const BEHIND = 5; // kept for "previous image"

  const store = new Map(); // url -> { state: "loading" | "ready" | "failed", src, bytes }
  let queue = [];
  let running = 0;
  let bytes = 0;
  let unreachable = false; // the last fetch found no network at all

  const changed = () => onChange && onChange();
  const forget = (url) => {
    const entry = store.get(url);
    if (!entry) return;
    if (entry.src) URL.revokeObjectURL(entry.src);
    bytes -= entry.bytes || 0;
    store.delete(url);
  };

  const load = async (url) => {
    const entry = { state: "loading", src: null, bytes: 0 };
    store.set(url, entry);
    running++;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      // Signed out, the answer is the sign-in page: not an image, so not kept.
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.startsWith("image/")) throw new Error(String(response.status));
      const blob = await response.blob();
      unreachable = false;
      if (store.get(url) === entry) {
        entry.src = URL.createObjectURL(blob);
        entry.bytes = blob.size;
        entry.state = "ready";
        bytes += blob.size;
      }
    } catch (error) {
      // A TypeError is fetch's word for "no network"; a status is the server's answer.
      if (error instanceof TypeError) unreachable = true;
      if (store.get(url) === entry) entry.state = "failed";
    }
    running--;
    pump();
    changed();
  };
  function pump() {
    while (running < PARALLEL && queue.length && bytes < BUDGET) {
      const url = queue.shift();
      if (!store.has(url)) load(url);
    }
  }

  const api = {
    /** Where an image's bytes are: in memory when fetched ahead, else its address. */
    src: (url) => (store.get(url)?.state === "ready" ? store.get(url).src : url),
    has: (url) => store.get(url)?.state === "ready",
    failed: (url) => store.get(url)?.state === "failed",
    /** Fetches what the pass will show next, nearest first, and lets go of what it left behind. */
    plan(items, index) {
      const keep = new Set();
      const order = [];
      for (let i = Math.max(0, index - BEHIND); i < items.length && i <= index + THUMBS; i++) {
        const item = items[i];
        if (item.broken) continue;
        const near = i <= index + RENDITIONS;
        if (near || store.has(item.screen)) keep.add(item.screen);
        keep.add(item.thumb);
        // Nearest first, each thumbnail (a preview to judge by) before its rendition: the
        // next image never waits behind the fiftieth.
        if (i >= index) order.push(...(near ? [item.thumb, item.screen] : [item.thumb]));
      }
      for (const url of [...store.keys()]) if (!keep.has(url) && store.get(url).state !== "loading") forget(url);
      queue = order.filter((url) => !store.has(url));
      pump();
    },
    /** What failed is tried again (the network is back, or may be). */
    retry() {
      for (const [url, entry] of [...store]) if (entry.state === "failed") store.delete(url);
    },
    anyFailed: () => [...store.values()].some((entry) => entry.state === "failed"),
    offline: () => navigator.onLine === false || unreachable,
    /** Another request found the server out of reach, or reached it. */
    lost: () => { if (!unreachable) { unreachable = true; changed(); } },
    found: () => { if (unreachable) { unreachable = false; changed(); } },
    bytes: () => bytes,
  };
  return api;
};
