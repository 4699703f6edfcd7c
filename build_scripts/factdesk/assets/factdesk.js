/* Factdesk: filter and sort the claims index; name the search dialog. All data is in the page; nothing is fetched. */
(function () {
  "use strict";
  function setup() {
    var form = document.querySelector("form.fd-filter");
    var table = document.querySelector("table.fd-claims");
    if (!form || !table || form.dataset.ready) { return; }
    form.dataset.ready = "1";
    form.hidden = false;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var status = document.getElementById("fd-filter-status");
    function apply() {
      var verdict = form.verdict.value, tag = form.tag.value, source = form.source.value;
      var from = form.from.value, to = form.to.value, shown = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        var ok = (!verdict || d.verdict === verdict) &&
          (!tag || (" " + d.tags + " ").indexOf(" " + tag + " ") >= 0) &&
          (!source || (" " + d.sources + " ").indexOf(" " + source + " ") >= 0) &&
          (!from || d.date >= from) && (!to || d.date <= to);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      var order = form.sort.value === "oldest" ? 1 : -1;
      rows.slice().sort(function (a, b) {
        return a.dataset.date === b.dataset.date ? 0 : (a.dataset.date < b.dataset.date ? -order : order);
      }).forEach(function (row) { body.appendChild(row); });
      if (status) { status.textContent = shown + " of " + rows.length + " claims shown"; }
    }
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }
  // The theme's search dialog has no accessible name (axe-core: aria-dialog-name); give it the
  // name of the search box inside it, which the theme translates into the site's language.
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = dialog && dialog.querySelector("input[aria-label]");
    if (input && !dialog.hasAttribute("aria-label")) { dialog.setAttribute("aria-label", input.getAttribute("aria-label")); }
  }
  function ready() { nameSearchDialog(); setup(); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(ready); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); }
  else { ready(); }
})();
