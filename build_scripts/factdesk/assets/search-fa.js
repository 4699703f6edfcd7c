/* Factdesk: Persian search. The search index was folded at build time (build_scripts/factdesk/searchfold.py);
   this folds the reader's query the same way, so that a query typed with Arabic letter forms (ي ك), Arabic-Indic
   or ASCII digits, diacritics or tatweel finds the Persian page. The rules come from assets/search-fold.json and
   are embedded when the site is built (searchfold.search_script()). No dependencies; nothing is fetched.

   How it hooks Material: Material's search reads the query as the `value` of its input,
   [data-md-component=search-query], on keyup, on focus and when the search worker is ready, and sends it to
   the worker (which splits it into words with the index's separator, so ZWNJ and Persian punctuation in the
   query need no help). This script gives that input its own `value` getter that returns the folded text; the
   box itself keeps showing what the reader typed, and typing through an input method is never disturbed. */
(function () {
  "use strict";
  var RULES = /*FOLD_RULES*/null;
  if (!RULES) {
    throw new Error("search-fa.js: the folding rules are not embedded; serve factdesk.searchfold.search_script()");
  }
  var compatibility = new RegExp(RULES.compatibility, "g");
  var remove = new RegExp(RULES.remove, "g");
  var words = new RegExp(RULES.words, "g");
  var replaced = new RegExp("[" + Object.keys(RULES.replace).map(function (c) {
    return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
  }).join("") + "]", "g");

  /* The same steps as searchfold.fold_letters, in the same order. */
  function foldLetters(text) {
    text = String(text).normalize("NFC")
      .replace(compatibility, function (run) { return run.normalize("NFKC"); })
      .replace(remove, "")
      .normalize("NFC");
    return text.replace(replaced, function (c) { return RULES.replace[c]; });
  }

  /* As searchfold.fold: separators count as one space. */
  function fold(text) {
    return foldLetters(text).replace(words, " ").replace(/^ | $/g, "");
  }

  function hook(input) {
    if (Object.getOwnPropertyDescriptor(input, "value")) { return; }
    var own = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");
    Object.defineProperty(input, "value", {
      configurable: true,
      enumerable: true,
      get: function () { return foldLetters(own.get.call(this)); },
      set: function (value) { own.set.call(this, value); }
    });
  }

  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-md-component=search-query]"), hook);
  }

  var api = { fold: fold, foldLetters: foldLetters };
  if (typeof module === "object" && module.exports) { module.exports = api; }
  if (typeof document !== "undefined") {
    window.factdeskSearchFold = api;
    setup();
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setup);  /* instant navigation replaces parts of the page */
    }
  }
})();
