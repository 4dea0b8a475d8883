// The facilitator's desk (no inline script: CSP). The projector panel refreshes itself with
// htmx (hx-trigger="every 5s"); this file only adds the full-screen button and keeps the
// projector's screen awake while it is shown.
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
  document.addEventListener("DOMContentLoaded", stayAwake);
  document.addEventListener("visibilitychange", stayAwake);
})();
