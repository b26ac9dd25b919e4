// The browser's day counting (generator/assets/lib/schedule.js) against tests/vectors/schedule.json,
// the cases generator/schedule.py is tested on too (tests/test_vectors.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import days from "../../generator/assets/lib/schedule.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/schedule.json", import.meta.url), "utf8"));
const rules = Object.fromEntries(Object.entries(vectors.rules).map(([name, r]) => [name, days.dayRules(r)]));

function mismatches(cases, compute, expected) {
  return cases.map((c) => ({ c, got: compute(c) })).filter(({ c, got }) => got !== c[expected])
    .map(({ c, got }) => `${JSON.stringify(c)}: got ${got}`);
}

test("due dates follow every vector", () => {
  assert.ok(vectors.due.length >= 300);
  assert.deepEqual(mismatches(vectors.due,
    (c) => days.isoDate(rules[c.rules].dueDate(days.parseDate(c.start), c.day)), "due"), []);
});

test("refresher dates follow every vector", () => {
  assert.ok(vectors.refresher.length >= 150);
  assert.deepEqual(mismatches(vectors.refresher,
    (c) => days.isoDate(rules[c.rules].refresherDate(days.parseDate(c.start), c.months)), "due"), []);
});

test("month arithmetic follows every vector", () => {
  assert.deepEqual(mismatches(vectors.add_months,
    (c) => days.isoDate(days.addMonths(days.parseDate(c.date), c.months)), "result"), []);
});

test("a start date is read only when it is a real date", () => {
  assert.equal(days.isoDate(days.parseDate(" 2024-02-29 ")), "2024-02-29");
  for (const text of ["2023-02-29", "2024-13-01", "2024-04-31", "24-01-01", "2024-1-1", "", null]) {
    assert.equal(days.parseDate(text), null, String(text));
  }
});

test("dates stay on their day in any time zone: they are midnight UTC", () => {
  const d = days.parseDate("2024-03-31");
  assert.equal(d.getTime() % 86400000, 0);
  assert.equal(days.compactDate(days.addDays(d, 1)), "20240401");
  assert.equal(days.weekday(d), 6, "31 March 2024 is a Sunday; Monday is 0 as in Python");
});
