/* The portal's search worker: the theme's own worker (named in this script's query string, in the
 * same folder), with two additions so that search finds what people type.
 *
 * 1. Letters are folded the same way in the index and in the query: case, accents and other marks
 *    (Greek tonos and dialytika, Arabic-script vowel marks), Greek final sigma, and the Arabic
 *    forms of yeh, kaf and heh that many keyboards give for the Urdu ones. "πελατη" then meets
 *    "πελάτη", and "پاکستاني" (Arabic yeh) meets "پاکستانی".
 * 2. The query's words are stemmed by the index's own pipeline before the theme adds its trailing
 *    wildcard: lunr skips the pipeline for a word with a wildcard, so without this "complaints"
 *    never met the stem "complaint" of the index. Where the index asks for it (`config.portal.infix`),
 *    a word is also looked for inside longer words (Swahili: "jibu" in "majibu", "kujibu").
 *
 * The theme's worker talks to the page through "message" events; the portal rewrites the query in
 * the event before the theme's handler sees it, and adds its folding to the index's pipelines.
 * Messages are told apart by what they carry (the index with its `config`, or a query string), not
 * by the theme's numbering of them. Should the theme's worker change (no lunr in it, messages of
 * another shape), the messages reach it untouched: search then works as the theme's own, without
 * the folding. Only Material's build uses this worker (the plugin names it in place of the
 * theme's); an engine without the plugin keeps its own search.
 */
"use strict"

;(function () {
  const MARKS = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]/g
  const LETTERS = {
    "ς": "σ",           // Greek final sigma
    "\u064a": "\u06cc", // Arabic yeh -> Farsi/Urdu yeh
    "\u0649": "\u06cc", // alef maksura -> Urdu yeh
    "\u0643": "\u06a9", // Arabic kaf -> keheh (Urdu kaf)
    "\u0647": "\u06c1", // Arabic heh -> heh goal (Urdu heh)
    "\u0629": "\u06c3"  // teh marbuta -> teh marbuta goal
  }
  const OTHER_FORMS = /[ς\u064a\u0649\u0643\u0647\u0629]/g

  /** The form of a word that the index and the query share. */
  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").normalize("NFC")
      .toLowerCase().replace(OTHER_FORMS, letter => LETTERS[letter])
  }
  self.portalFold = fold

  const theme = new URL(self.location.href).searchParams.get("theme")
  const listen = self.addEventListener.bind(self)
  const state = { config: null, pipeline: null, adapted: false }

  /* The page starts this worker with every page, but sends it the index only when the reader first
   * focuses search: the theme's worker (and lunr in it) is loaded then, not before. */
  let loaded = false
  listen("message", event => {
    if (loaded)
      return
    loaded = true
    load()
    self.dispatchEvent(new MessageEvent("message", { data: event.data }))
  })

  function load() {
    /* Hand the theme's message handler the portal's query instead of the reader's. */
    self.addEventListener = function (type, handler, options) {
      if (type !== "message")
        return listen(type, handler, options)
      return listen("message", event => handler(rewrite(event)), options)
    }
    if (theme)
      importScripts(theme)
    self.addEventListener = listen
    if (self.lunr && self.lunr.Builder && self.lunr.Pipeline) {
      adapt(self.lunr)
      state.adapted = true
    }
  }

  function adapt(lunr) {
    function foldToken(token) {
      return token.update(fold)
    }
    lunr.Pipeline.registerFunction(foldToken, "portalFold")

    /* The theme builds its index with lunr(...): fold before anything else reads a word (the Greek
     * stop words and stemmer expect words without accents), at indexing and at query time. */
    const add = lunr.Builder.prototype.add
    lunr.Builder.prototype.add = function (doc, attributes) {
      if (!this.portalFolding) {
        this.portalFolding = true
        this.pipeline._stack.unshift(foldToken)
        this.searchPipeline._stack.unshift(foldToken)
        state.pipeline = this.searchPipeline
      }
      return add.call(this, doc, attributes)
    }
  }

  function rewrite(event) {
    const message = event.data
    if (!message || typeof message !== "object" || !state.adapted)
      return event
    if (message.data && typeof message.data === "object" && message.data.config)  // the index
      state.config = message.data.config
    else if (typeof message.data === "string" && state.config)                       // a query
      return { data: { ...message, data: portalQuery(message.data) } }
    return event
  }

  /** The reader's query with each plain word folded and stemmed as the index's words are. */
  function portalQuery(query) {
    const config = state.config
    const pipeline = state.pipeline
    const infix = Boolean(config && config.portal && config.portal.infix)
    const separator = new RegExp(config ? config.separator : "[\\s\\-]+", "g")
    return fold(query).split(/(\s+|"[^"]*")/).map(part => {
      if (!part.trim() || /^"|^[+-]|[*~^:]/.test(part))
        return part  // lunr's own syntax, or a phrase: left as typed (but folded)
      return part.split(separator).filter(Boolean).map(word => {
        const stemmed = pipeline ? pipeline.run([new self.lunr.Token(word, {})]) : []
        const stem = stemmed.length ? stemmed[0].toString() : word
        // Chinese words are matched by the theme against the index's own words: leave them whole.
        return infix && stem.length >= 4 && !/\p{sc=Han}/u.test(stem) ? `*${stem}` : stem
      }).join(" ")
    }).join("")
  }
  self.portalQuery = portalQuery
})()
