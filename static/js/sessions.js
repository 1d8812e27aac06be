// Sessions and trash lists: the bulk bar's count, "select all on this page", tag suggestions,
// and the filters shown open on wide screens (a closed <details> on a phone).
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

document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(min-width: 721px)").matches) return;
  for (const details of document.querySelectorAll("details[data-open-wide]")) details.open = true;
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
