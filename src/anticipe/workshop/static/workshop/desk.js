// The facilitator's desk (no inline script: CSP). The projector panel refreshes itself with
// htmx (hx-trigger="every 5s"); this file only adds the full-screen button and keeps the
// projector's screen awake while it is shown, and on a phone, where the desk's sections are
// one row that scrolls sideways, brings the current section into view.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fullscreen]");
    if (!button) { return; }
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen();
    }
  });
  function stayAwake() {
    if (document.body.classList.contains("projector") && navigator.wakeLock &&
        document.visibilityState === "visible") {
      navigator.wakeLock.request("screen").catch(function () {});
    }
  }
  function showCurrentSection() {
    var nav = document.querySelector(".desk-nav ul");
    var current = nav && nav.querySelector("[aria-current=page]");
    if (current && nav.scrollWidth > nav.clientWidth) {
      // the row only, never the page: the section in the middle, its neighbours cut on
      // both sides (there is more to scroll each way)
      var item = current.parentNode;
      nav.scrollLeft = item.offsetLeft - nav.offsetLeft - (nav.clientWidth - item.offsetWidth) / 2;
    }
  }
  document.addEventListener("DOMContentLoaded", stayAwake);
  document.addEventListener("DOMContentLoaded", showCurrentSection);
  document.addEventListener("visibilitychange", stayAwake);
})();
