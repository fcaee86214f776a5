// The course editor: a live preview of the reading, rendered by the server exactly as
// learners will see it. Progressive enhancement only: without this file the
// "Show preview" button posts the form and "Save" saves, as before.
(function () {
  "use strict";
  var form = document.getElementById("reading-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.dataset.previewUrl;
  var target = document.getElementById("preview");
  var status = document.getElementById("preview-status");
  var timer = null;
  var sent = 0;

  function refresh() {
    var number = ++sent;
    var data = new FormData(form);
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        if (number !== sent) { return; }
        // The server renders course content with the same renderer as the learner's page.
        target.innerHTML = html;
        if (status) { status.textContent = form.dataset.msgUpdated || ""; }
      })
      .catch(function () { if (status) { status.textContent = form.dataset.msgFailed || ""; } });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
  refresh();
}());
