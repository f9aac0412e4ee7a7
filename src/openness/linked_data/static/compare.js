// Compare projects side by side from compare.json (beside the page): compare.html?a=olmo&b=llama-2
// (any number of parameters, in order). The page without script shows a default pair.
(function () {
  "use strict";
  var form = document.getElementById("pick");
  var table = document.getElementById("compare");
  if (!form || !table) { return; }
  var LABELS = {"holds": "holds", "does-not-hold": "does not hold", "undetermined": "undetermined"};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function chosen(data) {
    var params = new URLSearchParams(window.location.search), ids = [];
    params.forEach(function (v) { if (data.projects[v] && ids.indexOf(v) < 0) { ids.push(v); } });
    return ids;
  }

  function render(data, ids) {
    var head = table.tHead, body = table.tBodies[0];
    head.textContent = ""; body.textContent = "";
    var tr = el("tr");
    tr.appendChild(el("th", {scope: "col"}, "Claim or component"));
    ids.forEach(function (id) {
      var p = data.projects[id], th = el("th", {scope: "col"});
      var a = el("a", {href: p.href}, p.label); th.appendChild(a);
      th.appendChild(el("div", {"class": "note"}, p.owner));
      tr.appendChild(th);
    });
    tr.appendChild(el("th", {scope: "col"}, "Same?"));
    head.appendChild(tr);
    function row(label, cells) {
      var r = el("tr"), texts = cells.map(function (c) { return c.text; });
      var differs = texts.some(function (t) { return t !== texts[0]; });
      if (differs) { r.className = "diff"; }
      r.appendChild(el("th", {scope: "row"}, label));
      cells.forEach(function (c) { r.appendChild(el("td", {"class": c.css}, c.text)); });
      r.appendChild(el("td", {"class": "differs"}, differs ? "differs" : "same"));
      body.appendChild(r);
    }
    data.claims.forEach(function (c) {
      row(c.title + " (" + c.id + ")", ids.map(function (id) {
        var o = data.projects[id].verdicts[c.id];
        return o ? {text: LABELS[o] || o, css: "o-" + o} : {text: "not checked", css: "o-undetermined"};
      }));
    });
    data.kinds.forEach(function (k) {
      row(k.label, ids.map(function (id) {
        var c = data.projects[id].components[k.id];
        if (!c) { return {text: "not stated", css: "a-unknown"}; }
        var text = c.availability + (c.licences.length ? " (" + c.licences.join(" AND ") + ")" : "");
        return {text: text, css: "a-" + c["class"]};
      }));
    });
  }

  function selects() { return Array.prototype.slice.call(form.querySelectorAll("select")); }

  function start(data) {
    var ids = chosen(data);
    var boxes = selects();
    if (ids.length < 2) { ids = boxes.map(function (s) { return s.value; }).filter(function (v) { return v; }); }
    boxes.forEach(function (s, i) { if (ids[i]) { s.value = ids[i]; } });
    render(data, ids);
    form.hidden = false;
    var note = document.getElementById("compare-note");
    if (note) { note.textContent = ""; }
    var share = document.getElementById("share");
    if (share) {
      share.href = "?" + ids.map(function (v, i) { return String.fromCharCode(97 + i) + "=" + encodeURIComponent(v); }).join("&");
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var picked = selects().map(function (s) { return s.value; }).filter(function (v) { return v; });
      var query = picked.map(function (v, i) { return String.fromCharCode(97 + i) + "=" + encodeURIComponent(v); }).join("&");
      window.history.replaceState(null, "", "?" + query);
      render(data, picked);
      var share = document.getElementById("share");
      if (share) { share.href = "?" + query; share.textContent = "Link to this comparison"; }
    });
  }

  fetch(table.getAttribute("data-src")).then(function (r) { return r.json(); }).then(start, function () {
    var note = document.getElementById("compare-note");
    if (note) { note.textContent = "The comparison data (compare.json) could not be read; the default pair is shown."; }
  });
})();
