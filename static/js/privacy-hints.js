// Privacy hints before an assignment is submitted or a discussion post is sent, or a peer review
// (any form with data-privacy-url and a #privacy-hints box). The rules live on the server
// (course/privacy_hints); this asks the server to check the text when the learner
// presses "Submit" and shows the warning in the page. Progressive enhancement only:
// without this file the server does the same check on submit and shows the same warning.
(function () {
  "use strict";
  // The assignment form, or another form that asks for the check (a peer review).
  var form = document.getElementById("assignment-form") || document.querySelector("form[data-privacy-url]");
  var box = document.getElementById("privacy-hints");
  if (!form || !box || !form.dataset.privacyUrl || !window.fetch) { return; }

  var token = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var checked = false;  // the text was just checked: let this one submit through

  function fields() {
    var result = {};
    form.querySelectorAll("textarea[data-field-id], input[data-field-id]").forEach(function (area) {
      result[area.dataset.fieldId] = area.value;
    });
    return result;
  }

  // "Edit my text": to the field, with the first finding selected.
  function wireUp() {
    box.querySelectorAll("[data-privacy-edit]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var area = document.getElementById(link.dataset.target);
        if (!area) { return; }
        event.preventDefault();
        area.focus();
        var start = parseInt(link.dataset.start, 10);
        var end = parseInt(link.dataset.end, 10);
        if (!isNaN(start) && !isNaN(end) && end <= area.value.length) { area.setSelectionRange(start, end); }
      });
    });
    var warning = box.querySelector("[data-privacy-warning]");
    if (warning) { warning.focus(); }
  }

  function sendOn(button) {
    checked = true;
    box.textContent = "";
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.value !== "submit") { return; }  // save, preview, "send anyway"
    if (checked) { checked = false; return; }
    event.preventDefault();
    fetch(form.dataset.privacyUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ fields: fields() })
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
      return response.ok && json ? response.json() : null;
    }).then(function (data) {
      if (data && data.findings && data.findings.length) {
        box.innerHTML = data.html;  // our own template, escaped by Jinja on the server
        wireUp();
      } else {
        sendOn(button);  // nothing found, or no answer: the server checks again on submit
      }
    }).catch(function () { sendOn(button); });
  });

  wireUp();  // a warning the server rendered (a submit without this script)
})();
