// Review mode: what each decision sets. The same rules as src/domain/review_action.rs: the
// browser needs them to move on at once, and while offline. Both are checked against one
// table, tests/review_rules.json (by the Rust unit test, and in this page by
// tests/browser/review_rules.rs). A verdict is {quality, liked, status, category, notes},
// empty strings for none, as the server's JSON writes it.
"use strict";

window.SdReviewRules = (() => {
  /** The verdict after `act` (up, down, like, ok, ko) on an image whose verdict was `mine`;
   *  a KO takes `extra.category` and `extra.notes`. Every act sets its verdict and never
   *  takes it back, except the heart, which toggles. */
  const decide = (mine, act, extra = {}) => {
    const v = { ...mine };
    const clearFailure = () => { v.status = ""; v.category = ""; v.notes = ""; };
    if (act === "up") {
      if (v.quality !== "perfect") { v.quality = "perfect"; clearFailure(); v.status = "ok"; }
    } else if (act === "down") {
      v.quality = "imperfect";
    } else if (act === "like") {
      v.liked = !v.liked;
    } else if (act === "ok") {
      if (v.status !== "ok") { clearFailure(); v.status = "ok"; }
    } else if (act === "ko") {
      v.status = "ko"; v.category = extra.category; v.notes = extra.notes || "";
      if (v.quality === "perfect") v.quality = "";
    }
    return v;
  };
  const isEmpty = (v) => !v.quality && !v.liked && !v.status;
  return Object.freeze({ decide, isEmpty });
})();
