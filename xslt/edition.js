/* corresptei edition: sortable tables.  Plain script (no modules) so it runs from file://. */
(function () {
  "use strict";

  function cellKey(row, column) {
    var cell = row.cells[column];
    if (!cell) { return ""; }
    return (cell.getAttribute("data-sort") || cell.textContent).trim().toLowerCase();
  }

  function sortTable(table, column, th) {
    var tbody = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(tbody.rows);
    var indexed = rows.map(function (row, i) { return { row: row, key: cellKey(row, column), i: i }; });
    indexed.sort(function (a, b) {
      var cmp = a.key.localeCompare(b.key, "en", { numeric: true });
      if (cmp === 0) { cmp = a.i - b.i; }
      return ascending ? cmp : -cmp;
    });
    indexed.forEach(function (item) { tbody.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        var button = th.querySelector("button");
        if (!button) { return; }
        button.addEventListener("click", function () {
          sortTable(table, Number(button.getAttribute("data-column")), th);
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
