// The share page's counter in the browser script, checked against X's own counting (the vectors
// made from twitter-text by tests/make_count_vectors.js). Run: node --test tests/
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("path");
const share = require(path.join(__dirname, "..", "generator", "assets", "share.js"));
const { vectors } = require("./vectors/x-count.json");

const X = { weighted: true, linkLength: 23 };

test("the vectors cover what the counter must get right", () => {
  assert.ok(vectors.length >= 200);
  assert.ok(vectors.some((v) => v.text.includes("\u200d")), "emoji joined by zero-width joiners");
  assert.ok(vectors.some((v) => /[\u{1F3FB}-\u{1F3FF}]/u.test(v.text)), "skin tones");
  assert.ok(vectors.some((v) => /https?:\/\/\S+[.,!)]/.test(v.text)), "links with trailing punctuation");
  assert.ok(vectors.some((v) => /[\u4e00-\u9fff]/.test(v.text)), "Chinese");
});

test("share.js counts every vector as twitter-text does", () => {
  const wrong = vectors.filter((v) => share.count(v.text, X) !== v.length)
    .map((v) => `${JSON.stringify(v.text)}: ${share.count(v.text, X)}, X counts ${v.length}`);
  assert.deepStrictEqual(wrong, []);
});

test("an emoji with a skin tone or a family counts 2", () => {
  assert.strictEqual(share.count("👍🏽", X), 2);
  assert.strictEqual(share.count("👨‍👩‍👧‍👦", X), 2);
});
