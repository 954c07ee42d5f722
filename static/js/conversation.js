// A USB scanner types the badge code and presses Enter. Enter in the code field should not
// send the form before interest is chosen: move on to the interest choice instead.
(function () {
  "use strict";
  var code = document.getElementById("code");
  if (!code) { return; }
  code.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    var form = code.form;
    var chosen = form.querySelector("input[name=interest]:checked");
    if (chosen) { return; }  // everything else is filled in: let Enter send it
    event.preventDefault();
    var first = form.querySelector("input[name=interest]");
    if (first) { first.focus(); }
  });
}());

// The camera at the stand (camera.js), for representatives without a scanner: a scanned badge
// is looked up, fills in the code, picks the person from the list and moves on to the interest.
// A badge that cannot be used says why. The camera stays on from one conversation to the next.
(function () {
  "use strict";
  var form = document.querySelector("form.conversation-form[data-badge-url]");
  if (!form || !window.meetgreetCamera) { return; }
  var status = document.getElementById("scan-status");
  var code = document.getElementById("code");
  var pick = document.getElementById("candidate");
  var onKey = "meetgreet.stand.camera";

  function say(text, good) {
    status.textContent = text;
    status.className = "scan-status " + (good ? "scan-status-ok" : "scan-status-error");
  }

  function lookup(scanned) {
    fetch(form.dataset.badgeUrl, {
      method: "POST", credentials: "same-origin", body: JSON.stringify({code: scanned}),
      // JSON also for refusals (an expired page, too many scans), so the message can be shown.
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": form.querySelector("input[name=csrf_token]").value},
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (answer.status !== "ok") { say(answer.message, false); return; }
      code.value = scanned;
      var listed = Array.prototype.some.call(pick.options, function (option) {
        return option.value === answer.ref;
      });
      pick.value = listed ? answer.ref : "";  // not checked in yet: the code alone will do
      say(answer.message, true);
      var interest = form.querySelector("input[name=interest]:checked") ||
        form.querySelector("input[name=interest]");
      if (interest) { interest.focus(); }
    }).catch(function () {
      say(form.dataset.textNoConnection, false);
    });
  }

  var camera = window.meetgreetCamera(lookup, function (running) {
    try {
      if (running) { sessionStorage.setItem(onKey, "1"); } else { sessionStorage.removeItem(onKey); }
    } catch (e) { /* private mode: start by hand each time */ }
  });
  var wasOn = false;
  try { wasOn = sessionStorage.getItem(onKey) === "1"; } catch (e) { /* as above */ }
  if (camera && wasOn) { camera.start(); }
}());
