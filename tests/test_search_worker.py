"""The portal's search worker, run in Node.js with the theme's own worker and lunr: letters fold
alike in the index and the query, and query words are stemmed as the index's words are."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

WORKER = REPO / "generator" / "assets" / "javascripts" / "workers" / "portal-search.js"

# Loads the theme's worker and the portal's into one context, as a browser's worker would, with
# the page's side of the conversation played by this script.
HARNESS = r"""
const fs = require("fs"), path = require("path"), vm = require("vm")
const [themeDir, portalWorker, theme, casesJson] = process.argv.slice(1)
const sent = []
class MessageEvent { constructor(type, init) { this.type = type; this.data = init.data } }
const ctx = { console, URL, setTimeout, Uint16Array, MessageEvent }
ctx.self = ctx
ctx.location = { href: "https://portal.example/assets/javascripts/workers/portal-search.js?theme=" + theme }
const listeners = []
ctx.addEventListener = (type, fn) => { if (type === "message") listeners.push(fn) }
ctx.dispatchEvent = event => { for (const fn of [...listeners]) fn(event) }
ctx.postMessage = message => sent.push(message)
ctx.importScripts = (...urls) => {
  for (const url of urls) vm.runInContext(fs.readFileSync(path.resolve(themeDir, "workers", url), "utf8"), ctx)
}
vm.createContext(ctx)
vm.runInContext(fs.readFileSync(portalWorker, "utf8"), ctx)
const answers = {}
;(async () => {
  for (const { name, config, docs, queries } of JSON.parse(casesJson)) {
    sent.length = 0
    ctx.dispatchEvent({ data: { type: 0, data: { config, docs, options: { suggest: false } } } })
    await new Promise(resolve => setTimeout(resolve, 50))
    answers[name] = {}
    for (const query of queries) {
      sent.length = 0
      ctx.dispatchEvent({ data: { type: 2, data: query } })
      await new Promise(resolve => setTimeout(resolve, 10))
      const result = sent.find(m => m.type === 3)
      answers[name][query] = result ? result.data.items.map(group => group[0].location) : null
    }
  }
  console.log(JSON.stringify({ answers, fold: ctx.portalFold("ΠΕΛΆΤΕΣ ς ي ك ه") }))
})()
"""

FIELDS = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}
BREAKS = r"[\s\-.,;:!?()\[\]" "\"'«»“”‘’…،؛؟۔]+"


def run_worker(cases: list[dict]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js")
    import material

    theme_dir = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    theme = next((theme_dir / "workers").glob("search.*.min.js")).name
    result = subprocess.run(
        [node, "-e", HARNESS, str(theme_dir), str(WORKER), theme, json.dumps(cases)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_letters_fold_and_words_stem_alike_in_the_index_and_the_query():
    docs = {
        "en": [{"location": "complaints/", "title": "Owning a complaint", "text": "Answer every complaint."},
               {"location": "other/", "title": "Weather", "text": "Sunny days."}],
        "el": [{"location": "clients/", "title": "Εξυπηρέτηση πελατών", "text": "Ο πελάτης έχει παράπονο."},
               {"location": "other/", "title": "Καιρός", "text": "Λιακάδα."}],
        "ur": [{"location": "company/", "title": "لہجہ", "text": "کسی کمپنی کی ادائیگی"},
               {"location": "other/", "title": "موسم", "text": "دھوپ"}],
        "sw": [{"location": "answers/", "title": "Kujibu haraka", "text": "Majibu mazuri."},
               {"location": "other/", "title": "Hali ya hewa", "text": "Jua kali."}],
    }
    cases = [
        {"name": "en", "config": {"lang": ["en"], "separator": BREAKS, "pipeline": ["stopWordFilter", "stemmer"],
                                  "fields": FIELDS}, "docs": docs["en"],
         "queries": ["complaints", "COMPLAINING", "weather"]},
        {"name": "el", "config": {"lang": ["el"], "separator": BREAKS, "pipeline": ["stopWordFilter", "stemmer"],
                                  "fields": FIELDS}, "docs": docs["el"],
         "queries": ["πελατη", "ΠΕΛΑΤΕΣ", "παραπόνων"]},
        {"name": "ur", "config": {"lang": ["en"], "separator": BREAKS, "pipeline": [], "fields": FIELDS},
         "docs": docs["ur"], "queries": ["كمپني", "ادائيگي", "لهجه"]},
        {"name": "sw", "config": {"lang": ["en"], "separator": BREAKS, "pipeline": [], "fields": FIELDS,
                                  "portal": {"infix": True}}, "docs": docs["sw"], "queries": ["jibu", "MAJIBU"]},
    ]
    found = run_worker(cases)
    assert found["fold"] == "πελατεσ σ ی ک ہ"
    assert found["answers"] == {
        "en": {"complaints": ["complaints/"], "COMPLAINING": ["complaints/"], "weather": ["other/"]},
        "el": {"πελατη": ["clients/"], "ΠΕΛΑΤΕΣ": ["clients/"], "παραπόνων": ["clients/"]},
        "ur": {"كمپني": ["company/"], "ادائيگي": ["company/"], "لهجه": ["company/"]},
        "sw": {"jibu": ["answers/"], "MAJIBU": ["answers/"]},
    }
