/* Factdesk, single-file edition: buttons that show only the claims of one verdict. Without scripts the
   buttons stay hidden and every claim shows. Nothing is fetched. */
(function () {
  "use strict";
  var bar = document.getElementById(":filter");
  if (!bar) { return; }
  var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
  var items = Array.prototype.slice.call(
    document.querySelectorAll("section.sf-claim, table.fd-claims tr[data-verdict]"));
  function show(verdict) {
    items.forEach(function (item) { item.hidden = verdict !== "" && item.getAttribute("data-verdict") !== verdict; });
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-verdict") === verdict));
    });
  }
  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (button) { show(button.getAttribute("data-verdict")); }
  });
  // A link to a claim that the filter hides shows every claim again before the browser scrolls to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (target && target.closest("main [hidden]")) { show(""); }
  }, true);
  bar.hidden = false;
})();
