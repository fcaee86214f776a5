// Trainer dashboard, progressive enhancement: without this file snippets can be copied by hand.
(function () {
  "use strict";
  function insertAtCursor(field, text) {
    var start = field.selectionStart || 0;
    var end = field.selectionEnd || 0;
    var before = field.value.slice(0, start);
    var after = field.value.slice(end);
    var glue = before && !/\n$/.test(before) ? "\n\n" : "";
    field.value = before + glue + text + after;
    var caret = (before + glue + text).length;
    field.focus();
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.querySelectorAll(".snippet-insert").forEach(function (button) {
    var source = document.getElementById(button.dataset.snippet);
    var target = document.getElementById(button.dataset.target);
    if (!source || !target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { insertAtCursor(target, source.textContent); });
  });
  var message = document.getElementById("review-message");
  if (message) { message.focus(); }
})();
