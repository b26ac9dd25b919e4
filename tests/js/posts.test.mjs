// The share page's counting and hashtag rules (generator/assets/lib/posts.js) against the vectors
// generator/posts.py is tested on too: count.json and hashtags.json (tests/make_vectors.py), and
// x-count.json, made from X's own twitter-text library (tests/make_count_vectors.js).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import posts from "../../generator/assets/lib/posts.js";

const read = (name) => JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8"));
const count = read("count.json");
const xCount = read("x-count.json");
const hashtags = read("hashtags.json");
// The rules as the share page carries them (posts.browser_rules(), copied into count.json; the
// Python tests check the copy).
const counter = posts.counter(count.rules);
const X = { weighted: true, linkLength: 23 };

function mismatches(cases, compute, expected) {
  return cases.map((c) => ({ c, got: compute(c) }))
    .filter(({ c, got }) => JSON.stringify(got) !== JSON.stringify(c[expected]))
    .map(({ c, got }) => `${JSON.stringify(c)}: got ${JSON.stringify(got)}`);
}

test("X counts every text as twitter-text does", () => {
  assert.ok(xCount.vectors.length >= 250);
  assert.deepEqual(mismatches(xCount.vectors, (v) => counter.count(v.text, X), "length"), []);
});

test("the X vectors cover what the counter must get right", () => {
  const texts = xCount.vectors.map((v) => v.text);
  assert.ok(texts.some((t) => t.includes("\u200d")), "emoji joined by zero-width joiners");
  assert.ok(texts.some((t) => /[\u{1F3FB}-\u{1F3FF}]/u.test(t)), "skin tones");
  assert.ok(texts.some((t) => /https?:\/\/\S+[.,!?;:'")]/i.test(t)), "links with trailing punctuation");
  assert.ok(texts.some((t) => /[\u4e00-\u9fff]/.test(t)), "Chinese");
  assert.ok(texts.some((t) => t.startsWith("HTTPS://")), "a scheme in capitals");
});

test("other networks count every text as the vectors say", () => {
  assert.deepEqual(mismatches(count.cases, (c) => counter.count(c.text, count.networks[c.network]), "count"), []);
});

test("links end where the vectors say, without their trailing punctuation", () => {
  const links = (c) => counter.linksIn(c.text).map(([start, end]) => c.text.slice(start, end));
  assert.deepEqual(mismatches(count.cases, links, "links"), []);
});

test("an emoji with a skin tone or a family counts 2 on X", () => {
  assert.equal(counter.count("👍🏽", X), 2);
  assert.equal(counter.count("👨‍👩‍👧‍👦", X), 2);
  assert.equal(counter.count("🇰🇪 ok", X), 5);
});

test("hashtags are found as every vector says", () => {
  assert.ok(hashtags.has_hashtag.length >= 300);
  assert.deepEqual(mismatches(hashtags.has_hashtag, (c) => posts.hasHashtag(c.text, c.tag), "found"), []);
});

test("the shared message follows every vector", () => {
  assert.deepEqual(mismatches(hashtags.shared_message,
    (c) => posts.sharedMessage(c.text, c.disclosure, c.appended), "message"), []);
});

test("a share link carries the text and the link as encodeURIComponent writes them", () => {
  const href = posts.shareHref("https://x.example/intent?text={text}&url={url}", "太 & #Jua", "https://j.example/a?b=1");
  assert.equal(href, "https://x.example/intent?text=%E5%A4%AA%20%26%20%23Jua&url=https%3A%2F%2Fj.example%2Fa%3Fb%3D1");
  assert.equal(posts.counted("", "https://j.example"), "https://j.example");
  assert.equal(posts.counted("Hi", "https://j.example"), "Hi https://j.example");
});
