// Anticipe: small behaviours attached by data attributes (no inline script: CSP).
(function () {
  "use strict";
  // <form data-confirm="Are you sure?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    }
  }, true);
  // <button data-copy="text">: copy to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button && navigator.clipboard) {
      navigator.clipboard.writeText(button.dataset.copy);
      button.setAttribute("aria-live", "polite");
      button.dataset.copied = "true";
    }
  });
  // Keep the keyboard focus on the control the user was on after an htmx swap.
  // (After an outerHTML swap the old target is detached: look from the document then.)
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var root = target && target.isConnected ? target : document;
    var next = root.querySelector("[data-autofocus]");
    if (next) { next.focus(); }
  });
  // A refusal (403: e.g. the study is published and read-only) is a page that says why:
  // show it instead of ignoring the answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 403) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.target = document.body;
      event.detail.swapOverride = "innerHTML";
    }
  });
})();
