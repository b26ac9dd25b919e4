/* Advocacy Portal: the filters of the roles index (typed words, level, learning path).
 *
 * The page lists every role in a plain table, which is all a reader without JavaScript sees.
 * This script shows the filters, hides the rows that do not match and says in a live region
 * how many roles are shown (after a short pause while typing, so that a screen reader is not
 * interrupted at every key). Its two strings come from the page, in the page's language.
 */
(function () {
  "use strict";

  function fill(text, values) {
    return window.portalLib.text.format(text || "", values);
  }

  /** Lower case, without accents, so that "ingenieur" finds "Ingénieur". */
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  function init(element) {
    var strings = {};
    try {
      strings = JSON.parse(element.getAttribute("data-strings") || "{}");
    } catch (error) {
      strings = {};
    }
    var controls = element.querySelector("[data-role-filter-controls]");
    var words = element.querySelector("[data-role-filter-words]");
    var level = element.querySelector("[data-role-filter-level]");
    var path = element.querySelector("[data-role-filter-path]");
    var status = element.querySelector("[data-role-filter-status]");
    var rows = Array.prototype.map.call(element.querySelectorAll("tbody tr"), function (row) {
      return {
        row: row,
        text: fold(row.textContent),
        level: row.getAttribute("data-level") || "",
        paths: (row.getAttribute("data-paths") || "").split(" "),
      };
    });
    if (!controls || !words || !level || !path || !status) return;
    controls.hidden = false;
    var announce = null;

    function apply(delay) {
      var wanted = fold(words.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (entry) {
        var match = (!level.value || entry.level === level.value) &&
          (!path.value || entry.paths.indexOf(path.value) >= 0) &&
          wanted.every(function (word) { return entry.text.indexOf(word) >= 0; });
        entry.row.hidden = !match;
        if (match) shown += 1;
      });
      var message = shown ? fill(strings.shown, { n: shown, total: rows.length }) : strings.none || "";
      window.clearTimeout(announce);
      if (delay) announce = window.setTimeout(function () { status.textContent = message; }, delay);
      else status.textContent = message;
    }

    words.addEventListener("input", function () { apply(600); });
    level.addEventListener("change", function () { apply(0); });
    path.addEventListener("change", function () { apply(0); });
    // A filter the browser restored (back button) is applied at once, without announcing.
    if (words.value || level.value || path.value) apply(0);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-role-filter]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
