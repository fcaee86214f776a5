// The assignment page: character counters, autosave every few seconds and a Markdown
// preview. Progressive enhancement only: without this file the Save and Preview
// buttons post the form and the server does the same work.
// A local copy of the text stays in this browser (localStorage) until the server
// confirms it, so a reload or a closed tab during an outage loses nothing.
(function () {
  "use strict";
  var form = document.getElementById("assignment-form");
  if (!form || !window.fetch) { return; }

  var AUTOSAVE_MS = 5000;
  var status = document.getElementById("autosave-status");
  var areas = Array.prototype.slice.call(form.querySelectorAll("textarea[data-field-id]"));
  var token = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var dirty = false;
  var saving = false;
  var stopped = false;
  var draftKey = form.dataset.draftKey || "";
  var serverSavedAt = form.dataset.serverSavedAt || "";

  function message(name, values) {
    var text = form.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  function say(text) { if (status) { status.textContent = text; } }

  function updateCounter(area) {
    var counter = document.getElementById(area.id + "-counter");
    if (!counter) { return; }
    var max = parseInt(area.dataset.maxLength, 10);
    var count = area.value.replace(/\r\n/g, "\n").length;
    var text = message("msgCounter", { count: count, max: max });
    if (count > max) { text += " · " + message("msgOver", { over: count - max }); }
    counter.textContent = text;
    counter.classList.toggle("counter--over", count > max);
  }

  function fields() {
    var result = {};
    areas.forEach(function (area) { result[area.dataset.fieldId] = area.value; });
    return result;
  }

  // ---- the local copy ---------------------------------------------------------

  function storage() {
    try { return draftKey ? window.localStorage : null; } catch (e) { return null; }
  }

  function readLocal() {
    var store = storage();
    try { return store ? JSON.parse(store.getItem(draftKey) || "null") : null; } catch (e) { return null; }
  }

  function writeLocal() {
    var store = storage();
    if (!store) { return; }
    try {
      store.setItem(draftKey, JSON.stringify({ fields: fields(), savedAt: new Date().toISOString(), base: serverSavedAt }));
    } catch (e) { /* storage full or refused: the server copy still works */ }
  }

  function dropLocal() {
    var store = storage();
    if (store) { try { store.removeItem(draftKey); } catch (e) { /* nothing to do */ } }
  }

  function sameAsPage(copy) {
    return areas.every(function (area) { return (copy[area.dataset.fieldId] || "") === area.value; });
  }

  function time(value) { var parsed = Date.parse(value || ""); return isNaN(parsed) ? 0 : parsed; }

  // Newer than the server's draft: built on the draft the page shows now, or typed after it.
  function newerThanServer(copy) {
    return copy.base === serverSavedAt || time(copy.savedAt) > time(serverSavedAt);
  }

  function restoreLocal() {
    var copy = readLocal();
    if (!copy || !copy.fields) { return; }
    if (!newerThanServer(copy)) { dropLocal(); return; }
    if (sameAsPage(copy.fields)) { return; }
    areas.forEach(function (area) {
      var text = copy.fields[area.dataset.fieldId];
      if (typeof text === "string") { area.value = text; }
    });
    dirty = true;
    say(message("msgRestored"));
  }

  function confirmed(sent, savedAt) {
    serverSavedAt = savedAt;
    if (areas.every(function (area) { return (sent[area.dataset.fieldId] || "") === area.value; })) {
      dropLocal();
    } else {
      writeLocal();  // typed on while saving: keep the newer text, now based on this save
    }
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function autosave() {
    if (!dirty || saving || stopped) { return; }
    saving = true;
    dirty = false;
    var sent = fields();
    say(message("msgSaving"));
    postJson(form.dataset.autosaveUrl, { fields: sent }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
      if (response.type === "opaqueredirect" || response.status === 401 || (!json && response.status !== 200)) {
        stopped = true;
        say(message("msgSession"));
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok) {
          confirmed(sent, data.saved_at);
          var when = new Date(data.saved_at);
          say(message("msgSaved", { time: when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }));
        } else {
          if (response.status === 409) { stopped = true; }
          if (response.status === 400 && !data.fields) { stopped = true; say(message("msgSession")); return; }
          dirty = true;
          say(response.status >= 500 ? message("msgKeptLocally") : (data.error || message("msgError")));
        }
      });
    }).catch(function () {
      dirty = true;
      say(message("msgKeptLocally"));
    }).then(function () { saving = false; });
  }

  function preview(event) {
    event.preventDefault();
    areas.forEach(function (area) {
      var target = document.getElementById(area.id + "-preview");
      if (!target) { return; }
      if (!area.value.trim()) {  // a preview only for a field that has text
        target.textContent = "";
        target.classList.add("preview--empty");
        return;
      }
      postJson(form.dataset.previewUrl, { text: area.value }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) { return; }
        target.textContent = "";
        var title = document.createElement("p");
        title.className = "preview__title";
        title.textContent = message("msgPreviewTitle");
        var body = document.createElement("div");
        body.className = "prose";
        body.innerHTML = data.html;  // sanitised on the server with an allow-list (nh3)
        target.appendChild(title);
        target.appendChild(body);
        target.classList.remove("preview--empty");
      });
    });
  }

  restoreLocal();
  areas.forEach(function (area) {
    updateCounter(area);
    area.addEventListener("input", function () { dirty = true; writeLocal(); updateCounter(area); });
  });
  var previewButton = form.querySelector("[data-preview-button]");
  if (previewButton) { previewButton.addEventListener("click", preview); }
  // Stop autosaving once the form is really sent (a script may hold a submit back:
  // the privacy check), so this listens after the form's own listeners.
  document.addEventListener("submit", function (event) {
    if (event.target === form && !event.defaultPrevented) { stopped = true; }
  });
  window.setInterval(autosave, AUTOSAVE_MS);
})();
