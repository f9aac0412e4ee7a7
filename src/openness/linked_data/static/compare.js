// The compare page's project picker (a file, so the Content-Security-Policy can forbid inline scripts).
(function () {
  var form = document.getElementById("pick"); form.hidden = false;
  function show(cols) {
    document.querySelectorAll("#compare [data-col]").forEach(function (el) {
      el.hidden = cols !== null && cols.indexOf(el.getAttribute("data-col")) < 0;
    });
  }
  function pick() { show([document.getElementById("a").value, document.getElementById("b").value]); }
  document.getElementById("a").addEventListener("change", pick);
  document.getElementById("b").addEventListener("change", pick);
  document.getElementById("all").addEventListener("click", function () { show(null); });
  pick();
})();
