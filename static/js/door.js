// The door: scan by camera (camera.js), by a USB/Bluetooth scanner (types the code + Enter) or by
// hand; show the answer full screen; queue scans on the device while the connection is down.
(function () {
  "use strict";

  var door = document.getElementById("door");
  if (!door) { return; }

  var eventId = door.dataset.eventId;
  var scanUrl = door.dataset.scanUrl;
  var countersUrl = door.dataset.countersUrl;
  var kiosk = door.dataset.kiosk === "1";
  var queueKey = "meetgreet.door.queue." + eventId;
  var labelKey = "meetgreet.door.label";
  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan-code");
  var panel = document.getElementById("door-result");
  var queueNote = document.getElementById("door-queue");
  var labelInput = document.getElementById("device-label");
  var hideTimer = null;
  var flushing = false;
  var loggedOut = false;  // the last send was refused for the login: said once, not every flush

  // --- nonces: one per scan, so a resent scan is recognised by the server --------------------
  function newNonce() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);  // also outside secure contexts (plain http on a LAN)
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // --- the queue of scans not yet answered, kept in localStorage ----------------------------
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey)) || []; } catch (e) { return []; }
  }
  function saveQueue(queue) {
    try { localStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { /* full */ }
    showQueue(queue.length);
  }
  function showQueue(count) {
    queueNote.hidden = count === 0;
    queueNote.querySelector("[data-part=label]").textContent = door.dataset.textWaiting;
    queueNote.querySelector("[data-part=count]").textContent = String(count);
  }

  function deviceLabel() {
    try { return localStorage.getItem(labelKey) || ""; } catch (e) { return ""; }
  }

  // --- the answer, full screen --------------------------------------------------------------
  function part(name) { return panel.querySelector("[data-part=" + name + "]"); }

  function hidePanel() {
    panel.hidden = true;
    if (!kiosk) { input.focus(); }
  }

  function show(answer) {
    var status = answer.status;
    panel.className = "door-result door-result-" + status;
    var title = answer.message || "";
    if (kiosk && status === "ok") { title = door.dataset.textKioskOk; }
    part("title").textContent = title;
    part("name").textContent = answer.name || "";
    part("latin").textContent =
      answer.latin_name && answer.latin_name !== answer.name ? answer.latin_name : "";
    part("languages").textContent = (answer.languages || []).map(function (l) {
      return l.name;
    }).join(", ");
    part("interpreter").textContent = answer.needs_interpreter ? door.dataset.textInterpreter : "";
    var badge = part("badge");
    if (badge) {
      badge.hidden = !answer.badge_url;
      badge.href = answer.badge_url || "#";
    }
    panel.hidden = false;
    signal(status);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePanel, status === "ok" ? 3000 : 6000);
  }

  function signal(status) {
    var good = status === "ok";
    if (navigator.vibrate) {
      try { navigator.vibrate(good ? 80 : [200, 100, 200]); } catch (e) { /* not allowed */ }
    }
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { return; }
      var audio = signal.audio || (signal.audio = new Context());
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = good ? 880 : (status === "already_checked_in" ? 440 : 220);
      gain.gain.value = 0.15;
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + (good ? 0.12 : 0.4));
    } catch (e) { /* sound is a bonus */ }
  }

  // --- sending ------------------------------------------------------------------------------
  function send(scan) {
    var headers = {"Content-Type": "application/json", "X-Requested-With": "meetgreet"};
    var label = deviceLabel();
    if (label) { headers["X-Device-Label"] = label; }
    var body = {nonce: scan.nonce, code: scan.code};
    return fetch(scanUrl, {
      method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin",
    }).then(function (response) {
      // Only these refuse the scan itself; anything else (the server or the network had a
      // moment, too many scans, logged out) keeps it on the device to send again later.
      if (!response.ok && [400, 404, 413].indexOf(response.status) === -1) {
        var error = new Error("retry");
        if (response.status === 401 || response.status === 403) {
          // Logged out, or no longer allowed: say so (the server's words) until logged in.
          return response.json().then(function (answer) {
            error.answer = {status: "unknown", message: answer.message || ""};
            throw error;
          });
        }
        throw error;
      }
      loggedOut = false;
      return response.json().then(function (answer) {
        if (!response.ok) { answer = {status: "unknown", message: answer.message || ""}; }
        return answer;
      });
    });
  }

  // A scan that could not be sent stays queued; tell why, once.
  function notSent(error, queued) {
    if (error.answer) {
      if (!loggedOut) { show(error.answer); }
      loggedOut = true;
    } else if (queued) {
      showQueued();
    }
  }

  function scan(code) {
    code = (code || "").trim();
    if (!code) { return; }
    var item = {code: code, nonce: newNonce()};
    loggedOut = false;  // a new scan: say it again if it cannot be sent
    var queue = loadQueue();
    if (queue.length || !navigator.onLine) {
      // Keep the order: earlier scans first.
      queue.push(item);
      saveQueue(queue);
      showQueued();
      flush();
      return;
    }
    send(item).then(function (answer) {
      show(answer);
      refreshCounters();
    }).catch(function (error) {
      var later = loadQueue();
      later.push(item);
      saveQueue(later);
      notSent(error, true);
    });
  }

  function showQueued() {
    show({status: "queued", message: door.dataset.textQueued});
  }

  function flush() {
    if (flushing || !navigator.onLine) { return; }
    var queue = loadQueue();
    if (!queue.length) { return; }
    flushing = true;
    var item = queue[0];
    send(item).then(function (answer) {
      // Remove exactly the item sent (the queue may have grown meanwhile).
      saveQueue(loadQueue().filter(function (other) { return other.nonce !== item.nonce; }));
      show(answer);
      refreshCounters();
      flushing = false;
      flush();
    }).catch(function (error) {
      flushing = false;
      notSent(error, false);
    });
  }

  // --- counters -------------------------------------------------------------------------------
  function refreshCounters() {
    if (!navigator.onLine) { return; }
    fetch(countersUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counters) {
        if (!counters) { return; }
        Object.keys(counters).forEach(function (name) {
          var cell = door.querySelector("[data-counter=" + name + "]");
          if (cell) { cell.textContent = String(counters[name]); }
        });
      })
      .catch(function () { /* next time */ });
  }

  // --- camera (static/js/camera.js) --------------------------------------------------------
  var camera = window.meetgreetCamera(scan);
  if (camera && kiosk) { camera.start(); }

  // --- wiring ---------------------------------------------------------------------------------
  form.addEventListener("submit", function (submitEvent) {
    submitEvent.preventDefault();
    var code = input.value;
    input.value = "";
    scan(code);
    input.focus();
  });
  part("close").addEventListener("click", hidePanel);
  panel.addEventListener("click", function (clickEvent) {
    if (!clickEvent.target.closest("a")) { hidePanel(); }
  });
  if (labelInput) {
    labelInput.value = deviceLabel();
    labelInput.addEventListener("change", function () {
      try { localStorage.setItem(labelKey, labelInput.value.trim()); } catch (e) { /* full */ }
    });
  }
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  setInterval(refreshCounters, 5000);
  showQueue(loadQueue().length);
  flush();
  if (!panel.hidden) { hideTimer = setTimeout(hidePanel, 6000); }
}());
