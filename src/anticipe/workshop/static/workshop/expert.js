// The expert's pages: autosave helpers (no inline script: CSP).
(function () {
  "use strict";
  var root = document.documentElement;
  if (window.htmx) { root.classList.add("htmx-on"); }

  function closed() {  // the round closed (its message beside the answer): no more answers here
    document.querySelectorAll("[data-answers] input, [data-answers] textarea, [data-answers] button")
      .forEach(function (control) { control.disabled = true; });
  }
  // Show refusals (400: an answer to correct, 409: the round closed) instead of ignoring them.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      if (status === 409) { closed(); }
    }
  });
  // A refused answer is undone on screen: only what is saved stays chosen.
  document.addEventListener("htmx:afterRequest", function (event) {
    var ok = event.detail.xhr.status < 300;  // 400 and 409 count as "successful" (swapped)
    event.detail.elt.querySelectorAll("input[type=radio]").forEach(function (radio) {
      if (ok) { radio.defaultChecked = radio.checked; } else { radio.checked = radio.defaultChecked; }
    });
  });
  // After a swap, put the keyboard focus where the server says (e.g. the points input when
  // the button just pressed became disabled).
  document.addEventListener("htmx:afterSwap", function (event) {
    var next = event.target.querySelector && event.target.querySelector("[data-autofocus]");
    if (next && document.activeElement !== next) { next.focus(); }
  });

  // "Full titles": the toggle shows the titles of the lines it controls in full, or on one line.
  document.querySelectorAll(".title-toggle").forEach(function (toggle) {
    var lines = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var full = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", String(full));
      lines.classList.toggle("full-titles", full);
    });
  });

  // Not sent (no network): say it where the answer was, so nothing is lost silently.
  function unsent(place) {
    var notice = document.getElementById("round-notice");
    if (notice && notice.dataset.offline) {
      (place || notice).textContent = notice.dataset.offline;
    }
  }
  document.addEventListener("htmx:sendError", function (event) {
    unsent(event.detail.elt.querySelector(".status"));
  });

  window.anticipeExpert = {closed: closed, unsent: unsent};  // for expert-grid.js
})();
