// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A button with data-confirm asks first, in the page's own dialog (the template in
  // base.html), put in the page while it is open and taken out again after.
  var confirmTemplate = document.getElementById("confirm-dialog-template");
  function askFirst(form, button) {
    var dialog = confirmTemplate.content.firstElementChild.cloneNode(true);
    var yes = dialog.querySelector("[data-confirm-yes]");
    dialog.querySelector(".confirm-dialog__message").textContent = button.dataset.confirm;
    yes.classList.toggle("button--danger", button.classList.contains("button--danger"));
    dialog.addEventListener("close", function () {
      var confirmed = dialog.returnValue === "confirm";
      dialog.remove();
      if (confirmed) {
        button.dataset.confirmed = "1";
        form.requestSubmit(button);
      } else {
        button.focus();
      }
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  }
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }  // handled by a script (autosave, preview)
    var form = event.target;
    if (form.method === "dialog") { return; }  // the confirmation's own buttons
    var button = event.submitter;
    if (button && button.dataset.confirm) {
      if (button.dataset.confirmed) {
        delete button.dataset.confirmed;
      } else if (confirmTemplate && window.HTMLDialogElement && form.requestSubmit) {
        event.preventDefault();
        askFirst(form, button);
        return;
      } else if (!window.confirm(button.dataset.confirm)) {  // very old browsers
        event.preventDefault();
        return;
      }
    }
    // A double click sends a form once. The server counts repeats once anyway.
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
  });
  // Coming back with the browser's back button: the form may be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
    });
  });
  // Wide tables scroll inside their own box, never the whole page (360px, 200% zoom).
  // Tables from course texts get that box here; a box that really scrolls becomes a
  // labelled group that keyboard users can reach and scroll with the arrow keys.
  document.querySelectorAll(".prose table").forEach(function (table) {
    if (table.parentElement.classList.contains("table-wrap")) { return; }
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
  });
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var label = wrap.querySelector("caption");
        for (var el = wrap.previousElementSibling; !label && el; el = el.previousElementSibling) {
          if (/^H[2-4]$/.test(el.tagName)) { label = el; }
        }
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "group");
        wrap.setAttribute("aria-label", (label || wrap.querySelector("th") || wrap).textContent.trim().slice(0, 80));
      } else if (!scrolls && wrap.getAttribute("role") === "group") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  markScrollingTables();
  var resizeTimer;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollingTables, 150);
  });
  // The main menu folds behind a button on narrow screens (CSS decides when).
  var nav = document.querySelector(".site-nav");
  var toggle = nav && nav.querySelector(".menu-toggle");
  if (toggle) {
    toggle.hidden = false;
    nav.classList.add("is-foldable");
    var setOpen = function (open) {
      nav.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function () { setOpen(!nav.classList.contains("is-open")); });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) { setOpen(false); toggle.focus(); }
    });
  }
  // Focus the error summary so screen reader users hear what went wrong.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();
