// Review mode: one key or one swipe per decision, the next image already there.
//
// The page works without this script (a form per decision). With it, the queue's images are
// kept as slots stacked in the stage: the next three are decoded ahead, and moving on makes
// the next slot the current one, with no page load and no layout shift. Decisions follow
// review_rules.js and are saved by review_saves.js; review_ahead.js fetches the images further
// ahead (a phone that loses the network keeps going), review_slots.js keeps the images,
// review_gestures.js reads the finger, review_info.js fills the metadata panel,
// review_conflicts.js asks which verdict stands when one was changed on another device.
"use strict";

(() => {
  const root = document.getElementById("review");
  const parts = ["SdReviewRules", "SdReviewSaves", "SdReviewAhead", "SdReviewSlots", "SdReviewInfo", "SdReviewConflicts"];
  if (!root || !parts.every((part) => window[part])) return;
  const state = JSON.parse(root.dataset.state);
  const stage = document.getElementById("rv-stage");
  const hintBox = document.getElementById("rv-hint");
  const saved = document.getElementById("rv-saved");
  const ko = document.getElementById("rv-ko");
  const info = document.getElementById("rv-info");
  const keys = document.getElementById("rv-keys");
  const auto = document.getElementById("rv-auto");
  const items = state.items;
  const undos = [];
  let index = 0;
  let fetching = null;
  let ended = items.length === 0;
  const AHEAD = 3;
  // The queue is asked for more while fewer than this many are known ahead: the images
  // review_ahead.js keeps ready need their items.
  const KNOWN_AHEAD = 50;

  try { auto.checked = localStorage.getItem("sdreview:auto") !== "0"; } catch { /* default on */ }
  auto.addEventListener("change", () => { try { localStorage.setItem("sdreview:auto", auto.checked ? "1" : "0"); } catch { /* kept for this page */ } });

  // The panels open under the top bar, which a long queue name makes taller.
  const topBar = root.querySelector(".rv-top");
  if (topBar && window.ResizeObserver) {
    new ResizeObserver(() => root.style.setProperty("--top-h", topBar.offsetHeight + "px")).observe(topBar);
  }

  // ---- decisions (review_rules.js, the rules of src/domain/review_action.rs) ----
  const decideVerdict = window.SdReviewRules.decide;
  const isEmpty = window.SdReviewRules.isEmpty;

  // ---- progress and saving state ----
  const progress = document.getElementById("rv-left");
  let left = state.left;
  let done = state.done;
  const thousands = (n) => n.toLocaleString("en-US");
  const showProgress = () => {
    const plus = state.left_capped ? "+" : "";
    progress.textContent = state.unrated
      ? `${thousands(Math.max(0, left))}${plus} of ${thousands(left + done)}${plus} left`
      : `${thousands(index + 1)} of ${thousands(items.length)}${state.more ? "+" : ""}`;
  };
  const counted = (before, after) => {
    if (!state.unrated) return;
    const step = Number(isEmpty(before)) - Number(isEmpty(after));
    left -= step;
    done += step;
  };

  // ---- images ahead: kept while the network is good, said while it is gone ----
  const net = document.getElementById("rv-net");
  const ahead = window.SdReviewAhead({ onChange: () => netChanged() });

  // ---- signed out: said on the screen, with the way back that keeps the queue ----
  const outBox = document.getElementById("rv-signed-out");
  const signedOut = (out) => {
    if (!outBox) return;
    outBox.hidden = !out;
    if (!out) return;
    const n = saves.size();
    outBox.querySelector(".rv-signed-out-count").textContent =
      n === 1
        ? "1 decision waits on this device; it is sent once you sign in again."
        : `${n} decisions wait on this device; they are sent once you sign in again.`;
    // Back to this very image afterwards; the decisions wait in this browser meanwhile.
    const here = location.pathname + location.search;
    outBox.querySelector("a").href = "/login?next=" + encodeURIComponent(here);
  };

  const saves = window.SdReviewSaves({
    user: state.user,
    csrf: root.dataset.csrf,
    onStatus: (kind, text, short) => {
      saved.textContent = kind === "saved" ? "✓ Saved" : short;
      saved.title = text;
      saved.setAttribute("aria-label", text);
      saved.className = "rv-saved " + kind;
      signedOut(kind === "signedout");
      // A decision that cannot reach the server says the network is gone as surely as an image.
      if (kind === "pending" && /offline|unreachable/.test(text)) ahead.lost();
      else if (kind === "saved") ahead.found();
    },
    onSaved: (answer) => {
      const item = items.find((it) => it.id === answer.id);
      if (!item) return;
      item.others = answer.others;
      if (item === items[index]) showInfo(item);
    },
    onConflict: (answer) => conflicts.add(answer),
  });

  // ---- conflicts: the image again, with the verdict saved now and this device's ----
  let resume = null; // where to go once they are settled: an item, "end" or "stay"
  const conflicts = window.SdReviewConflicts(document.getElementById("rv-conflict"), {
    categories: state.categories,
    reveal: (answer) => {
      let item = items.find((it) => it.id === answer.id);
      if (!item && answer.item) {
        // Judged on another device, it may have left the queue: shown again all the same.
        item = answer.item;
        items.splice(Math.min(index + 1, items.length), 0, item);
      }
      if (!item) return;
      if (resume === null) resume = ended ? "end" : items[index] !== item ? items[index] : "stay";
      counted(item.mine, answer.stored);
      item.mine = answer.stored;
      if (answer.item) item.others = answer.item.others;
      // Its decisions here were never applied: undoing one would undo the other device's.
      for (let i = undos.length - 1; i >= 0; i--) if (undos[i].id === item.id) undos.splice(i, 1);
      const undoButton = document.getElementById("rv-undo");
      if (undoButton) undoButton.disabled = !undos.length;
      if (ended) {
        // The pass had ended: back to the images until this is settled.
        ended = false;
        stage.querySelector(".rv-summary")?.remove();
        document.querySelector(".rv-bar")?.removeAttribute("hidden");
      }
      show(items.indexOf(item));
    },
    pick: (answer, verdict) => {
      const item = items.find((it) => it.id === answer.id);
      if (item) { counted(item.mine, verdict); item.mine = verdict; showBar(item); showProgress(); }
      // Keeping what is saved needs no request; this device's is sent again, now made
      // against the verdict saved (so a newer change elsewhere conflicts again), and U takes
      // it back to that one.
      if (verdict === answer.wanted) {
        undos.push({ id: answer.id, before: answer.stored, after: verdict });
        saves.save(answer.id, verdict, state.query, answer.stored);
      }
    },
    done: () => {
      const back = resume;
      resume = null;
      if (back === "end") finish();
      else if (back && back !== "stay" && items.includes(back)) show(items.indexOf(back));
    },
  });

  // ---- slots: the current image and the next ones, decoded ahead ----
  const slots = window.SdReviewSlots(stage, hintBox, ahead);
  const first = stage.querySelector(".rv-slot.current");
  if (first && items[0]) slots.adopt(items[0], first);
  const current = () => (items[index] ? slots.get(items[index].id) : null);
  const slotFor = (item) => slots.make(item);
  const keepWindow = () => {
    slots.keep(items, index, AHEAD);
    ahead.plan(items, index);
  };
  // Images that can be shown from here on without the network, the one in front included,
  // and how many of them at full size (the rest by their thumbnail).
  const readyCount = () => {
    let n = 0;
    let full = 0;
    for (let i = index; i < items.length; i++) {
      const it = items[i];
      const shows = slots.shows(it);
      const whole = it.broken || ["full", "broken"].includes(shows) || ahead.has(it.screen);
      if (!(whole || shows === "preview" || ahead.has(it.thumb))) break;
      n++;
      if (whole) full++;
    }
    return { n, full };
  };
  function netChanged() {
    if (ended) { if (net) net.hidden = true; return; }
    slots.reload(items);
    const { n, full } = readyCount();
    // Also on the page for a test or a curious person: how far the phone could go offline.
    root.dataset.ready = String(n);
    if (!net) return;
    net.hidden = !ahead.offline();
    net.textContent = `offline: ${n === 1 ? "1 image" : n + " images"} ready${full < n ? ` · ${full} full size` : ""}`;
  }
  // The network back: what failed is fetched again, and the images that failed are shown.
  const again = () => {
    if (ended) return;
    ahead.retry();
    keepWindow();
    fetchMore();
    netChanged();
  };
  window.addEventListener("online", again);
  window.addEventListener("offline", netChanged);
  // Not every lost network says so (a server gone, a captive Wi-Fi): failed images are tried
  // again every few seconds.
  setInterval(() => { if (ahead.anyFailed() || stage.querySelector(".rv-slot.no-screen, .rv-slot.missing")) again(); }, 5000);
  const fetchMore = () => {
    if (fetching || !state.more || items.length - index > KNOWN_AHEAD) return fetching;
    const last = items[items.length - 1];
    fetching = fetch(`/review/queue?${state.query}&cursor=${last.id}`, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r)))
      .then((page) => {
        const known = new Set(items.map((it) => it.id));
        page.items.filter((it) => !known.has(it.id)).forEach((it) => items.push(it));
        state.more = page.more;
        keepWindow();
        return true;
      })
      .catch(() => false /* tried again at the next step */)
      .then((more) => {
        fetching = null;
        // Page after page while the network is good, until enough are known ahead.
        if (more) fetchMore();
      });
    return fetching;
  };

  // ---- showing an image ----
  const measure = (item, start) => {
    if (start == null) return;
    item.ready.then(() => requestAnimationFrame(() => {
      performance.measure("review:next", { start, end: performance.now(), detail: { id: item.id } });
    }));
  };
  const pressed = (id, on) => document.getElementById(id)?.setAttribute("aria-pressed", String(!!on));
  const showBar = (item) => {
    const v = item.mine;
    pressed("rv-imperfect", v.quality === "imperfect");
    pressed("rv-perfect", v.quality === "perfect");
    pressed("rv-like", v.liked);
    pressed("rv-ok", v.status === "ok");
    pressed("rv-ko-open", v.status === "ko");
    ko?.querySelectorAll(".rv-cat").forEach((b) => b.setAttribute("aria-pressed", String(v.status === "ko" && b.value === v.category)));
    const notes = ko?.querySelector("textarea");
    if (notes) notes.value = v.status === "ko" ? v.notes : "";
    const undo = document.getElementById("rv-undo");
    if (undo && undos.length) undo.disabled = false;
    // Going through groups: the notice says, image after image, how many a decision covers.
    const group = document.getElementById("rv-group");
    if (group) {
      const g = item.group;
      group.hidden = !g;
      if (g) {
        group.querySelector(".rv-group-count").textContent = `×${g.count}`;
        group.querySelector(".rv-group-text").textContent =
          `This image stands for ${g.count} near-duplicates: your decision, and its undo, apply to all ${g.count}.`;
        const keep = group.querySelector("form.rv-keep");
        if (keep) {
          keep.hidden = !g.keep_url;
          if (g.keep_url) keep.action = g.keep_url;
          keep.querySelector(".rv-group-others").textContent = String(g.count - 1);
        }
      }
    }
  };
  const text = window.SdReviewInfo.text;
  const showInfo = (item) => window.SdReviewInfo.show(document.getElementById("rv-info-body"), item);
  const show = (at, start) => {
    const item = items[at];
    if (!item) return;
    gestures.reset();
    const before = current();
    if (before) {
      before.classList.remove("current", "zoomed");
      before.style.transform = "";
      before.setAttribute("aria-hidden", "true");
    }
    index = at;
    const fig = slotFor(item);
    fig.classList.add("current");
    fig.removeAttribute("aria-hidden");
    measure(item, start);
    keepWindow();
    showBar(item);
    showInfo(item);
    showProgress();
    fetchMore();
    history.replaceState(null, "", `/review?${state.query}&at=${item.id}`);
    backLink();
    netChanged();
  };
  // ---- back: the image before, its verdict kept ----
  const back = document.getElementById("rv-back");
  const backLink = () => {
    if (!back || !items[index - 1]) return;
    back.href = `/review?${state.query}&at=${items[index - 1].id}`;
    back.removeAttribute("aria-disabled");
  };

  const finish = async () => {
    ended = true;
    hint(null);
    const all = await saves.flush(4000);
    const response = await fetch(`/review/summary?${state.query}`).catch(() => null);
    slots.clear();
    document.querySelector(".rv-bar")?.setAttribute("hidden", "");
    const holder = document.createElement("div");
    holder.innerHTML = response?.ok ? await response.text() : "<div class='rv-summary'><p>The summary could not be loaded.</p></div>";
    const summary = holder.firstElementChild;
    if (!all) summary.prepend(text("p", `${saves.size()} decisions are still waiting to be saved and are not counted yet.`, "alert"));
    stage.insertBefore(summary, hintBox);
    summary.focus?.();
    progress.textContent = "Done";
  };
  const next = async (start) => {
    if (index + 1 < items.length) { show(index + 1, start); return; }
    if (state.more) {
      await (fetchMore() || Promise.resolve());
      if (index + 1 < items.length) { show(index + 1, start); return; }
    }
    finish();
  };
  const previous = () => { if (index > 0) show(index - 1); };
  back?.addEventListener("click", (event) => {
    // The page's own link (from the image before, without the script) works as it is.
    if (index > 0 || !back.hasAttribute("href")) event.preventDefault();
    if (index > 0 && !ended && !sheetOpen()) previous();
  });

  // ---- judging ----
  const sheetOpen = () => ko?.open || keys?.open || conflicts.open();
  const blocked = () => ended || sheetOpen() || gestures.zoomed();
  const flash = (id) => {
    const el = document.getElementById(id);
    if (!el) return;
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  };
  // Nothing judged on an image that is not on the screen (not loaded yet, or failed offline):
  // the screen says why instead.
  const visible = () => {
    const item = items[index];
    if (!item || ["full", "preview", "broken"].includes(slots.shows(item))) return true;
    slots.nudge(item);
    hint(slots.shows(item) === "loading" ? "Still loading: nothing judged" : "Not loaded: nothing judged", "skip");
    setTimeout(() => hint(null), 1200);
    return false;
  };
  const decide = (act, start, extra = {}) => {
    const item = items[index];
    if (!item || !state.can_rate || (blocked() && act !== "ko")) return;
    if (!visible()) return;
    const before = item.mine;
    const after = decideVerdict(before, act, extra);
    item.mine = after;
    undos.push({ id: item.id, before, after });
    counted(before, after);
    saves.save(item.id, after, state.query, before);
    flash({ up: "rv-perfect", down: "rv-imperfect", like: "rv-like", ok: "rv-ok", ko: "rv-ko-open" }[act]);
    if (act !== "like" && auto.checked) next(start);
    else { showBar(item); showProgress(); }
  };
  const undo = () => {
    const last = undos.pop();
    if (!last) return false;
    const at = items.findIndex((it) => it.id === last.id);
    const item = items[at];
    const shown = item.mine;
    counted(shown, last.before);
    item.mine = last.before;
    saves.save(item.id, last.before, state.query, shown);
    if (ended) location.replace(`/review?${state.query}&at=${item.id}`);
    else show(at);
    const button = document.getElementById("rv-undo");
    if (button) button.disabled = !undos.length;
    return true;
  };
  const openKo = () => {
    if (!ko || !items[index] || ended || gestures.zoomed() || !visible()) return;
    ko.open = true;
  };
  const closeKo = () => { if (ko?.open) { ko.open = false; document.getElementById("rv-ko-open")?.focus(); } };
  ko?.addEventListener("toggle", () => {
    if (!ko.open) return;
    if (!visible()) { ko.open = false; return; }
    (ko.querySelector('.rv-cat[aria-pressed="true"]') || ko.querySelector(".rv-cat"))?.focus();
  });
  // A phone closes the sheet as it closes any sheet: Cancel, a tap above it, a swipe down.
  const cancel = document.getElementById("rv-ko-cancel");
  if (cancel) {
    cancel.hidden = false;
    cancel.addEventListener("click", closeKo);
  }
  const backdrop = document.getElementById("rv-ko-backdrop");
  if (backdrop) {
    backdrop.hidden = false;
    backdrop.addEventListener("click", closeKo);
  }
  const sheet = document.getElementById("rv-ko-form");
  let pull = null;
  sheet?.addEventListener("touchstart", (event) => {
    pull = sheet.scrollTop <= 0 && event.touches.length === 1 ? { y: event.touches[0].clientY, x: event.touches[0].clientX, dy: 0 } : null;
  }, { passive: true });
  sheet?.addEventListener("touchmove", (event) => {
    if (!pull) return;
    pull.dy = event.touches[0].clientY - pull.y;
    pull.dx = event.touches[0].clientX - pull.x;
    sheet.style.translate = pull.dy > 0 ? `0 ${pull.dy}px` : "";
  }, { passive: true });
  const letGo = () => {
    if (!pull) return;
    const { dy, dx = 0 } = pull;
    pull = null;
    sheet.style.translate = "";
    if (dy > 60 && dy > Math.abs(dx)) closeKo();
  };
  sheet?.addEventListener("touchend", letGo);
  sheet?.addEventListener("touchcancel", () => { pull = null; sheet.style.translate = ""; });

  // ---- the bar's forms, enhanced ----
  document.querySelector(".rv-bar")?.addEventListener("submit", (event) => {
    const button = event.submitter;
    const act = button?.dataset.act;
    if (event.target.id === "rv-ko-form") {
      event.preventDefault();
      if (!button?.value) return;
      const notes = ko.querySelector("textarea").value.trim();
      ko.open = false;
      decide("ko", event.timeStamp, { category: button.value, notes });
      return;
    }
    if (act === "undo" && !undos.length) return; // the page's own Undo form, from a plain post
    event.preventDefault();
    if (act === "undo") undo();
    else if (act) decide(act, event.timeStamp);
  });
  document.getElementById("rv-skip")?.addEventListener("click", (event) => { event.preventDefault(); next(event.timeStamp); });
  document.getElementById("rv-undo")?.addEventListener("click", (event) => {
    if (event.target.closest("form")?.method !== "post" || undos.length) { event.preventDefault(); undo(); }
  });

  // ---- gestures ----
  const hint = (label, kind, armed) => {
    if (!label) { hintBox.className = "rv-hint"; return; }
    hintBox.textContent = label;
    hintBox.className = `rv-hint show ${{ up: "perfect", down: "imperfect", ko: "ko", skip: "skip", like: "like" }[kind] || ""}${armed ? " armed" : ""}`;
  };
  const gestures = window.SdReviewGestures(stage, {
    slot: current,
    blocked: () => ended || sheetOpen(),
    hint,
    commit: (kind, start) => {
      if (kind === "ko") openKo();
      else if (kind === "skip") next(start);
      else decide(kind, start);
    },
    heart: (start) => {
      decide("like", start);
      hint("♥ Heart", "like");
      setTimeout(() => hint(null), 500);
    },
    zoomChanged: (zoomed) => {
      const item = items[index];
      const fig = current();
      if (!zoomed || !item || !fig || fig.querySelector(".rv-original")) return;
      // Zooming is asking for detail: only now is the original fetched.
      const original = slots.image("rv-original", item.original, item, "");
      original.decode().then(() => fig.append(original), () => {});
    },
  });

  // ---- keys ----
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const leave = async () => {
    await saves.flush(1500);
    location.href = document.getElementById("rv-exit").href;
  };
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    // Only the conflict's own buttons answer while it asks (Tab, Enter and Space reach them).
    if (conflicts.open()) return;
    const key = event.key;
    if (ko?.open) {
      if (key === "Escape") { event.preventDefault(); closeKo(); return; }
      if (/^[1-9]$/.test(key) && !typing(event.target)) {
        const pick = ko.querySelector(`.rv-cat[data-key="${key}"]`);
        if (pick) { event.preventDefault(); pick.focus(); }
      }
      return;
    }
    if (keys?.open && (key === "Escape" || key === "?")) { event.preventDefault(); keys.open = false; return; }
    if (info?.open && key === "Escape") { event.preventDefault(); info.open = false; return; }
    if (typing(event.target)) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && key.toLowerCase() === "z") {
      event.preventDefault();
      undo();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const start = event.timeStamp;
    const actions = {
      p: () => decide("up", start), ArrowUp: () => decide("up", start),
      x: () => decide("down", start), ArrowDown: () => decide("down", start),
      l: () => decide("like", start), o: () => decide("ok", start), k: openKo,
      ArrowRight: () => !ended && !gestures.zoomed() && next(start), ArrowLeft: () => !gestures.zoomed() && previous(),
      u: undo, i: () => { if (info) info.open = !info.open; },
      z: () => { if (!ended) gestures.toggle(); },
      "?": () => { if (keys) keys.open = !keys.open; },
      Escape: () => (gestures.zoomed() ? gestures.reset() : leave()),
    };
    const action = actions[key.length === 1 ? key.toLowerCase() : key] || actions[key];
    if (action) { event.preventDefault(); action(); }
  });

  if (!ended) { showBar(items[0]); keepWindow(); fetchMore(); backLink(); }
  showProgress();
  window.sdreviewReady = true;
})();
