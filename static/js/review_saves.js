// Review mode: decisions saved in the background, in order, exactly once.
//
// Each decision is the whole verdict it results in (action=restore), so sending it again
// changes nothing. Until the server confirms it, it waits in localStorage (per user), shown as
// pending; a failed send is retried with a growing pause, and at once when the browser comes
// back online. A later decision on the same image replaces a waiting one.
//
// Each also carries the verdict it was made against (was_*): the one the server last had as
// far as this device knows. If the same person changed that verdict meanwhile on another
// device, the server keeps it and answers 409 with both (onConflict), so a decision that
// waited offline never silently overwrites a newer one.
"use strict";

window.SdReviewSaves = (options) => {
  const { user, csrf, onSaved, onStatus, onConflict } = options;
  const key = "sdreview:pending:" + user;
  const load = () => {
    try { return new Map(JSON.parse(localStorage.getItem(key) || "[]")); } catch { return new Map(); }
  };
  const pending = load();
  const persist = () => {
    try {
      if (pending.size) localStorage.setItem(key, JSON.stringify([...pending]));
      else localStorage.removeItem(key);
    } catch { /* private mode: the queue still lives in memory */ }
  };
  let sending = false;
  let retryTimer = null;
  let pause = 1000;
  let waiters = [];
  const SIGNED_OUT = { signedOut: true };

  // A short text for the top line, and the whole of it for a tooltip and screen readers.
  const status = (kind, text, short) => onStatus && onStatus(kind, text, short || text);
  const waiting = () => (pending.size === 1 ? "1 decision waiting" : pending.size + " decisions waiting");

  const form = (verdict, was) => {
    const body = new URLSearchParams({
      action: "restore",
      quality: verdict.quality || "",
      liked: verdict.liked ? "1" : "",
      status: verdict.status || "",
      category: verdict.status === "ko" ? verdict.category || "" : "",
      notes: verdict.status === "ko" ? verdict.notes || "" : "",
    });
    // Written as the server wrote it, so an unchanged verdict compares equal.
    if (was) {
      body.set("was_quality", was.quality || "");
      body.set("was_liked", was.liked ? "1" : "");
      body.set("was_status", was.status || "");
      body.set("was_category", was.category || "");
      body.set("was_notes", was.notes || "");
    }
    return body;
  };

  const messageOf = async (response) => {
    const text = await response.text().catch(() => "");
    const doc = new DOMParser().parseFromString(text, "text/html");
    return doc.querySelector("main p:not(.eyebrow)")?.textContent || "The decision was not saved.";
  };

  // `why` is either a few words of ours, or (a fault the server names) its own words.
  const retryLater = (why) => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(pump, pause);
    const again = "retrying in " + Math.round(pause / 1000) + " s";
    if (why === SIGNED_OUT) {
      // The page says it on the screen too, with a button to sign in again (kind "signedout").
      status("signedout", waiting() + " · signed out: sign in again to send them, " + again, "Signed out · " + pending.size + " waiting");
    } else if (typeof why === "string") {
      status("pending", waiting() + " · " + why + ", " + again, pending.size + " waiting");
    } else {
      // Its first clause, without a path, fits the top line: the whole is in the title.
      const first = why.words.split(/[,;:]/)[0].replace(/\s\/\S+/g, "").trim();
      const short = "Not saved: " + first + " (" + pending.size + " waiting)";
      status("failed", "Not saved: " + why.words + " · " + waiting() + ", " + again, short);
    }
    pause = Math.min(pause * 2, 30000);
  };

  const settle = () => {
    if (pending.size || sending) return;
    waiters.forEach((resolve) => resolve(true));
    waiters = [];
  };

  async function pump() {
    if (sending) return;
    const next = pending.entries().next();
    if (next.done) { settle(); return; }
    const [id, entry] = next.value;
    sending = true;
    status("saving", pending.size > 1 ? "Saving… (" + waiting() + ")" : "Saving…");
    let retry = null;
    try {
      const response = await fetch("/review/images/" + id + "?" + entry.query, {
        method: "POST",
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
        body: form(entry.verdict, entry.was),
        keepalive: true,
        redirect: "manual",
      });
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      if (response.ok && json) {
        const answer = await response.json();
        const newer = pending.get(id);
        if (newer === entry) pending.delete(id);
        // A decision made on this image while this one was on its way was made against what
        // the server has now.
        else if (newer) newer.was = answer.mine;
        persist();
        pause = 1000;
        onSaved && onSaved(answer);
        status(pending.size ? "saving" : "saved", pending.size ? "Saving… (" + waiting() + ")" : "Saved");
      } else if (response.status === 409 && json) {
        const answer = await response.json();
        // A newer decision on the same image waits: it gets its own answer.
        const newest = pending.get(id) === entry;
        if (newest) pending.delete(id);
        persist();
        pause = 1000;
        if (newest && onConflict) onConflict(answer);
        status("conflict", "Changed on another device: choose which verdict stands", "Changed elsewhere");
      } else if (response.type === "opaqueredirect" || response.status === 401) {
        retry = SIGNED_OUT;
      } else if (response.status === 503) {
        // A fault the server can name (its disk full, its database replaced): said in its
        // words, and the decision waits here to be sent again.
        retry = { words: await messageOf(response) };
      } else if (response.status >= 500 || response.status === 429 || response.status === 0) {
        retry = "the server is busy";
      } else {
        // Refused (a viewer, a category that is gone...): retrying would not help.
        if (pending.get(id) === entry) pending.delete(id);
        persist();
        status("failed", await messageOf(response), "Not saved");
      }
    } catch {
      retry = navigator.onLine === false ? "offline" : "the server is unreachable";
    }
    sending = false;
    if (retry) { retryLater(retry); return; }
    pump();
  }

  window.addEventListener("online", () => { clearTimeout(retryTimer); pause = 1000; pump(); });

  const api = {
    /** Queues the whole verdict of an image, made against `was` (the verdict shown when the
     *  person decided), and sends it. A decision still waiting for the same image is
     *  replaced: the server has not confirmed it, so the new one is made against what that
     *  one was made against. */
    save(id, verdict, query, was) {
      const queued = pending.get(String(id));
      pending.delete(String(id));
      pending.set(String(id), { verdict, query, was: queued ? queued.was : was });
      persist();
      clearTimeout(retryTimer);
      pump();
    },
    size: () => pending.size,
    /** Resolves true once everything is saved, false after `ms`. */
    flush(ms) {
      if (!pending.size && !sending) return Promise.resolve(true);
      clearTimeout(retryTimer);
      pump();
      return new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(() => resolve(false), ms);
      });
    },
  };
  // Whatever an earlier page left waiting goes now.
  if (pending.size) pump();
  return api;
};
