/* Advocacy Portal: the CSV and iCalendar writers of generator/export.py, for the browser.
 *
 * A schedule downloaded from the HR pages is, byte for byte, the file `portal plan` writes for the
 * same role and start date. tests/vectors/export.json holds the lines both must write: CSV as
 * Python's csv module writes it, iCalendar text escaped and folded as RFC 5545 says.
 * In the browser this adds `portalLib.export` (after lib/text.js and lib/schedule.js); in Node it
 * is a CommonJS module.
 */
(function (root, make) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = make(require("./text.js"), require("./schedule.js"));
  else (root.portalLib = root.portalLib || {}).export = make(root.portalLib.text, root.portalLib.schedule);
})(typeof globalThis !== "undefined" ? globalThis : this, function (text, days) {
  "use strict";

  var format = text.format;

  // --- CSV (as Python's csv module writes it: quotes only where needed, CRLF) ----------------

  function csvField(value) {
    var field = String(value);
    return /[",\r\n]/.test(field) ? '"' + field.replace(/"/g, '""') + '"' : field;
  }

  /** One CSV record, with its line end. */
  function csvLine(values) {
    return values.map(csvField).join(",") + "\r\n";
  }

  /** The values of one schedule row, in the order of the columns. */
  function csvValues(r) {
    return [days.isoDate(r.due), r.kind, r.day, r.lessonId, r.title, r.minutes, r.required ? "yes" : "no",
      r.pathId, r.pathTitle, r.url];
  }

  function toCsv(data, rows) {
    return csvLine(data.calendar.columns) + rows.map(function (r) { return csvLine(csvValues(r)); }).join("");
  }

  // --- iCalendar (RFC 5545) --------------------------------------------------------------------

  /** A TEXT value escaped as RFC 5545 section 3.3.11 says. */
  function icsText(value) {
    return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
      .replace(/\r\n/g, "\\n").replace(/\n/g, "\\n").replace(/\r/g, "\\n");
  }
  function octets(ch) {
    var cp = ch.codePointAt(0);
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  /** A content line split into lines of at most 75 octets, never inside a UTF-8 character. */
  function fold(line) {
    var parts = [], current = "", size = 0;
    for (var ch of line) {
      var width = octets(ch);
      if (size + width > 75) { parts.push(current); current = " "; size = 1; }
      current += ch;
      size += width;
    }
    parts.push(current);
    return parts.join("\r\n");
  }

  function toIcs(data, roleId, start, rows) {
    var role = data.roles[roleId], s = data.strings, stamp = days.compactDate(start) + "T000000Z";
    var lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + data.calendar.prodid, "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
      "X-WR-CALNAME:" + icsText(format(s.calendar_name, { organisation: data.calendar.organisation, role: role.title }))
    ];
    rows.forEach(function (r) {
      var occurrence = r.kind === "lesson" ? "lesson" : "refresher-" + r.months;
      var status = r.kind === "refresher" ? format(s.refresher_status, { n: r.every }) : (r.required ? s.required : s.optional);
      var summary = r.kind === "lesson" ? r.title : format(s.refresher_summary, { title: r.title });
      var description = format(s.description, { path: r.pathTitle, minutes: r.minutes, status: status }) + (r.url ? "\n" + r.url : "");
      lines.push(
        "BEGIN:VEVENT",
        "UID:" + days.compactDate(start) + "-" + role.slug + "-" + r.slug + "-" + occurrence + "@" + data.calendar.domain,
        "DTSTAMP:" + stamp,
        "DTSTART;VALUE=DATE:" + days.compactDate(r.due),
        "DTEND;VALUE=DATE:" + days.compactDate(days.addDays(r.due, 1)),
        "SUMMARY:" + icsText(summary),
        "DESCRIPTION:" + icsText(description)
      );
      if (r.url) lines.push("URL:" + r.url);
      lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(function (l) { return fold(l) + "\r\n"; }).join("");
  }

  return {
    csvField: csvField, csvLine: csvLine, csvValues: csvValues, toCsv: toCsv,
    icsText: icsText, fold: fold, toIcs: toIcs
  };
});
