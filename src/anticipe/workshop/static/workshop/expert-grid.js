// The whole influence matrix (matrix_grid.html): each cell is saved on its own when it
// changes, with expert.js's helpers (no inline script: CSP).
(function () {
  "use strict";
  var expert = window.anticipeExpert;
  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (!form || !form.hasAttribute("data-grid") || !window.htmx) { return; }
    var place = /^c(\d+)-(\d+)$/.exec(input.name);
    var value = input.value.trim();
    if (!place || !value) { return; }
    var codes = form.dataset.codes.split(" ");
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("source", codes[+place[1]]);
    data.append("target", codes[+place[2]]);
    data.append("value", value);
    fetch(form.dataset.cellUrl, {method: "POST", body: data, headers: {"HX-Request": "true", "HX-Target": "grid-status"},
      credentials: "same-origin"})
      .then(function (response) {
        return response.text().then(function (html) {
          if (response.ok) { input.removeAttribute("aria-invalid"); }
          else { input.setAttribute("aria-invalid", "true"); }
          if (response.status === 409) { expert.closed(); }  // the notice at the top comes out of band
          var place = document.getElementById("grid-status");
          window.htmx.swap(place, html, {swapStyle: "innerHTML"}, {eventInfo: {target: place}});
        });
      }, function () {
        input.setAttribute("aria-invalid", "true");
        expert.unsent(document.getElementById("grid-status"));
      });
  });
})();
