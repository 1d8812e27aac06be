// sdreview's own behaviour on top of htmx: small, no framework, no inline script (CSP).
"use strict";

// Show a short message from a server's HX-Trigger: {"toast": "..."}, or {"toast": {"value":
// "...", "undo": {url, target, fields}}} for a change that can be taken back: the toast then
// holds an Undo button (a real form, posted by htmx) and stays longer.
document.addEventListener("toast", (event) => {
  const toast = document.getElementById("toast");
  if (!toast) return;
  const { value, undo } = event.detail;
  toast.replaceChildren(document.createTextNode(value));
  toast.classList.toggle("with-action", !!undo);
  if (undo && window.htmx) {
    const form = document.createElement("form");
    form.setAttribute("hx-post", undo.url);
    form.setAttribute("hx-target", undo.target);
    form.setAttribute("hx-swap", "outerHTML");
    for (const [name, fieldValue] of undo.fields) {
      const input = document.createElement("input");
      Object.assign(input, { type: "hidden", name, value: fieldValue });
      form.append(input);
    }
    const button = document.createElement("button");
    Object.assign(button, { type: "submit", className: "btn small undo-toast", textContent: "Undo" });
    form.append(button);
    toast.append(form);
    window.htmx.process(form);
  }
  toast.classList.add("show");
  clearTimeout(toast.hideTimer);
  toast.hideTimer = setTimeout(() => toast.classList.remove("show", "with-action"), undo ? 8000 : 2500);
});

// Errors from htmx requests show the server's message instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const text = event.detail.xhr.responseText || "";
  const doc = new DOMParser().parseFromString(text, "text/html");
  const message = doc.querySelector("main p:not(.eyebrow)")?.textContent || "The request failed.";
  document.dispatchEvent(new CustomEvent("toast", { detail: { value: message } }));
});

// Filter panels (details[data-open-wide]) are open on a wide screen unless closed there, and
// stay as they were when Back brings the page again (htmx restores it without a load event).
(() => {
  const wide = () => window.matchMedia("(min-width: 721px)").matches;
  const key = (details) => `open:${location.pathname}:${details.id || details.className}`;
  const apply = () => {
    if (!wide()) return;
    for (const details of document.querySelectorAll("details[data-open-wide]")) {
      details.open = sessionStorage.getItem(key(details)) !== "closed";
    }
  };
  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("htmx:historyRestore", apply);
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!wide() || !details.matches?.("details[data-open-wide]")) return;
    sessionStorage.setItem(key(details), details.open ? "open" : "closed");
  }, true);
})();

// The phone's menu closes when a finger lands anywhere else, or on Escape.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.nav-menu[open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = document.querySelector("details.nav-menu[open]");
  if (!menu) return;
  // Only the menu closes: Escape means nothing more to the page (the image page's "back").
  event.stopImmediatePropagation();
  menu.open = false;
  menu.querySelector("summary")?.focus();
});
