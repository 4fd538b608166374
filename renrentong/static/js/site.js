// Behaviour that templates ask for with data attributes. The Content-Security-Policy allows scripts
// from our static files only, so no template may carry inline scripts or on* handlers (docs/operations.md).
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (a <noscript> button covers no-JS).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  // <form data-confirm="..."> or <button data-confirm="...">: ask before doing something hard to undo.
  // Captured on the document, so a refusal stops htmx's listeners on the form as well.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-copy-previous], [data-print]") : null;
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-copy-previous")) {
      var source = target.previousElementSibling;
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent);
      }
    } else if (target.hasAttribute("data-print")) {
      window.print();
    }
  });

  // <input type="checkbox" data-select-all="selector">: ticks or unticks every box the selector finds.
  document.addEventListener("change", function (event) {
    var target = event.target;
    var selector = target.dataset ? target.dataset.selectAll : "";
    if (selector) {
      document.querySelectorAll(selector).forEach(function (box) { box.checked = target.checked; });
    }
  });
})();
