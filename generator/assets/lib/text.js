/* Advocacy Portal: what every portal script needs from the page, in one place.
 *
 * - format(): an interface string with its {placeholders} filled in (formatParts() keeps the
 *   values as they are, for a script that puts elements such as links in a sentence);
 * - readData(): the JSON of a <script type="application/json"> block the generator wrote;
 * - loadScript(): one of the data scripts the generator writes beside the assets
 *   (assets/portal-data.js, assets/hr-data.js), loaded once however many scripts ask for it.
 *
 * A plain script, so that the site works from file:// and with no bundler: in the browser it adds
 * `portalLib.text`, in Node (the tests in tests/js/) it is a CommonJS module.
 */
(function (root, make) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = make(root);
  else (root.portalLib = root.portalLib || {}).text = make(root);
})(typeof globalThis !== "undefined" ? globalThis : this, function (root) {
  "use strict";

  var PLACEHOLDER = /\{(\w+)\}/g;

  /** `template` cut at its placeholders: the text between them and the value of each. A
   * placeholder with no value in `values` stays as written, so a missing value shows. */
  function formatParts(template, values) {
    var text = String(template === undefined || template === null ? "" : template);
    var parts = [];
    var last = 0;
    var match;
    PLACEHOLDER.lastIndex = 0;
    while ((match = PLACEHOLDER.exec(text)) !== null) {
      parts.push(text.slice(last, match.index));
      var known = values && Object.prototype.hasOwnProperty.call(values, match[1]);
      parts.push(known ? values[match[1]] : match[0]);
      last = PLACEHOLDER.lastIndex;
    }
    parts.push(text.slice(last));
    return parts;
  }

  /** `template` with every {name} replaced by String(values[name]); one pass, so a value that
   * itself holds braces is never filled in again. */
  function format(template, values) {
    return formatParts(template, values).map(String).join("");
  }

  /** The data of the page's <script type="application/json" id="..."> block, or `fallback`
   * when the page has none or it does not parse. */
  function readData(id, fallback) {
    var element = root.document ? root.document.getElementById(id) : null;
    if (!element) return fallback;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return fallback;
    }
  }

  var scripts = {};

  /** Load the script at `url` once and call `done(true)` when it has run, `done(false)` when it
   * could not be loaded. Scripts rather than JSON files, since browsers fetch no file from
   * file:// but do run its scripts. */
  function loadScript(url, done) {
    var entry = scripts[url];
    if (entry && entry.state !== "loading") {
      done(entry.state === "loaded");
      return;
    }
    if (entry) {
      entry.waiting.push(done);
      return;
    }
    entry = scripts[url] = { state: "loading", waiting: [done] };
    function finish(state) {
      entry.state = state;
      entry.waiting.splice(0).forEach(function (callback) { callback(state === "loaded"); });
    }
    var script = root.document.createElement("script");
    script.src = url;
    script.onload = function () { finish("loaded"); };
    script.onerror = function () { finish("failed"); };
    root.document.body.append(script);
  }

  return { format: format, formatParts: formatParts, readData: readData, loadScript: loadScript };
});
