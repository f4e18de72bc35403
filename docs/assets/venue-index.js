// The venue index: sort by a column's heading, narrow by the filters above the table. No library.
(function () {
  const table = document.getElementById("venue-index");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const filters = Array.from(document.querySelectorAll(".venue-filters select"));
  const count = document.querySelector(".venue-count");

  function applyFilters() {
    let shown = 0;
    for (const row of rows) {
      const match = filters.every((select) => {
        const wanted = select.value;
        if (!wanted) return true;
        const have = row.dataset[select.dataset.filter].split(" ");
        // A key for "all" products serves whichever product is asked for.
        return have.includes(wanted) || (select.dataset.filter === "products" && have.includes("all"));
      });
      row.hidden = !match;
      if (match) shown += 1;
    }
    count.textContent = `${shown} of ${rows.length} shown`;
  }

  function sortBy(header, index) {
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = (row) => row.cells[index].dataset.value || row.cells[index].textContent.trim();
    rows.sort((a, b) => key(a).localeCompare(key(b), undefined, { numeric: true }) * (ascending ? 1 : -1));
    for (const row of rows) body.appendChild(row);
  }

  Array.from(table.tHead.rows[0].cells).forEach((header, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "venue-sort";
    button.textContent = header.textContent;
    header.textContent = "";
    header.appendChild(button);
    button.addEventListener("click", () => sortBy(header, index));
  });
  for (const select of filters) select.addEventListener("change", applyFilters);
  applyFilters();
})();
