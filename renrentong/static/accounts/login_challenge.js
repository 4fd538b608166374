// The login challenge (issue 10): after repeated failures the server asks for a proof of work (ALTCHA v1)
// instead of locking anyone out. Find n in 0..maxNumber with SHA-256(salt + n) == challenge and send
// base64(JSON {algorithm, challenge, number, salt, signature}) in the hidden "altcha" field. No inline
// script (CSP), no outside service; a submit before the work is done waits for it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-challenge]");
  if (!form) return;
  var field = form.querySelector("input[name=altcha]");
  var status = document.getElementById("challenge-status");
  var issued = JSON.parse(form.getAttribute("data-challenge"));
  var encoder = new TextEncoder();
  var BATCH = 500;

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  async function solve() {
    var algorithm = issued.algorithm || "SHA-256";
    for (var start = 0; start <= issued.maxNumber; start += BATCH) {
      var tries = [];
      for (var n = start; n < start + BATCH && n <= issued.maxNumber; n++) {
        tries.push(crypto.subtle.digest(algorithm, encoder.encode(issued.salt + n)));
      }
      var digests = await Promise.all(tries);
      for (var k = 0; k < digests.length; k++) {
        if (hex(digests[k]) === issued.challenge) return start + k;
      }
    }
    return null;
  }

  var done = false;
  var submitWaiting = false;
  form.addEventListener("submit", function (event) {
    if (done) return;
    event.preventDefault();
    submitWaiting = true;
  });

  function finish(number) {
    if (number === null) throw new Error("no solution");
    field.value = btoa(JSON.stringify({
      algorithm: issued.algorithm, challenge: issued.challenge, number: number,
      salt: issued.salt, signature: issued.signature
    }));
    done = true;
    status.textContent = status.getAttribute("data-done");
    status.setAttribute("data-state", "done");
    if (submitWaiting) form.requestSubmit();
  }

  if (!window.crypto || !crypto.subtle) {
    status.textContent = status.getAttribute("data-failed");
    status.setAttribute("data-state", "failed");
    return;
  }
  solve().then(finish).catch(function () {
    status.textContent = status.getAttribute("data-failed");
    status.setAttribute("data-state", "failed");
  });
})();
