// The take page: each answer is saved by htmx as it is typed (hx-post on its fieldset). When a save cannot
// reach the server (a lost connection), the question says so; the next change saves it again, and the
// submit sends every answer as it stands. Words ride on data- attributes (no inline script, CSP).
(function () {
  "use strict";

  function statusOf(event) {
    var fieldset = event.detail && event.detail.elt && event.detail.elt.closest("[data-question]");
    return fieldset ? fieldset.querySelector(".rr-save-status") : null;
  }

  function failed(event) {
    var status = statusOf(event);
    var page = document.querySelector("[data-unsaved-text]");
    if (status && page) {
      status.textContent = page.dataset.unsavedText;
      status.classList.add("is-failed");
    }
  }

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var status = statusOf(event);
    if (status) {
      status.classList.remove("is-failed");
    }
  });
})();
