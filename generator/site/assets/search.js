// Client-side search over the index written at build time (assets/search-index.js). Results
// are built with textContent only: no text from the library is ever parsed as HTML.
(function () {
  "use strict";
  var docs = window.CLAUSEBOOK_INDEX || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("status");
  var FIELDS = [["title", 10], ["terms", 8], ["topic", 4], ["summary", 3], ["text", 1]];

  function words(s) {
    return s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w; });
  }
  var prepared = docs.map(function (d) {
    var f = {};
    FIELDS.forEach(function (pair) {
      var v = d[pair[0]];
      f[pair[0]] = (Array.isArray(v) ? v.join(" | ") : String(v || "")).toLowerCase();
    });
    return { doc: d, fields: f };
  });

  function score(p, terms, phrase) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var best = 0;
      FIELDS.forEach(function (pair) {
        if (p.fields[pair[0]].indexOf(terms[i]) !== -1) { best = Math.max(best, pair[1]); }
      });
      if (!best) { return 0; }
      total += best;
    }
    if (p.fields.terms.split(" | ").indexOf(phrase) !== -1) { total += 50; }  // defines it
    if (p.fields.title === phrase) { total += 40; }
    return total;
  }

  function show(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var terms = words(query);
    if (!terms.length) { status.textContent = ""; return; }
    var phrase = query.trim().toLowerCase();
    var hits = prepared
      .map(function (p) { return { p: p, s: score(p, terms, phrase) }; })
      .filter(function (h) { return h.s > 0; })
      .sort(function (x, y) { return y.s - x.s || (x.p.doc.id < y.p.doc.id ? -1 : 1); });
    status.textContent = hits.length + (hits.length === 1 ? " clause" : " clauses") + " found for \u201c" + query + "\u201d";
    hits.slice(0, 50).forEach(function (h) {
      var d = h.p.doc, li = document.createElement("li"), a = document.createElement("a");
      a.href = d.url;  // built from a checked clause id
      a.textContent = d.title;
      li.appendChild(a);
      var why = d.terms.filter(function (t) { return t.toLowerCase() === phrase; });
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + d.topic + (why.length ? " \u00b7 defines \u201c" + why[0] + "\u201d" : "");
      li.appendChild(meta);
      var p = document.createElement("p");
      p.className = "summary";
      p.textContent = d.summary;
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  show(q);
  input.addEventListener("input", function () { show(input.value); });
  document.getElementById("search").addEventListener("submit", function (e) {
    e.preventDefault();
    show(input.value);
  });
})();
