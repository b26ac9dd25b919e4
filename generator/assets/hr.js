/* Advocacy Portal: schedules for a start date, computed in the browser.
 *
 * Every role's lessons and refreshers come from assets/hr-data.js beside this file
 * (loaded only on pages with a [data-portal-hr] box); this file turns them into dates with the
 * rules of generator/schedule.py (assets/lib/schedule.js) and writes CSV and iCalendar text
 * exactly as generator/export.py does (assets/lib/export.js), so a download equals the output of
 * `portal plan` for the same role and start date. tests/vectors/ holds the cases both languages
 * are tested on; tests/test_hr_site.py compares whole files in the browser.
 */
(function () {
  "use strict";

  var lib = window.portalLib;
  var format = lib.text.format;
  var parseDate = lib.schedule.parseDate;
  var isoDate = lib.schedule.isoDate;
  var HERE = document.currentScript ? document.currentScript.src : null;
  var DATA_FILE = "hr-data.js";

  // --- the schedule ----------------------------------------------------------------------------

  function schedule(data, roleId, start) {
    var role = data.roles[roleId], rules = lib.schedule.dayRules(data.rules), rows = [], position = {};
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
      if (kind === "csv") download(name, lib.export.toCsv(data, rows), "text/csv;charset=utf-8");
      else download(name, lib.export.toIcs(data, roleId, day, rows), "text/calendar;charset=utf-8");
      status.textContent = format(data.strings.downloaded, { file: name });
    });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-portal-hr]");
    if (!boxes.length || !HERE) return;
    lib.text.loadScript(new URL(DATA_FILE, HERE).href, function () {
      var data = window.portalSchedule;
      if (!data || !data.roles) return;
      boxes.forEach(function (box) { setUp(box, data); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
