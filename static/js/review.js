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

  // "Toon wijzigingen": the diff of the rendered text takes the answer's place, and back.
  var toggle = document.getElementById("diff-toggle");
  var answer = document.getElementById("review-answer-view");
  var diff = document.getElementById("review-diff");
  if (toggle && answer && diff) {
    toggle.hidden = false;
    diff.hidden = true;
    toggle.addEventListener("click", function () {
      var showing = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", showing ? "true" : "false");
      diff.hidden = !showing;
      answer.hidden = showing;
    });
  }

  // The rubric total follows the levels chosen (the server renders the same text without script).
  var total = document.getElementById("review-total");
  var form = document.getElementById("review-form");
  if (total && form) {
    var update = function () {
      var points = 0, max = 0, open = 0;
      form.querySelectorAll(".rubric-criterion").forEach(function (criterion) {
        var best = 0;
        criterion.querySelectorAll("input[data-points]").forEach(function (input) {
          best = Math.max(best, Number(input.dataset.points) || 0);
        });
        max += best;
        var chosen = criterion.querySelector("input[data-points]:checked");
        if (chosen) { points += Number(chosen.dataset.points) || 0; } else { open += 1; }
      });
      var strong = document.createElement("strong");
      strong.textContent = total.dataset.text.replace("{points}", points).replace("{max}", max);
      total.replaceChildren(strong);
      if (open) {
        var rest = document.createElement("span");
        rest.className = "review-total__open";
        rest.textContent = " · " + (open === 1 ? total.dataset.openOne : total.dataset.openMany.replace("{count}", open));
        total.append(rest);
      }
    };
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[data-points]")) { update(); }
    });
  }

  var message = document.getElementById("review-message");
  if (message) { message.focus(); }
})();
