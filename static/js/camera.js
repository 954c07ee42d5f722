// The camera as a QR scanner (jsQR): the rear camera, decoded frame after frame until it is
// stopped. Shared by the door and the stand's conversation page; each page says what a code
// does. The page holds the camera panel of templates/_camera.html.
(function () {
  "use strict";

  var MAX_WIDTH = 640;  // decode frames of at most this width: fast enough on an old phone
  var REPEAT_MS = 5000;  // the same code again only after it left the picture this long

  // Calls onCode(text) for each code found and onState(true/false) when the camera goes on or
  // off. Returns {start, stop, running}, or null when this browser cannot use a camera.
  window.meetgreetCamera = function (onCode, onState) {
    var toggle = document.getElementById("camera-toggle");
    var note = document.getElementById("camera-note");
    var video = document.getElementById("camera-video");
    var canvas = document.getElementById("camera-canvas");
    if (!toggle || !window.jsQR || !navigator.mediaDevices ||
        !navigator.mediaDevices.getUserMedia) {
      return null;
    }
    var stream = null;
    var lastCode = "";
    var lastCodeAt = 0;

    function stop(reason) {
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.hidden = true;
      toggle.textContent = toggle.dataset.start;
      toggle.setAttribute("aria-pressed", "false");
      if (reason) { note.textContent = reason; note.hidden = false; }
      if (onState) { onState(false); }
    }

    function tick() {
      if (!stream) { return; }
      if (video.readyState >= 2 && video.videoWidth) {
        var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        var width = Math.round(video.videoWidth * scale);
        var height = Math.round(video.videoHeight * scale);
        canvas.width = width;
        canvas.height = height;
        var context = canvas.getContext("2d", {willReadFrequently: true});
        context.drawImage(video, 0, 0, width, height);
        var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height,
                                {inversionAttempts: "dontInvert"});
        var now = Date.now();
        // The same badge stays in view for a while: report it once, not thirty times a second.
        if (found && found.data && (found.data !== lastCode || now - lastCodeAt > REPEAT_MS)) {
          lastCode = found.data;
          lastCodeAt = now;
          onCode(found.data);
        } else if (found && found.data === lastCode) {
          lastCodeAt = now;
        }
      }
      requestAnimationFrame(tick);
    }

    function start() {
      return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          note.hidden = true;
          toggle.textContent = toggle.dataset.stop;
          toggle.setAttribute("aria-pressed", "true");
          return video.play();
        })
        .then(function () {
          if (onState) { onState(true); }
          requestAnimationFrame(tick);
        })
        .catch(function () { stop(toggle.dataset.unavailable); });
    }

    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      if (stream) { stop(); } else { start(); }
    });
    return {start: start, stop: stop, running: function () { return stream !== null; }};
  };
}());
