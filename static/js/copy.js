// Copy buttons beside a value shown once (a token, a sign-in link): the button copies the
// input just before it and says "Copied". Without JavaScript the button stays hidden and the
// value stays in its read-only input, to be selected by hand.
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("button[data-copy][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var input = button.previousElementSibling;
    if (!input || !("value" in input)) return;
    function copied() {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    }
    function byHand() {
      // The page's own copy command: the clipboard API exists only on HTTPS or localhost,
      // and sdreview on a LAN is often plain HTTP.
      input.focus();
      input.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      if (done) copied(); else button.textContent = "Selected: copy it";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(copied, byHand);
    } else {
      byHand();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSettle", function (event) { reveal(event.target); });
})();
