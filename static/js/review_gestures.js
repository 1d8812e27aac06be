// Review mode: what a finger (or a mouse) does on the image. Swipe right thumbs up, left thumbs
// down, up the KO sheet, down skip; the image follows the finger and a label says what letting
// go will do; a short or slow swipe snaps back. Double tap: heart. Pinch zooms, a finger then
// pans, and nothing judges while zoomed. Pointer events cover touch, pen and mouse alike.
"use strict";

window.SdReviewGestures = (stage, handlers) => {
  const { slot, blocked, hint, commit, heart, zoomChanged } = handlers;
  const pointers = new Map();
  let gesture = null;
  let lastTap = null;
  const zoom = { scale: 1, x: 0, y: 0 };
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

  const LABELS = { up: "Thumbs up", down: "Thumbs down", ko: "KO…", skip: "Skip" };

  const applyZoom = () => {
    const el = slot();
    if (!el) return;
    el.style.setProperty("--zs", zoom.scale);
    el.style.setProperty("--zx", zoom.x + "px");
    el.style.setProperty("--zy", zoom.y + "px");
    el.classList.toggle("zoomed", zoom.scale > 1);
  };
  const setZoom = (scale, x, y) => {
    const was = zoom.scale > 1;
    const box = stage.getBoundingClientRect();
    zoom.scale = Math.min(6, Math.max(1, scale));
    const maxX = ((zoom.scale - 1) * box.width) / 2;
    const maxY = ((zoom.scale - 1) * box.height) / 2;
    zoom.x = Math.max(-maxX, Math.min(maxX, x));
    zoom.y = Math.max(-maxY, Math.min(maxY, y));
    applyZoom();
    if (was !== zoom.scale > 1) zoomChanged(zoom.scale > 1);
  };

  const kindOf = (dx, dy) => {
    if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? "up" : "down";
    return dy < 0 ? "ko" : "skip";
  };
  const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
  const middle = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

  const follow = (dx, dy) => {
    const el = slot();
    if (!el) return;
    const horizontal = Math.abs(dx) >= Math.abs(dy);
    el.style.transform = horizontal
      ? `translate(${dx}px, ${dy * 0.2}px) rotate(${dx * 0.03}deg)`
      : `translate(${dx * 0.2}px, ${dy}px)`;
  };
  const snapBack = () => {
    const el = slot();
    hint(null);
    if (!el) return;
    if (!reduced.matches) {
      el.classList.add("settling");
      setTimeout(() => el.classList.remove("settling"), 200);
    }
    el.style.transform = "";
  };

  // Far enough, or flicked fast enough, to count.
  const passes = (g, dx, dy) => {
    const box = stage.getBoundingClientRect();
    const far = Math.abs(dx) >= Math.abs(dy) ? Math.min(120, box.width * 0.25) : Math.min(110, box.height * 0.18);
    const length = Math.max(Math.abs(dx), Math.abs(dy));
    return length >= far || (g.speed >= 0.5 && length >= 40);
  };

  stage.addEventListener("pointerdown", (event) => {
    if (event.target.closest(".rv-summary, a, button") || (event.pointerType === "mouse" && event.button !== 0)) return;
    if (blocked()) return;
    try { stage.setPointerCapture(event.pointerId); } catch { /* a pointer the browser does not track */ }
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 1) {
      gesture = {
        mode: zoom.scale > 1 ? "pan" : "swipe",
        start: { x: event.clientX, y: event.clientY, t: event.timeStamp },
        last: { x: event.clientX, y: event.clientY, t: event.timeStamp },
        from: { x: zoom.x, y: zoom.y },
        speed: 0, moved: false,
      };
      stage.classList.add("dragging");
    } else if (pointers.size === 2) {
      if (gesture?.mode === "swipe") snapBack();
      const [a, b] = [...pointers.values()];
      gesture = { mode: "pinch", d0: distance(a, b) || 1, s0: zoom.scale, m0: middle(a, b), from: { x: zoom.x, y: zoom.y }, moved: true };
    }
  });

  stage.addEventListener("pointermove", (event) => {
    if (!pointers.has(event.pointerId) || !gesture) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    event.preventDefault();
    if (gesture.mode === "pinch" && pointers.size >= 2) {
      const [a, b] = [...pointers.values()];
      const m = middle(a, b);
      setZoom(gesture.s0 * (distance(a, b) / gesture.d0), gesture.from.x + m.x - gesture.m0.x, gesture.from.y + m.y - gesture.m0.y);
      return;
    }
    const dx = event.clientX - gesture.start.x;
    const dy = event.clientY - gesture.start.y;
    const dt = event.timeStamp - gesture.last.t;
    if (dt > 0) {
      const step = Math.hypot(event.clientX - gesture.last.x, event.clientY - gesture.last.y) / dt;
      gesture.speed = gesture.speed * 0.6 + step * 0.4;
    }
    gesture.last = { x: event.clientX, y: event.clientY, t: event.timeStamp };
    if (Math.hypot(dx, dy) > 10) gesture.moved = true;
    if (gesture.mode === "pan") {
      setZoom(zoom.scale, gesture.from.x + dx, gesture.from.y + dy);
    } else if (gesture.mode === "swipe" && gesture.moved) {
      follow(dx, dy);
      const kind = kindOf(dx, dy);
      hint(LABELS[kind], kind, passes(gesture, dx, dy));
    }
  });

  const end = (event, cancelled) => {
    if (!pointers.has(event.pointerId)) return;
    pointers.delete(event.pointerId);
    if (!gesture) return;
    if (gesture.mode === "pinch") {
      if (pointers.size === 0) {
        if (zoom.scale < 1.05) setZoom(1, 0, 0);
        gesture = null;
      } else {
        // One finger stays: it pans from here, and never judges.
        const [rest] = [...pointers.values()];
        gesture = { mode: "none", start: { ...rest, t: event.timeStamp }, from: { x: zoom.x, y: zoom.y }, moved: true };
      }
      return;
    }
    if (pointers.size > 0) return;
    stage.classList.remove("dragging");
    const g = gesture;
    gesture = null;
    const dx = event.clientX - g.start.x;
    const dy = event.clientY - g.start.y;
    if (cancelled) { snapBack(); return; }
    if (!g.moved && event.timeStamp - g.start.t < 350) {
      const tap = { t: event.timeStamp, x: event.clientX, y: event.clientY };
      if (lastTap && tap.t - lastTap.t < 500 && distance(tap, lastTap) < 40) {
        lastTap = null;
        if (zoom.scale > 1) setZoom(1, 0, 0);
        else heart(event.timeStamp);
      } else {
        lastTap = tap;
      }
      return;
    }
    if (g.mode !== "swipe") return;
    if (passes(g, dx, dy) && !blocked()) {
      hint(null);
      const el = slot();
      if (el) el.style.transform = "";
      commit(kindOf(dx, dy), event.timeStamp);
    } else {
      snapBack();
    }
  };
  stage.addEventListener("pointerup", (event) => end(event, false));
  stage.addEventListener("pointercancel", (event) => end(event, true));
  // No long-press menu or image drag under a finger.
  stage.addEventListener("contextmenu", (event) => { if (event.target.closest("img")) event.preventDefault(); });
  stage.addEventListener("dragstart", (event) => event.preventDefault());

  return {
    zoomed: () => zoom.scale > 1,
    reset: () => { zoom.scale = 1; zoom.x = 0; zoom.y = 0; applyZoom(); },
    toggle: () => setZoom(zoom.scale > 1 ? 1 : 2.5, 0, 0),
  };
};
