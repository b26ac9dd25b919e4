/* Advocacy Portal: schedules for a start date, computed in the browser.
 *
 * Every role's lessons and refreshers come from assets/hr-data.js beside this file
 * (loaded only on pages with a [data-portal-hr] box); this file turns them into dates with the rules of generator/schedule.py and writes CSV
 * and iCalendar text exactly as generator/export.py does, so a download equals
 * the output of `portal plan` for the same role and start date. Change both
 * together: tests/test_hr_site.py compares them.
 */
(function () {
  "use strict";

  var DAY = 86400000;
  var HERE = document.currentScript ? document.currentScript.src : null;
  var DATA_FILE = "hr-data.js";

  // --- dates (all in UTC, so that no time zone or daylight saving shifts a day) ---------------

  function parseDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((text || "").trim());
    if (!m) return null;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
  }
  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }
  function isoDate(d) { return pad(d.getUTCFullYear(), 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2); }
  function compactDate(d) { return isoDate(d).replace(/-/g, ""); }
  function addDays(d, n) { return new Date(d.getTime() + n * DAY); }
  function weekday(d) { return (d.getUTCDay() + 6) % 7; } // Monday is 0, as in Python

  function addMonths(d, months) {
    var index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
    var year = Math.floor(index / 12), month = index % 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), last)));
  }

  function DayRules(rules) {
    var weekend = {}, holidays = {};
    rules.weekend.forEach(function (n) { weekend[n] = true; });
    rules.holidays.forEach(function (h) { holidays[h] = true; });
    function isWorkingDay(d) { return !weekend[weekday(d)] && !holidays[isoDate(d)]; }
    function nextWorkingDay(d) { while (!isWorkingDay(d)) d = addDays(d, 1); return d; }
    return {
      dueDate: function (start, dueDay) {
        if (!rules.working_days) return addDays(start, dueDay);
        if (dueDay === 0) return nextWorkingDay(start);
        var d = start;
        for (var i = 0; i < dueDay; i++) d = nextWorkingDay(addDays(d, 1));
        return d;
      },
      refresherDate: function (start, months) {
        var d = addMonths(start, months);
        return rules.working_days ? nextWorkingDay(d) : d;
      }
    };
  }

  // --- the schedule ----------------------------------------------------------------------------

  function schedule(data, roleId, start) {
    var role = data.roles[roleId], rules = DayRules(data.rules), rows = [], position = {};
    role.lessons.forEach(function (item, index) {
      position[item[0]] = index;
      rows.push(row(data, "lesson", item[0], item[3], item[2], rules.dueDate(start, item[1]), String(item[1]), 0, 0));
    });
    var refreshers = [];
    role.refreshers.forEach(function (item) {
      for (var months = item[1]; months <= data.rules.horizon_months; months += item[1]) {
        refreshers.push({ lesson: item[0], every: item[1], path: item[2], months: months });
      }
    });
    refreshers.sort(function (a, b) { return a.months - b.months || position[a.lesson] - position[b.lesson]; });
    refreshers.forEach(function (r) {
      rows.push(row(data, "refresher", r.lesson, r.path, true, rules.refresherDate(start, r.months), "", r.months, r.every));
    });
    return rows;
  }

  function row(data, kind, lessonId, pathId, required, due, day, months, every) {
    var lesson = data.lessons[lessonId];
    return {
      due: due, kind: kind, day: day, lessonId: lessonId, slug: lesson.slug, title: lesson.title,
      minutes: lesson.minutes, required: required, pathId: pathId, pathTitle: data.paths[pathId],
      url: lesson.url, months: months, every: every
    };
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? String(values[key]) : all; });
  }

  // --- CSV (as Python's csv module writes it: quotes only where needed, CRLF) ----------------

  function csvField(value) {
    var text = String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function toCsv(data, rows) {
    var lines = [data.calendar.columns.map(csvField).join(",")];
    rows.forEach(function (r) {
      lines.push([isoDate(r.due), r.kind, r.day, r.lessonId, r.title, r.minutes, r.required ? "yes" : "no",
        r.pathId, r.pathTitle, r.url].map(csvField).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  // --- iCalendar (RFC 5545) --------------------------------------------------------------------

  function icsText(value) {
    return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
      .replace(/\r\n/g, "\\n").replace(/\n/g, "\\n").replace(/\r/g, "\\n");
  }
  function octets(ch) {
    var cp = ch.codePointAt(0);
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
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
    var role = data.roles[roleId], s = data.strings, stamp = compactDate(start) + "T000000Z";
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
        "UID:" + compactDate(start) + "-" + role.slug + "-" + r.slug + "-" + occurrence + "@" + data.calendar.domain,
        "DTSTAMP:" + stamp,
        "DTSTART;VALUE=DATE:" + compactDate(r.due),
        "DTEND;VALUE=DATE:" + compactDate(addDays(r.due, 1)),
        "SUMMARY:" + icsText(summary),
        "DESCRIPTION:" + icsText(description)
      );
      if (r.url) lines.push("URL:" + r.url);
      lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(function (l) { return fold(l) + "\r\n"; }).join("");
  }

  // --- the page --------------------------------------------------------------------------------

  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function shown(d) {
    var lang = document.documentElement.lang || undefined;
    try {
      return d.toLocaleDateString(lang, { weekday: "short", year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
    } catch (e) {
      return isoDate(d);
    }
  }

  function setUp(box, data) {
    var input = box.querySelector("[data-hr-start]");
    var status = box.querySelector("[data-hr-status]");
    var page = box.closest("article") || document;
    var nojs = box.querySelector(".portal-hr-nojs");
    if (nojs) nojs.hidden = true;
    box.querySelector(".portal-hr-controls").hidden = false;
    page.querySelectorAll(".portal-hr-buttons").forEach(function (el) { el.hidden = false; });

    var query = parseDate(new URLSearchParams(window.location.search).get("start"));
    if (query && !input.value) input.value = isoDate(query);

    function start() { return parseDate(input.value); }

    // A checklist shows one role; the overview shows every role's last due date.
    var only = box.getAttribute("data-role-id");
    var shownRoles = only ? [only] : Object.keys(data.roles);

    function refresh() {
      var day = start();
      shownRoles.forEach(function (roleId) {
        var rows = day ? schedule(data, roleId, day) : [];
        var required = rows.filter(function (r) { return r.kind === "lesson" && r.required; });
        var last = required.reduce(function (a, r) { return !a || r.due > a ? r.due : a; }, null);
        page.querySelectorAll('[data-hr-last-due="' + roleId + '"]').forEach(function (el) {
          el.textContent = last ? format(data.strings.due_by, { date: shown(last) }) : "";
        });
        if (box.getAttribute("data-role-id") === roleId) {
          page.querySelectorAll("[data-hr-date]").forEach(function (cell) {
            var r = rows[+cell.getAttribute("data-hr-date")];
            cell.textContent = r ? shown(r.due) : "";
            if (r) cell.setAttribute("data-date", isoDate(r.due)); else cell.removeAttribute("data-date");
          });
        }
      });
      page.querySelectorAll("[data-hr-start-line]").forEach(function (line) {
        line.textContent = day ? format(data.strings.start_line, { date: shown(day) }) : "";
        line.hidden = !day;
      });
      page.querySelectorAll("a[data-hr-checklist]").forEach(function (link) {
        var href = link.getAttribute("href").split("?")[0];
        link.setAttribute("href", day ? href + "?start=" + isoDate(day) : href);
      });
    }

    input.addEventListener("change", refresh);
    input.addEventListener("input", refresh);
    refresh();

    page.addEventListener("click", function (event) {
      var button = event.target.closest("[data-hr-download], [data-hr-print]");
      if (!button || !page.contains(button)) return;
      if (button.hasAttribute("data-hr-print")) { window.print(); return; }
      var day = start();
      if (!day) {
        status.textContent = data.strings.need_date;
        input.focus();
        return;
      }
      var roleId = button.getAttribute("data-role-id");
      var rows = schedule(data, roleId, day);
      var kind = button.getAttribute("data-hr-download");
      var name = data.roles[roleId].slug + "-" + isoDate(day) + "." + kind;
      if (kind === "csv") download(name, toCsv(data, rows), "text/csv;charset=utf-8");
      else download(name, toIcs(data, roleId, day, rows), "text/calendar;charset=utf-8");
      status.textContent = format(data.strings.downloaded, { file: name });
    });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-portal-hr]");
    if (!boxes.length || !HERE) return;
    var script = document.createElement("script");
    script.src = new URL(DATA_FILE, HERE).href;
    script.onload = function () {
      var data = window.portalSchedule;
      if (!data || !data.roles) return;
      boxes.forEach(function (box) { setUp(box, data); });
    };
    document.body.append(script);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
