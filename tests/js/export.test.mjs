// The HR pages' CSV and iCalendar writers (generator/assets/lib/export.js) against
// tests/vectors/export.json: records as Python's csv module writes them, TEXT escaping as the
// icalendar library does, folding at RFC 5545's 75 octets; generator/export.py is tested on the
// same file (tests/test_vectors.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import days from "../../generator/assets/lib/schedule.js";
import writers from "../../generator/assets/lib/export.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/export.json", import.meta.url), "utf8"));

function mismatches(cases, compute, expected) {
  return cases.map((c) => ({ c, got: compute(c) })).filter(({ c, got }) => got !== c[expected])
    .map(({ c, got }) => `${JSON.stringify(c)}: got ${JSON.stringify(got)}`);
}

/** A vector's row as hr.js holds one. */
function scheduleRow(r) {
  return {
    due: days.parseDate(r.due), kind: r.kind, day: r.day, lessonId: r.lesson_id, title: r.title,
    minutes: r.minutes, required: r.required, pathId: r.path_id, pathTitle: r.path_title, url: r.url,
  };
}

test("CSV records follow every vector", () => {
  assert.equal(writers.csvLine(vectors.csv_header.values), vectors.csv_header.line);
  assert.deepEqual(mismatches(vectors.csv_rows, (c) => writers.csvLine(writers.csvValues(scheduleRow(c.row))), "line"), []);
});

test("a whole CSV is its header and its records", () => {
  const data = { calendar: { columns: vectors.csv_header.values } };
  const rows = vectors.csv_rows.map((c) => scheduleRow(c.row));
  assert.equal(writers.toCsv(data, rows), vectors.csv_header.line + vectors.csv_rows.map((c) => c.line).join(""));
});

test("iCalendar text is escaped as every vector says", () => {
  assert.deepEqual(mismatches(vectors.ics_text, (c) => writers.icsText(c.value), "escaped"), []);
});

test("iCalendar lines are folded as every vector says", () => {
  assert.ok(vectors.fold.length >= 80);
  assert.deepEqual(mismatches(vectors.fold, (c) => writers.fold(c.line), "folded"), []);
});

test("no folded line is longer than 75 octets", () => {
  for (const c of vectors.fold) {
    for (const line of writers.fold(c.line).split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, line);
  }
});
