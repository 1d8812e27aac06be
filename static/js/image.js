// The image page: rating keys, KO dialog, undo, copy buttons.
"use strict";

(() => {
  const page = () => document.querySelector(".image-layout");

  const toast = (text) =>
    document.dispatchEvent(new CustomEvent("toast", { detail: { value: text } }));

  // The Clipboard API needs a secure context; on plain http over the LAN fall back to a
  // hidden textarea and execCommand, which still works there.
  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    if (!done) throw new Error("copy refused");
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest(".copy");
    if (!button) return;
    const from = button.dataset.copyFrom;
    const text = from ? document.getElementById(from)?.textContent ?? "" : button.dataset.copy ?? "";
    try {
      await copy(text);
      toast("Copied");
    } catch {
      toast("Could not copy: select the text instead");
    }
  });

  // ---- KO dialog -------------------------------------------------------------------------
  const dialog = () => document.getElementById("ko-dialog");

  function openKo() {
    const box = dialog();
    const panel = document.getElementById("rating-panel");
    if (!box || !panel || box.open) return;
    const form = box.querySelector("form");
    form.reset();
    const isKo = panel.dataset.status === "ko";
    if (isKo) {
      const radio = form.querySelector(`input[name="category"][value="${CSS.escape(panel.dataset.category || "")}"]`);
      if (radio) radio.checked = true;
      form.querySelector("textarea[name=notes]").value = panel.dataset.notes || "";
    }
    document.getElementById("ko-remove").hidden = !isKo;
    box.showModal();
    (form.querySelector('input[name="category"]:checked') || form.querySelector('input[name="category"]')).focus();
  }

  function closeKo() {
    const box = dialog();
    if (box?.open) box.close();
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("#rate-ko")) openKo();
    if (event.target.closest("#ko-cancel")) closeKo();
  });

  // Focus goes back to the KO button however the dialog closes (Save, Cancel, Escape).
  document.addEventListener("close", (event) => {
    if (event.target.id === "ko-dialog") document.getElementById("rate-ko")?.focus();
  }, true);

  document.addEventListener("htmx:afterRequest", (event) => {
    const box = dialog();
    if (box?.open && box.contains(event.detail.elt) && event.detail.successful) closeKo();
  });

  // After the panel is replaced, keep keyboard focus where it was (on the same button).
  let focusedId = null;
  document.addEventListener("htmx:beforeSwap", () => { focusedId = document.activeElement?.id || null; });
  document.addEventListener("htmx:afterSwap", () => {
    if (focusedId && !dialog()?.open) document.getElementById(focusedId)?.focus({ preventScroll: true });
  });

  function trapTab(event, box) {
    const focusable = [...box.querySelectorAll("input, textarea, button, a[href], select")]
      .filter((el) => !el.disabled && !el.hidden && el.offsetParent !== null);
    // Radios in one group are one Tab stop: only the checked one (or the first) takes focus.
    const stops = focusable.filter((el) =>
      el.type !== "radio" || el.checked || (!box.querySelector(`input[name="${el.name}"]:checked`) && el === box.querySelector(`input[name="${el.name}"]`)));
    if (!stops.length) return;
    const first = stops[0];
    const last = stops[stops.length - 1];
    if (event.shiftKey && (document.activeElement === first || !box.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  // ---- Keys ------------------------------------------------------------------------------
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) &&
    !(el.tagName === "INPUT" && el.type === "radio");

  const press = (id) => document.getElementById(id)?.click();

  document.addEventListener("keydown", (event) => {
    if (!page()) return;
    // Ctrl+Z (Cmd+Z) undoes like U, as in review and the gallery.
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z"
        && !typing(event.target) && !dialog()?.open && document.getElementById("undo-button")) {
      event.preventDefault();
      press("undo-button");
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const box = dialog();
    if (box?.open) {
      if (event.key === "Tab") trapTab(event, box);
      if (/^[1-9]$/.test(event.key) && !typing(document.activeElement)) {
        const radio = box.querySelectorAll('input[name="category"]')[Number(event.key) - 1];
        if (radio) {
          event.preventDefault();
          radio.checked = true;
          radio.focus();
        }
      }
      return;
    }
    if (typing(event.target)) return;
    const reveal = (selector) => {
      const el = document.querySelector(selector);
      if (!el) return;
      el.scrollIntoView({ block: "start" });
      el.setAttribute("tabindex", "-1");
      el.focus({ preventScroll: true });
    };
    const keys = {
      o: () => press("rate-ok"),
      i: () => reveal(".meta"),
      z: () => { const a = document.querySelector('.meta a[href$="/original"]'); if (a) location.href = a.href; },
      "?": () => reveal(".key-legend"),
      Escape: () => { const back = document.querySelector(".image-nav .back"); if (back) location.href = back.href; },
      ArrowLeft: () => press("prev-link"),
      ArrowRight: () => press("next-link"),
      p: () => press("rate-perfect"),
      x: () => press("rate-imperfect"),
      l: () => press("rate-like"),
      k: () => openKo(),
      u: () => press("undo-button"),
    };
    const action = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
