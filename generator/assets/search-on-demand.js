/* Load the search index only for a reader who searches.
 *
 * The theme requests search/search_index.json as soon as a page opens: for most readers the
 * largest part of a visit, for a box they may never use. This script, loaded before the theme's,
 * holds that one request back until the reader first focuses the search box (the `/` key, a click
 * on the box or on the magnifier of a phone's header), or arrives with a search in the address
 * (`?q=`, or `?h=` from a result, whose words the page highlights). Everything else about the
 * request is the theme's own. */
"use strict"

;(function () {
  let released = false
  const held = []
  const open = XMLHttpRequest.prototype.open
  const send = XMLHttpRequest.prototype.send

  function isIndex(url) {
    try {
      return /\/search\/search_index\.json$/.test(new URL(url, location.href).pathname)
    } catch (error) {
      return false
    }
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.portalSearchIndex = isIndex(url)
    return open.apply(this, arguments)
  }
  XMLHttpRequest.prototype.send = function () {
    if (this.portalSearchIndex && !released) {
      const request = this
      const args = arguments
      held.push(() => send.apply(request, args))
      return undefined
    }
    return send.apply(this, arguments)
  }

  function release() {
    if (released)
      return
    released = true
    held.splice(0).forEach(go => go())
  }

  document.addEventListener("focusin", event => {
    if (event.target instanceof Element && event.target.matches("[data-md-component=search-query]"))
      release()
  })
  document.addEventListener("change", event => {
    if (event.target instanceof HTMLInputElement && event.target.id === "__search" && event.target.checked)
      release()
  })
  const wanted = new URLSearchParams(location.search)
  if (wanted.has("q") || wanted.has("h"))
    release()
})()
