// The one formatter every portal script fills its interface strings with (generator/assets/lib/text.js).
import assert from "node:assert/strict";
import test from "node:test";
import text from "../../generator/assets/lib/text.js";

test("placeholders are filled with their values", () => {
  assert.equal(text.format("{n} of {total} roles", { n: 3, total: 12 }), "3 of 12 roles");
  assert.equal(text.format("{date} · {date}", { date: "2024-02-29" }), "2024-02-29 · 2024-02-29");
  assert.equal(text.format("ہر {n} ماہ", { n: 6 }), "ہر 6 ماہ");
});

test("a placeholder with no value stays as written, so that it shows", () => {
  assert.equal(text.format("{n} of {total}", { n: 1 }), "1 of {total}");
  assert.equal(text.format("{n}", undefined), "{n}");
  assert.equal(text.format("{toString}", {}), "{toString}", "no value from the object's prototype");
});

test("a value is put in once, never read as a template again", () => {
  assert.equal(text.format("{a} {b}", { a: "{b}", b: "x" }), "{b} x");
  assert.equal(text.format("{a}", { a: "$& $1" }), "$& $1");
});

test("text that is not a placeholder stays", () => {
  assert.equal(text.format("{} { n } {n-1} {", { n: 1 }), "{} { n } {n-1} {");
  assert.equal(text.format("", { n: 1 }), "");
  assert.equal(text.format(undefined, {}), "");
});

test("the parts keep each value as it is, for a script that puts elements in a sentence", () => {
  const link = { element: true };
  assert.deepEqual(text.formatParts("Next: {lesson}.", { lesson: link }), ["Next: ", link, "."]);
});

test("with no page there is no data block to read", () => {
  assert.equal(text.readData("portal-strings", "fallback"), "fallback");
});
