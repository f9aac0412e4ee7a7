// The openness matrix: sort by any column, filter by kind, owner, licence and outcome, search.
// A file of the site (no inline script), so a strict Content-Security-Policy holds; without it the
// table is still all there, unsorted and unfiltered.
(function () {
  "use strict";
  var table = document.querySelector("table.matrix");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("shown");
  form.hidden = false;

  function value(id) { var el = document.getElementById(id); return el ? el.value : ""; }

  function matches(row) {
    var q = value("q").trim().toLowerCase();
    if (q && row.getAttribute("data-search").indexOf(q) < 0) { return false; }
    var kind = value("f-kind"), owner = value("f-owner"), licence = value("f-licence");
    if (kind && row.getAttribute("data-kind") !== kind) { return false; }
    if (owner && row.getAttribute("data-owner") !== owner) { return false; }
    if (licence && row.getAttribute("data-licences").split("|").indexOf(licence) < 0) { return false; }
    var column = value("f-column"), outcome = value("f-outcome");
    if (outcome) {
      var cells = column ? row.querySelectorAll('[data-column="' + column + '"]') : row.querySelectorAll("[data-outcome]");
      var hit = false;
      for (var i = 0; i < cells.length; i++) { if (cells[i].getAttribute("data-outcome") === outcome) { hit = true; } }
      if (!hit) { return false; }
    }
    return true;
  }

  function apply() {
    var n = 0;
    rows.forEach(function (row) { var ok = matches(row); row.hidden = !ok; if (ok) { n++; } });
    if (shown) { shown.textContent = n + " of " + rows.length + " projects shown"; }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  var rank = {"holds": 0, "public": 0, "gated": 1, "undetermined": 2, "unknown": 2, "does-not-hold": 3, "closed": 3};
  function key(row, index) {
    var cell = row.cells[index];
    var outcome = cell.getAttribute("data-outcome");
    if (outcome !== null) { return [rank[outcome] !== undefined ? rank[outcome] : 9, cell.textContent.trim().toLowerCase()]; }
    return [0, cell.textContent.trim().toLowerCase()];
  }
  function compare(a, b) {
    if (a[0] !== b[0]) { return a[0] - b[0]; }
    return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  }
  var heads = table.querySelectorAll("thead th.sortable");
  Array.prototype.forEach.call(heads, function (th) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var index = Number(th.getAttribute("data-index"));
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var sorted = rows.slice().sort(function (a, b) {
        var c = compare(key(a, index), key(b, index));
        return ascending ? c : -c;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
