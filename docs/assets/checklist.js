// Tick boxes for a guide's checklist rows and final check. Ticks are kept in this browser's
// localStorage only, per page; nothing is sent anywhere.
(function () {
  "use strict";
  function setUp() {
    var items = document.querySelectorAll(".md-typeset li.tick-item");
    if (!items.length) return;
    var key = "ticks:" + location.pathname;
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    items.forEach(function (item, i) {
      if (item.querySelector(":scope > input.tick")) return;
      var label = item.querySelector(".perm-label") || item.querySelector("strong") || item;
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "tick";
      box.setAttribute("aria-label", "Done: " + label.textContent.trim());
      var id = String(i);
      box.checked = !!saved[id];
      item.classList.toggle("ticked", box.checked);
      box.addEventListener("change", function () {
        item.classList.toggle("ticked", box.checked);
        if (box.checked) saved[id] = 1; else delete saved[id];
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* storage off: ticks last for this visit */ }
      });
      item.insertBefore(box, item.firstChild);
    });
  }
  // Printing opens every folded part, so the paper copy holds the FAQ answers and the jump list.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".md-typeset details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.dataset.printOpened = "1";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll(".md-typeset details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      delete d.dataset.printOpened;
    });
  });
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
