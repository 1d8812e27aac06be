// sdreview's own behaviour on top of htmx: small, no framework, no inline script (CSP).
"use strict";

// Show a short message from a server's HX-Trigger {"toast": "..."}.
document.addEventListener("toast", (event) => {
  const toast = document.getElementById("toast");
  if (!toast) return;
  toast.textContent = event.detail.value;
  toast.classList.add("show");
  clearTimeout(toast.hideTimer);
  toast.hideTimer = setTimeout(() => toast.classList.remove("show"), 2500);
});

// Errors from htmx requests show the server's message instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const text = event.detail.xhr.responseText || "";
  const doc = new DOMParser().parseFromString(text, "text/html");
  const message = doc.querySelector("main p:not(.eyebrow)")?.textContent || "The request failed.";
  document.dispatchEvent(new CustomEvent("toast", { detail: { value: message } }));
});
