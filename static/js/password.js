// A strength hint while a new password is typed. Only a hint: the server decides
// (length, the common-password list, name and e-mail). Works with any field that
// carries data-strength-* messages; without JavaScript the server's check remains.
(function () {
  "use strict";
  var COMMON = ["wachtwoord", "password", "welkom", "qwerty", "azerty", "123456", "654321", "abcdef",
                "geheim", "hallo", "letmein", "iloveyou", "ikhouvanjou", "leerlijn"];

  function personalParts(form) {
    var parts = [];
    ["name", "email"].forEach(function (fieldName) {
      var input = form.querySelector("[name='" + fieldName + "']");
      var text = (input ? input.value : "") || "";
      if (fieldName === "email") { text = text.split("@")[0]; }
      text.toLowerCase().split(/[\s.\-_+']+/).forEach(function (part) {
        if (part.length >= 4) { parts.push(part); }
      });
    });
    var owner = form.dataset.passwordOwner;
    if (owner) { owner.toLowerCase().split(/[\s.\-_+'@]+/).forEach(function (part) {
      if (part.length >= 4) { parts.push(part); }
    }); }
    return parts;
  }

  function verdict(input) {
    var value = input.value;
    var lower = value.toLowerCase();
    var squeezed = lower.replace(/[\s.\-_+']+/g, "");
    var min = parseInt(input.dataset.strengthMin || "10", 10);
    if (!value) { return ""; }
    if (value.length < min) { return input.dataset.strengthShort; }
    var form = input.form;
    if (form && personalParts(form).some(function (p) { return lower.indexOf(p) !== -1 || squeezed.indexOf(p) !== -1; })) {
      return input.dataset.strengthPersonal;
    }
    if (COMMON.some(function (word) { return squeezed.indexOf(word) !== -1; }) || /^(.)\1+$/.test(value)) {
      return input.dataset.strengthCommon;
    }
    var words = value.trim().split(/\s+/).length;
    var kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d\s]/].filter(function (re) { return re.test(value); }).length;
    if (value.length >= 16 || (words >= 3 && value.length >= 12)) { return input.dataset.strengthStrong; }
    if (value.length >= 12 || kinds >= 3) { return input.dataset.strengthGood; }
    return input.dataset.strengthFair;
  }

  document.querySelectorAll("input[data-strength-short]").forEach(function (input) {
    var hint = document.createElement("p");
    hint.id = input.id + "-strength";
    hint.className = "field__strength";
    hint.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", hint);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    var timer;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      // A short pause, so a screen reader is not interrupted at every key.
      timer = window.setTimeout(function () { hint.textContent = verdict(input) || ""; }, 400);
    });
  });
})();
