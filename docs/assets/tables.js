// Wide tables become stacked cards on a phone: each cell is labelled with its column's heading,
// so nothing is cut off or hidden to the side. Without this script, the table scrolls instead.
(function () {
  "use strict";
  function label() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (heads.length < 4 || table.hasAttribute("data-stacked")) return;
      var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (names[i]) cell.setAttribute("data-label", names[i]);
        });
      });
      table.setAttribute("data-stacked", "");
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(label);
  else document.addEventListener("DOMContentLoaded", label);
})();
