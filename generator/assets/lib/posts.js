/* Advocacy Portal: how a network counts a post, and which hashtags a text holds, as
 * generator/posts.py decides them, for the share page.
 *
 * The expressions and weights are not written here: the share page carries them as the generator
 * wrote them (`data-rules` on the [data-portal-share] box, from posts.browser_rules()), so there is
 * one copy of each. What the rules do with them follows posts.py line by line;
 * tests/vectors/count.json and tests/vectors/hashtags.json hold the cases both must agree on.
 * In the browser this adds `portalLib.posts`; in Node it is a CommonJS module.
 */
(function (root, make) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = make();
  else (root.portalLib = root.portalLib || {}).posts = make();
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  /** A counter for `rules` ({link, link_trailing, emoji: expressions; one: [[low, high], ...] the
   * code points X counts once}): count(text, network) with network {weighted, linkLength}. */
  function counter(rules) {
    var linkRe = new RegExp(rules.link, "gu");
    var emojiRe = new RegExp(rules.emoji, "gu");
    var trailing = rules.link_trailing;
    var one = rules.one;

    /** Start and end (UTF-16 offsets) of every link in `text`, without trailing punctuation. */
    function linksIn(text) {
      var spans = [];
      var match;
      linkRe.lastIndex = 0;
      while ((match = linkRe.exec(text)) !== null) {
        var url = match[0];
        // Trailing punctuation is not part of a link, but ")" closing a "(" of the link is.
        while (url.length && trailing.indexOf(url.charAt(url.length - 1)) !== -1) {
          if (url.charAt(url.length - 1) === ")" && url.split("(").length >= url.split(")").length) break;
          url = url.slice(0, -1);
        }
        if (url.length > "https://".length) spans.push([match.index, match.index + url.length]);
      }
      return spans;
    }

    function weighted(text) {
      var total = 0;
      for (var ch of text) {
        var code = ch.codePointAt(0);
        total += one.some(function (r) { return code >= r[0] && code <= r[1]; }) ? 1 : 2;
      }
      return total;
    }

    function characters(text, network) {
      if (!network.weighted) return Array.from(text).length;
      var total = 0;
      var position = 0;
      var match;
      emojiRe.lastIndex = 0;
      while ((match = emojiRe.exec(text)) !== null) {
        if (Array.from(match[0]).length > 1) { // a single code point weighs as any other character
          total += weighted(text.slice(position, match.index)) + 2;
          position = match.index + match[0].length;
        }
      }
      return total + weighted(text.slice(position));
    }

    /** The length of `text` as `network` counts it. */
    function count(text, network) {
      text = text.normalize("NFC");
      var total = 0;
      var position = 0;
      linksIn(text).forEach(function (span) {
        total += characters(text.slice(position, span[0]), network);
        total += network.linkLength !== null && network.linkLength !== undefined
          ? network.linkLength : characters(text.slice(span[0], span[1]), network);
        position = span[1];
      });
      return total + characters(text.slice(position), network);
    }

    return { count: count, linksIn: linksIn };
  }

  function escapeRe(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** Whether `tag` stands in `text` as a whole hashtag (networks match hashtags in any case). */
  function hasHashtag(text, tag) {
    return new RegExp("(?<![\\p{L}\\p{N}_#])" + escapeRe(tag) + "(?![\\p{L}\\p{N}_])", "iu").test(text);
  }

  /** What is shared from a reader's text: the disclosure is added when the playbook says so and
   * the text lacks it. */
  function sharedMessage(text, disclosure, appended) {
    text = text.trim();
    if (appended && disclosure && !hasHashtag(text, disclosure)) {
      text = (text ? text + "\n\n" : "") + disclosure;
    }
    return text;
  }

  /** The message as the network receives it: the link follows the text. */
  function counted(message, link) {
    return message ? message + " " + link : link;
  }

  /** The network's share page (a template with {url} and {text}) for `message` and `link`. */
  function shareHref(template, message, link) {
    return template.split("{url}").join(encodeURIComponent(link)).split("{text}").join(encodeURIComponent(message));
  }

  return {
    counter: counter, hasHashtag: hasHashtag, sharedMessage: sharedMessage, counted: counted,
    shareHref: shareHref
  };
});
