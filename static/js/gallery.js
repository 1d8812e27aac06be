// The gallery: keyboard focus ring and rating keys (U undoes the last one), selection mode with
// shift-click ranges and "select all matching".
"use strict";

(() => {
  const csrf = () => {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch { return ""; }
  };
  const toast = (value) => document.dispatchEvent(new CustomEvent("toast", { detail: { value } }));
  const results = () => document.getElementById("gallery-results");
  const tiles = () => Array.from(document.querySelectorAll("#gallery-results .tile"));
  let selecting = false;
  let lastPicked = null;

  // ---- selection ----
  const boxes = () => Array.from(document.querySelectorAll("#gallery-results .pick input"));
  const allInput = () => document.querySelector("#gallery-results [data-all]");
  const updateCount = () => {
    const counter = document.querySelector("[data-selected-count]");
    if (!counter) return;
    const all = allInput();
    if (all && all.value === "1") {
      counter.textContent = "All " + (document.querySelector("[data-select-all]")?.dataset.total || "") + " selected";
    } else {
      counter.textContent = boxes().filter((b) => b.checked).length + " selected";
    }
  };
  const setSelecting = (on) => {
    selecting = on;
    const gallery = results();
    if (!gallery) return;
    gallery.classList.toggle("selecting", on);
    const toggle = gallery.querySelector("[data-select-toggle]");
    if (toggle) toggle.setAttribute("aria-pressed", String(on));
    const bar = gallery.querySelector("[data-bulk-bar]");
    if (bar) bar.hidden = !on;
    if (!on) {
      boxes().forEach((b) => { b.checked = false; });
      if (allInput()) allInput().value = "0";
    }
    updateCount();
  };

  const pick = (tile, shift) => {
    const box = tile.querySelector(".pick input");
    if (!box) return;
    if (shift && lastPicked && lastPicked !== tile && lastPicked.isConnected) {
      const list = tiles();
      const [a, b] = [list.indexOf(lastPicked), list.indexOf(tile)].sort((x, y) => x - y);
      const state = lastPicked.querySelector(".pick input").checked;
      list.slice(a, b + 1).forEach((t) => { const i = t.querySelector(".pick input"); if (i) i.checked = state; });
    } else {
      box.checked = !box.checked;
    }
    lastPicked = tile;
    if (allInput()) allInput().value = "0";
    updateCount();
  };

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (target.closest("[data-select-toggle]")) { setSelecting(!selecting); return; }
    if (target.closest("[data-select-none]")) { setSelecting(false); return; }
    if (target.closest("[data-select-all]")) {
      boxes().forEach((b) => { b.checked = true; });
      if (allInput()) allInput().value = "1";
      updateCount();
      return;
    }
    const tile = target.closest("#gallery-results .tile");
    if (!tile || !selecting) return;
    if (target.closest(".pick")) {
      // The checkbox toggles itself; a shift-click extends the range from the last one.
      if (target.matches("input") && event.shiftKey) {
        target.checked = !target.checked;
        event.preventDefault();
        pick(tile, true);
      } else if (target.matches("input")) {
        lastPicked = tile;
        if (allInput()) allInput().value = "0";
        setTimeout(updateCount);
      }
      return;
    }
    event.preventDefault();
    pick(tile, event.shiftKey);
  });

  // A bulk delete asks first.
  document.addEventListener("htmx:confirm", (event) => {
    const submitter = event.detail.triggeringEvent?.submitter;
    if (event.detail.elt?.id === "bulk-form" && submitter?.value === "delete"
        && !window.confirm("Delete the selected images? An admin can restore them from the trash.")) {
      event.preventDefault();
    }
  });

  // A bulk action or a filter replaces the results: the selection mode ends with them.
  document.addEventListener("htmx:afterSettle", () => {
    const gallery = results();
    if (selecting && gallery && !gallery.classList.contains("selecting")) {
      selecting = false;
      lastPicked = null;
    }
  });

  // ---- keyboard ----
  const focusedTile = () => document.activeElement?.closest?.("#gallery-results .tile") || null;
  const focusTile = (tile) => {
    if (!tile) return;
    const link = tile.querySelector(".tile-link");
    link.focus({ preventScroll: true });
    tile.scrollIntoView({ block: "nearest" });
  };
  const center = (el) => { const r = el.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2, top: r.top }; };
  const vertical = (from, down) => {
    const list = tiles();
    const here = center(from);
    const rows = list.filter((t) => (down ? center(t).top > here.top + 4 : center(t).top < here.top - 4));
    if (!rows.length) return null;
    const rowTop = down ? Math.min(...rows.map((t) => center(t).top)) : Math.max(...rows.map((t) => center(t).top));
    const row = rows.filter((t) => Math.abs(center(t).top - rowTop) < 4);
    return row.reduce((best, t) => (Math.abs(center(t).x - here.x) < Math.abs(center(best).x - here.x) ? t : best));
  };

  // One request: the rating answers with the tile as it now is, and X-Undo with the form
  // that puts the previous verdict back.
  let lastUndo = null;
  const swapTile = (tile, html) => {
    const wasFocused = focusedTile() === tile;
    const checked = tile.querySelector(".pick input")?.checked;
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const fresh = holder.firstElementChild;
    if (!fresh) return tile;
    tile.replaceWith(fresh);
    const box = fresh.querySelector(".pick input");
    if (box) box.checked = !!checked;
    if (wasFocused) focusTile(fresh);
    return fresh;
  };

  const send = (tile, body) => fetch(tile.dataset.refresh, {
    method: "POST",
    headers: { "X-CSRF-Token": csrf(), "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
    body,
  }).then((response) => response.text().then((text) => {
    if (!response.ok) {
      const doc = new DOMParser().parseFromString(text, "text/html");
      toast(doc.querySelector("main p:not(.eyebrow)")?.textContent || "The rating was not saved.");
      return false;
    }
    const fresh = swapTile(tile, text);
    const undo = response.headers.get("X-Undo");
    if (undo) lastUndo = { id: fresh.dataset.id, body: undo };
    return true;
  })).catch(() => {
    toast("The rating was not saved: is the server reachable?");
    return false;
  });

  const rate = (tile, action, category) => {
    const body = new URLSearchParams({ action });
    if (category) body.set("category", category);
    return send(tile, body);
  };

  // Ctrl+Z and U both take back the last rating given here, with the form the answer sent.
  const undo = () => {
    const last = lastUndo;
    if (!last) { toast("Nothing to undo"); return; }
    const tile = document.querySelector(`#gallery-results .tile[data-id="${last.id}"]`);
    if (!tile) return;
    lastUndo = null;
    send(tile, new URLSearchParams(last.body)).then((saved) => {
      lastUndo = null;
      if (saved) toast("Undone");
    });
  };

  const chooseKo = (tile) => {
    const dialog = document.querySelector("[data-ko-chooser]");
    if (!dialog) return;
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (dialog.returnValue) rate(tile, "ko", dialog.returnValue);
      focusTile(tile.isConnected ? tile : null);
    }, { once: true });
    dialog.showModal();
    dialog.querySelector(".ko-choices button")?.focus();
  };

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea, dialog, [contenteditable]")) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z" && lastUndo) {
      event.preventDefault();
      undo();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tile = focusedTile();
    const list = tiles();
    if (!list.length) return;
    const key = event.key;
    if ((key === "u" || key === "U") && document.querySelector("[data-ko-chooser]")) {
      event.preventDefault();
      undo();
      return;
    }
    if (!tile) {
      if (key.startsWith("Arrow") && document.activeElement === document.body) {
        event.preventDefault();
        focusTile(list[0]);
      }
      return;
    }
    const at = list.indexOf(tile);
    const reviewer = !!document.querySelector("[data-ko-chooser]");
    switch (key) {
      case "ArrowRight": event.preventDefault(); focusTile(list[at + 1]); break;
      case "ArrowLeft": event.preventDefault(); focusTile(list[at - 1]); break;
      case "ArrowDown": event.preventDefault(); focusTile(vertical(tile, true) || list[list.length - 1]); break;
      case "ArrowUp": event.preventDefault(); focusTile(vertical(tile, false)); break;
      case " ":
        if (selecting) { event.preventDefault(); pick(tile, event.shiftKey); }
        break;
      case "p": case "P": if (reviewer) { event.preventDefault(); rate(tile, "perfect"); } break;
      case "x": case "X": if (reviewer) { event.preventDefault(); rate(tile, "imperfect"); } break;
      case "l": case "L": if (reviewer) { event.preventDefault(); rate(tile, "like"); } break;
      case "k": case "K": if (reviewer) { event.preventDefault(); chooseKo(tile); } break;
      case "o": case "O": if (reviewer) { event.preventDefault(); rate(tile, "ok"); } break;
      case "u": case "U": if (reviewer) { event.preventDefault(); undo(); } break;
      case "?":
        event.preventDefault();
        toast("Keys: arrows move · Enter opens · P up · X down · L heart · K KO · O not KO · U undo");
        break;
      default: break;
    }
  });
})();
