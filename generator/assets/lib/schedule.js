/* Advocacy Portal: the day-counting rules of generator/schedule.py, for the browser.
 *
 * A start date and a due day (or a number of months) give a due date exactly as `portal plan`
 * computes it; what counts as a working day (the weekend, the holidays, whether days are working
 * days at all) is not written here but read from the data the generator writes
 * (assets/hr-data.js, `rules`). tests/vectors/schedule.json holds the cases both must agree on.
 *
 * Dates are Date objects at midnight UTC, so that no time zone or daylight saving shifts a day.
 * In the browser this adds `portalLib.schedule`; in Node it is a CommonJS module.
 */
(function (root, make) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = make();
  else (root.portalLib = root.portalLib || {}).schedule = make();
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  var DAY = 86400000;

  /** The date of a "YYYY-MM-DD" text, or null when it is no real date. */
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

  /** `d` moved by whole months; the 31st becomes the last day of a shorter month. */
  function addMonths(d, months) {
    var index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
    var year = Math.floor(index / 12), month = index - year * 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), last)));
  }

  /** The rules of one portal: `rules` as the generator writes them ({working_days, weekend:
   * [weekday numbers, Monday 0], holidays: ["YYYY-MM-DD", ...]}). */
  function dayRules(rules) {
    var weekend = {}, holidays = {};
    rules.weekend.forEach(function (n) { weekend[n] = true; });
    rules.holidays.forEach(function (h) { holidays[h] = true; });
    function isWorkingDay(d) { return !weekend[weekday(d)] && !holidays[isoDate(d)]; }
    function nextWorkingDay(d) { while (!isWorkingDay(d)) d = addDays(d, 1); return d; }
    return {
      isWorkingDay: isWorkingDay,
      /** The date of day `dueDay` for someone who starts on `start`. */
      dueDate: function (start, dueDay) {
        if (!rules.working_days) return addDays(start, dueDay);
        if (dueDay === 0) return nextWorkingDay(start);
        var d = start;
        for (var i = 0; i < dueDay; i++) d = nextWorkingDay(addDays(d, 1));
        return d;
      },
      /** The date a refresher `months` after `start` is due. */
      refresherDate: function (start, months) {
        var d = addMonths(start, months);
        return rules.working_days ? nextWorkingDay(d) : d;
      }
    };
  }

  return {
    parseDate: parseDate, isoDate: isoDate, compactDate: compactDate, addDays: addDays,
    addMonths: addMonths, weekday: weekday, dayRules: dayRules
  };
});
