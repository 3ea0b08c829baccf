// The variant comparison: the reader picks two variants and sees their word diff. Every diff
// is in the page already (readable without JavaScript); this only shows the chosen one.
(function () {
  "use strict";
  var form = document.querySelector("form.picker");
  if (!form) { return; }
  var diffs = Array.prototype.slice.call(document.querySelectorAll("section.diff"));
  var note = document.createElement("p");
  note.className = "same";
  note.textContent = "Pick two different variants.";
  form.parentNode.insertBefore(note, form.nextSibling);
  function update() {
    var a = form.elements.a.value, b = form.elements.b.value, shown = false;
    diffs.forEach(function (d) {
      var hit = (d.dataset.a === a && d.dataset.b === b) || (d.dataset.a === b && d.dataset.b === a);
      d.hidden = !hit;
      d.classList.toggle("reversed", hit && d.dataset.a !== a);
      shown = shown || hit;
    });
    note.hidden = shown;
  }
  form.hidden = false;
  form.addEventListener("change", update);
  update();
})();
