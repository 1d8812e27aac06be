// Sessions and trash lists: the bulk bar's count, "select all on this page", tag suggestions,
// and a question before deleting sessions.
"use strict";

function updateBulkCount() {
  for (const bar of document.querySelectorAll("form.bulk-bar")) {
    const picked = document.querySelectorAll(`input[form="${bar.id}"]:checked`).length;
    const count = bar.querySelector("[data-bulk-count]");
    if (count) count.textContent = `${picked} selected`;
  }
}

document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.matches("[data-select-all]")) {
    const list = box.closest("section") || document;
    for (const pick of list.querySelectorAll(".pick input[type=checkbox]")) pick.checked = box.checked;
  }
  if (box.matches("input[type=checkbox]")) updateBulkCount();
});

document.addEventListener("htmx:afterSwap", updateBulkCount);

let suggestTimer;
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!input.matches("input[list=tag-suggestions]")) return;
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(async () => {
    const list = document.getElementById("tag-suggestions");
    const response = await fetch(`/sessions/tags?prefix=${encodeURIComponent(input.value)}`);
    if (list && response.ok) list.innerHTML = await response.text();
  }, 150);
});

// Deleting sessions asks first, as deleting images does.
document.addEventListener("htmx:confirm", (event) => {
  const submitter = event.detail.triggeringEvent?.submitter;
  if (event.detail.elt?.id !== "bulk" || submitter?.value !== "delete") return;
  const count = document.querySelectorAll('input[form="bulk"]:checked').length;
  const what = count === 1 ? "this session" : `these ${count} sessions`;
  if (!window.confirm(`Delete ${what}? An admin can restore them from the trash; no file is removed.`)) {
    event.preventDefault();
  }
});

// Leave empty filter fields out of the request, so the pushed URL stays short and shareable;
// and do not ask again for what is already shown (Enter and the typing delay both fire), so
// each change is one entry in the browser's history and Back goes where one expects.
let shownFilters = null;
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt.id !== "filters") return;
  const params = event.detail.parameters;
  for (const key of Object.keys(params)) if (params[key] === "") delete params[key];
  const query = Object.keys(params).sort().map((key) => `${key}=${params[key]}`).join("&");
  if (query === shownFilters) {
    event.preventDefault();
    return;
  }
  shownFilters = query;
});
document.addEventListener("htmx:historyRestore", () => { shownFilters = null; });
