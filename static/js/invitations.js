// Sends an invitation batch chunk by chunk and shows the progress; without JS the button does it.
(function () {
  "use strict";
  const panel = document.getElementById("invitation-progress");
  if (!panel) return;
  const bar = document.getElementById("invitation-bar");
  const form = panel.querySelector("form");

  function show(progress) {
    bar.max = progress.total;
    bar.value = progress.total - progress.pending;
    bar.textContent = bar.value + " / " + bar.max;
    for (const name of ["sent", "skipped", "pending"]) {
      panel.querySelector('[data-count="' + name + '"]').textContent = progress[name];
    }
  }

  async function sendAll() {
    for (;;) {
      const response = await fetch(panel.dataset.sendUrl, {
        method: "POST",
        headers: { Accept: "application/json", "X-CSRFToken": panel.dataset.csrf },
        credentials: "same-origin",
      });
      if (!response.ok) return; // the button stays for a retry
      const progress = await response.json();
      show(progress);
      if (progress.pending === 0) {
        if (form) form.hidden = true;
        return;
      }
    }
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelector("button").disabled = true;
      sendAll().finally(function () { form.querySelector("button").disabled = false; });
    });
  }
})();
