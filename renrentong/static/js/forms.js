// Forms (issue 12): a show-password toggle on every password input, and the live checklist of the
// region's password rule (templates/forms/password_rules.html). No inline code: the button texts come
// from this script tag's data- attributes (templates/shell/_scripts.html), the rules from the list's.
(function () {
  "use strict";

  var script = document.currentScript;
  var SHOW = (script && script.dataset.show) || "Show";
  var HIDE = (script && script.dataset.hide) || "Hide";

  // Each password input gets a button after it, in a .rr-password wrapper (the pack renders one; an input
  // written by hand gets one here). aria-pressed says whether the password is shown.
  function addToggle(input) {
    if (input.dataset.reveal === "done") {
      return;
    }
    input.dataset.reveal = "done";
    var wrapper = input.parentElement;
    if (!wrapper || !wrapper.classList.contains("rr-password")) {
      wrapper = document.createElement("div");
      wrapper.className = "rr-password";
      input.parentNode.insertBefore(wrapper, input);
      wrapper.appendChild(input);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rr-reveal";
    button.textContent = SHOW;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("data-testid", "reveal-" + (input.id || input.name));
    if (input.id) {
      button.setAttribute("aria-controls", input.id);
    }
    button.addEventListener("click", function () {
      var shown = input.type === "password";
      input.type = shown ? "text" : "password";
      button.textContent = shown ? HIDE : SHOW;
      button.setAttribute("aria-pressed", shown ? "true" : "false");
    });
    // A password is never submitted as visible text left on screen after the page changes.
    if (input.form) {
      input.form.addEventListener("submit", function () { input.type = "password"; });
    }
    wrapper.appendChild(button);
  }

  var SYMBOL = /[!-\/:-@\[-`{-~]/;

  function met(line, value) {
    var data = line.dataset;
    switch (data.rule) {
      case "length":
        return value.length >= Number(data.min) && value.length <= Number(data.max);
      case "classes":
        if (/[^\x21-\x7e]/.test(value)) {
          return false;
        }
        var count = [/[0-9]/, /[A-Z]/, /[a-z]/, SYMBOL].filter(function (re) { return re.test(value); }).length;
        return count >= Number(data.need);
      case "alnum":
        return value.length > 0 && /^[0-9A-Za-z]+$/.test(value);
      case "digit":
        return /[0-9]/.test(value);
      case "upper":
        return /[A-Z]/.test(value);
      case "lower":
        return /[a-z]/.test(value);
      case "not-contains":
        return value.length > 0 && value.indexOf(data.value) === -1;
      case "same":
        var other = document.getElementById(data.other);
        return value.length > 0 && !!other && other.value === value;
      default:
        return false;
    }
  }

  function check(list) {
    var input = document.getElementById(list.dataset.passwordRules);
    if (!input) {
      return;
    }
    list.querySelectorAll("li[data-rule]").forEach(function (line) {
      var ok = met(line, input.value);
      line.classList.toggle("is-met", ok);
      line.setAttribute("data-met", ok ? "true" : "false");
      var state = line.querySelector(".rr-rule-state");
      if (state) {
        state.textContent = " (" + (ok ? state.dataset.met : state.dataset.unmet) + ")";
      }
    });
  }

  function watchRules(list) {
    if (list.dataset.watching) {
      return;
    }
    list.dataset.watching = "true";
    var ids = [list.dataset.passwordRules];
    list.querySelectorAll("li[data-rule=same]").forEach(function (line) { ids.push(line.dataset.other); });
    ids.forEach(function (id) {
      var input = document.getElementById(id);
      if (input) {
        input.addEventListener("input", function () { check(list); });
      }
    });
    check(list);
  }

  function enhance(root) {
    root.querySelectorAll("input[type=password]").forEach(addToggle);
    root.querySelectorAll("[data-password-rules]").forEach(watchRules);
  }

  function start() {
    enhance(document);
    // Forms htmx swaps in later get the same behaviour.
    document.body.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
