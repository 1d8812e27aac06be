// Review mode: decisions that came back as conflicts (a 409 from review_saves.js). The same
// person changed the image's verdict on another device after this device's decision was made
// (it waited offline, say), so the server kept the newer one. Each conflict is shown in turn,
// with both verdicts in words; the person picks the one that stands.
"use strict";

window.SdReviewConflicts = (panel, options) => {
  const { categories, reveal, pick, done } = options;
  const waiting = [];
  const label = (name) => (categories.find(([n]) => n === name) || [name, name])[1];
  const words = (v) => {
    const parts = [];
    if (v.quality === "perfect") parts.push("Thumbs up");
    if (v.quality === "imperfect") parts.push("Thumbs down");
    if (v.liked) parts.push("Heart");
    if (v.status === "ok") parts.push("Not KO");
    if (v.status === "ko") parts.push(`KO: ${label(v.category)}${v.notes ? ` (${v.notes})` : ""}`);
    return parts.length ? parts.join(" · ") : "No verdict";
  };
  const showFirst = () => {
    const conflict = waiting[0];
    if (!conflict) {
      panel.hidden = true;
      done();
      return;
    }
    panel.querySelector("[data-verdict=stored]").textContent = words(conflict.stored);
    panel.querySelector("[data-verdict=wanted]").textContent = words(conflict.wanted);
    panel.hidden = false;
    reveal(conflict);
    panel.querySelector("[data-pick=stored]").focus();
  };
  panel.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-pick]");
    const conflict = waiting[0];
    if (!button || !conflict || panel.hidden) return;
    waiting.shift();
    pick(conflict, button.dataset.pick === "wanted" ? conflict.wanted : conflict.stored);
    showFirst();
  });
  return {
    /** A 409's answer: {id, stored, wanted, item}. A newer one for the same image replaces
     *  one still waiting. */
    add(answer) {
      const at = waiting.findIndex((c) => c.id === answer.id);
      if (at >= 0) waiting[at] = answer;
      else waiting.push(answer);
      if (at === 0 || waiting.length === 1) showFirst();
    },
    open: () => !panel.hidden,
  };
};
