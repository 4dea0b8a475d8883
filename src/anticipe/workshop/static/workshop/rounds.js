// Anticipe, facilitator's synthesis pages: small behaviours by data attributes (CSP: no inline script).
(function () {
  "use strict";
  // <p data-count-of="NAME" data-count-template="{n} selected of {t}">: how many of the
  // checkboxes named NAME in the same form are checked.
  function refreshCounts(form) {
    form.querySelectorAll("[data-count-of]").forEach(function (out) {
      var boxes = form.querySelectorAll("input[type=checkbox][name='" + out.dataset.countOf + "']");
      var checked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      var template = out.dataset.countTemplate || "{n} / {t}";
      out.textContent = template.replace("{n}", checked).replace("{t}", boxes.length);
    });
  }
  // <input data-fill-from="NAME">: filled with the first checked box's data-title while empty.
  function fill(form, box) {
    form.querySelectorAll("[data-fill-from='" + box.name + "']").forEach(function (input) {
      if (box.checked && !input.value && box.dataset.title) { input.value = box.dataset.title; }
    });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.type === "checkbox" && box.form) {
      refreshCounts(box.form);
      fill(box.form, box);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(refreshCounts);
  });
})();
