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
  // Phone shell sheets (half-screen pickers): <button data-open="id"> shows the element with that id,
  // anything with data-close="id" (the mask, a close button) or the Escape key hides it. Plain
  // elements with the hidden attribute, because WeChat's older built-in browsers lack <dialog>.
  var opener = null;
  document.addEventListener("click", function (event) {
    var open = event.target.closest ? event.target.closest("[data-open]") : null;
    var close = event.target.closest ? event.target.closest("[data-close]") : null;
    if (open) {
      var sheet = document.getElementById(open.dataset.open);
      if (sheet) {
        opener = open;
        sheet.hidden = false;
        var first = sheet.querySelector("button, a, input, select");
        if (first) { first.focus(); }
      }
    } else if (close) {
      hideSheet(document.getElementById(close.dataset.close));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll(".rr-sheet:not([hidden])").forEach(hideSheet);
    }
  });
  function hideSheet(sheet) {
    if (sheet) {
      sheet.hidden = true;
      if (opener) { opener.focus(); opener = null; }
    }
  }

  // Toasts (Django messages on phone pages) leave after three seconds.
  function dismissToasts() {
    document.querySelectorAll("[data-toast]").forEach(function (toast) {
      window.setTimeout(function () { toast.hidden = true; }, 3000);
    });
  }

  // A box that scrolls (a wide table in .table-wrap, a long list) and holds nothing focusable can be
  // scrolled from the keyboard only if it takes the focus itself (WCAG 2.1.1, axe scrollable-region-focusable).
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function focusableScrollers(root) {
    (root || document).querySelectorAll(".table-wrap, main table, main div, main section, main ul, main ol, main pre").forEach(function (box) {
      if (box.hasAttribute("tabindex") || box.querySelector(FOCUSABLE)) { return; }
      var style = window.getComputedStyle(box);
      var scrolls = (/(auto|scroll)/.test(style.overflowX) && box.scrollWidth > box.clientWidth) ||
        (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight);
      if (scrolls) { box.setAttribute("tabindex", "0"); }
    });
  }
  function ready() {
    dismissToasts();
    focusableScrollers();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  document.addEventListener("htmx:afterSettle", function (event) { focusableScrollers(event.target); });

  // Pull to refresh on phone lists (<main data-pull-refresh>): pulled down 70 px from the top, the page reloads.
  var pullStart = null;
  document.addEventListener("touchstart", function (event) {
    var area = event.target.closest ? event.target.closest("[data-pull-refresh]") : null;
    pullStart = area && window.scrollY === 0 ? event.touches[0].clientY : null;
  }, {passive: true});
  document.addEventListener("touchmove", function (event) {
    if (pullStart === null) { return; }
    var hint = document.querySelector(".rr-pull-hint");
    if (hint) { hint.classList.toggle("is-pulling", event.touches[0].clientY - pullStart > 70); }
  }, {passive: true});
  document.addEventListener("touchend", function () {
    var hint = document.querySelector(".rr-pull-hint.is-pulling");
    pullStart = null;
    if (hint) { window.location.reload(); }
  });
})();
