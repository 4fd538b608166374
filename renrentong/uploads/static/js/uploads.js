// The file picker (templates uploads/_picker.html, SPC-4): each chosen file is posted at once to the
// picker's data-url; the answer (uploads/_uploaded.html) is a list item holding the thumbnail and a hidden
// input with the file's id, so the surrounding form submits the ids. No inline code: words and limits ride
// on the picker's data- attributes. Each file carries a random upload key, so a retried post after a
// dropped connection returns the same file instead of a second one.
(function () {
  "use strict";
  if (window.rrUploadsReady) {
    return;
  }
  window.rrUploadsReady = true;

  function uploadKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID().replace(/-/g, "");
    }
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function send(picker, file, key, attempt) {
    var body = new FormData();
    body.append("file", file, file.name);
    body.append("upload_key", key);
    body.append("purpose", picker.dataset.purpose || "");
    body.append("name", picker.dataset.name || "file_ids");
    return fetch(picker.dataset.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"X-CSRFToken": picker.dataset.csrf, "HX-Request": "true"}
    }).catch(function (error) {
      if (attempt < 2) {
        return send(picker, file, key, attempt + 1);
      }
      throw error;
    });
  }

  function showError(picker, html, text) {
    var box = picker.querySelector("[data-picker-error]");
    if (html) {
      box.innerHTML = html;
    } else {
      box.textContent = text;
    }
  }

  function count(list) {
    return list.querySelectorAll("[data-uploaded-file], [data-picker-pending]").length;
  }

  function upload(picker, file) {
    var list = picker.querySelector("[data-picker-files]");
    var pending = document.createElement("li");
    pending.className = "rr-picker-file rr-picker-pending";
    pending.setAttribute("data-picker-pending", "");
    pending.textContent = picker.dataset.uploading || "…";
    list.appendChild(pending);
    return send(picker, file, uploadKey(), 0).then(function (response) {
      return response.text().then(function (html) {
        if (response.ok) {
          pending.insertAdjacentHTML("beforebegin", html);
        } else {
          showError(picker, html);
        }
      });
    }).catch(function () {
      showError(picker, null, picker.dataset.failed);
    }).then(function () {
      pending.remove();
      picker.dispatchEvent(new CustomEvent("uploads:changed", {bubbles: true}));
    });
  }

  function picked(input) {
    var picker = input.closest("[data-upload-picker]");
    var list = picker.querySelector("[data-picker-files]");
    var max = Number(picker.dataset.max || 9);
    var files = Array.prototype.slice.call(input.files || []);
    showError(picker, null, "");
    var room = max - count(list);
    if (files.length > room) {
      showError(picker, null, picker.dataset.tooMany);
      files = files.slice(0, Math.max(0, room));
    }
    input.value = "";
    // One at a time: phones on a weak network do better with one upload than nine at once.
    files.reduce(function (done, file) {
      return done.then(function () { return upload(picker, file); });
    }, Promise.resolve());
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-picker-input]")) {
      picked(input);
    }
  });

  // On a slow network this deferred script can arrive after the user has already chosen a file: its change
  // event came before our listener, so take up what the inputs hold now instead of losing the choice.
  Array.prototype.forEach.call(document.querySelectorAll("[data-picker-input]"), function (input) {
    if (input.files && input.files.length) {
      picked(input);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-picker-remove]");
    if (button) {
      var item = button.closest("[data-uploaded-file]");
      if (item) {
        item.remove();
      }
    }
  });
})();
