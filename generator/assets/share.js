/* Advocacy Portal: the share page. Filters posts, counts the reader's own words as each network
 * does, and keeps the Copy and "Share on ..." controls in step with the edited text.
 * The counting repeats generator/posts.py exactly; change both together. Nothing here makes a
 * request: the share controls are plain links to each network's own share page. */
(function () {
  "use strict";

  /* --- counting (see generator/posts.py) ------------------------------------------------ */

  var URL_RE = /[Hh][Tt][Tt][Pp][Ss]?:\/\/[A-Za-z0-9\-._~:\/?#\[\]@!$&'()*+,;=%]+/g;
  var TRAILING = ".,:;!?'\")]";
  var X_ONE = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];
  // An emoji as one unit (see _EMOJI in generator/posts.py: the same expression).
  var PICTOGRAPH = "[\\u00a9\\u00ae\\u203c\\u2049\\u2122\\u2139\\u2194-\\u2199\\u21a9\\u21aa\\u231a\\u231b\\u2328\\u23cf" +
    "\\u23e9-\\u23f3\\u23f8-\\u23fa\\u24c2\\u25aa\\u25ab\\u25b6\\u25c0\\u25fb-\\u25fe\\u2600-\\u27bf" +
    "\\u2934\\u2935\\u2b05-\\u2b07\\u2b1b\\u2b1c\\u2b50\\u2b55\\u3030\\u303d\\u3297\\u3299\\u{1f000}-\\u{1faff}]" +
    "[\\ufe0e\\ufe0f]?[\\u{1f3fb}-\\u{1f3ff}]?";
  var EMOJI_RE = new RegExp(
    "[\\u{1f1e6}-\\u{1f1ff}]{2}|[0-9#*]\\ufe0f?\\u20e3|\\u{1f3f4}[\\u{e0020}-\\u{e007e}]+\\u{e007f}" +
    "|" + PICTOGRAPH + "(?:\\u200d" + PICTOGRAPH + ")*", "gu");

  function linksIn(text) {
    var spans = [];
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      var url = match[0];
      // Trailing punctuation is not part of a link, but ")" closing a "(" of the link is.
      while (url.length && TRAILING.indexOf(url.charAt(url.length - 1)) !== -1) {
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
      var one = X_ONE.some(function (r) { return code >= r[0] && code <= r[1]; });
      total += one ? 1 : 2;
    }
    return total;
  }

  function characters(text, network) {
    if (!network.weighted) return Array.from(text).length;
    var total = 0;
    var position = 0;
    var match;
    EMOJI_RE.lastIndex = 0;
    while ((match = EMOJI_RE.exec(text)) !== null) {
      if (Array.from(match[0]).length > 1) { // a single code point weighs as any other character
        total += weighted(text.slice(position, match.index)) + 2;
        position = match.index + match[0].length;
      }
    }
    return total + weighted(text.slice(position));
  }

  function count(text, network) {
    text = text.normalize("NFC");
    var total = 0;
    var position = 0;
    linksIn(text).forEach(function (span) {
      total += characters(text.slice(position, span[0]), network);
      total += network.linkLength !== null ? network.linkLength : characters(text.slice(span[0], span[1]), network);
      position = span[1];
    });
    return total + characters(text.slice(position), network);
  }

  // node --test loads this file for the counting alone (tests/share_count.test.js).
  if (typeof module === "object" && module.exports) module.exports = { count: count, linksIn: linksIn };
  if (typeof document === "undefined") return;

  var root = document.querySelector("[data-portal-share]");
  if (!root) return;

  var strings = JSON.parse(root.getAttribute("data-strings") || "{}");
  var disclosure = root.getAttribute("data-disclosure") || "";
  var appended = root.getAttribute("data-appended") === "true";

  function say(key, values) {
    var text = strings[key] || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function escapeRe(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function hasHashtag(text, tag) {
    return new RegExp("(?<![\\p{L}\\p{N}_#])" + escapeRe(tag) + "(?![\\p{L}\\p{N}_])", "iu").test(text);
  }

  function sharedMessage(text) {
    text = text.trim();
    if (appended && disclosure && !hasHashtag(text, disclosure)) {
      text = (text ? text + "\n\n" : "") + disclosure;
    }
    return text;
  }

  function counted(message, link) {
    return message ? message + " " + link : link;
  }

  function shareHref(template, message, link) {
    return template.split("{url}").join(encodeURIComponent(link)).split("{text}").join(encodeURIComponent(message));
  }

  /* --- one network's block -------------------------------------------------------------- */

  var liveTimers = new WeakMap();

  function setupBlock(block, link) {
    var network = {
      name: block.getAttribute("data-name"),
      limit: parseInt(block.getAttribute("data-limit"), 10),
      linkLength: block.getAttribute("data-link-length") ? parseInt(block.getAttribute("data-link-length"), 10) : null,
      weighted: block.getAttribute("data-weighted") === "true",
      shareUrl: block.getAttribute("data-share-url") || ""
    };
    var textarea = block.querySelector("textarea");
    var shown = block.querySelector("[data-share-count]");
    var note = block.querySelector("[data-share-note]");
    var live = block.querySelector("[data-share-live]");
    var copy = block.querySelector("[data-share-copy]");
    var share = block.querySelector("[data-share-link]");
    var blocked = null;
    if (share) {
      // Why "Share on ..." cannot be used, shown and read out while the text is too long.
      blocked = document.createElement("p");
      blocked.className = "portal-share__blocked";
      blocked.id = textarea.id + "-blocked";
      blocked.hidden = true;
      share.parentNode.insertAdjacentElement("afterend", blocked);
    }

    function message() {
      return sharedMessage(textarea.value);
    }

    function countText(n) {
      return n > network.limit
        ? say("over", { n: n, limit: network.limit, over: n - network.limit })
        : say("count", { n: n, limit: network.limit });
    }

    function update(announce) {
      var text = message();
      var n = count(counted(text, link), network);
      var over = n > network.limit;
      shown.textContent = countText(n);
      shown.setAttribute("data-value", String(n));
      block.classList.toggle("portal-share__network--over", over);
      textarea.setAttribute("aria-invalid", over ? "true" : "false");
      var missing = disclosure && !hasHashtag(textarea.value, disclosure);
      note.hidden = !missing;
      note.textContent = missing ? say(appended ? "added" : "missing", { tag: disclosure }) : "";
      if (share) {
        // Over the limit the network would get a text it refuses or cuts: no link until it fits.
        blocked.hidden = !over;
        blocked.textContent = over ? say("blocked", { network: network.name, limit: network.limit }) : "";
        if (over) {
          share.removeAttribute("href");
          share.setAttribute("role", "link");
          share.setAttribute("tabindex", "0");
          share.setAttribute("aria-disabled", "true");
          share.setAttribute("aria-describedby", blocked.id);
        } else {
          share.href = shareHref(network.shareUrl, text, link);
          ["role", "tabindex", "aria-disabled", "aria-describedby"].forEach(function (name) { share.removeAttribute(name); });
        }
      }
      if (announce) {
        // A polite summary once typing pauses, not one announcement per key.
        clearTimeout(liveTimers.get(live));
        liveTimers.set(live, setTimeout(function () { live.textContent = countText(n); }, 900));
      }
    }

    function copyText(done) {
      var text = message() + "\n" + link;
      var finish = function (ok) {
        live.textContent = ok ? say("copied", { network: network.name }) : say("copy_failed");
        if (done) done();
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { finish(true); }, function () { finish(fallbackCopy(text)); });
      } else {
        finish(fallbackCopy(text));
      }
    }

    textarea.addEventListener("input", function () { update(true); });
    copy.addEventListener("click", function () {
      copyText();
      if (!share) recordShare(block); // a network without a share page is shared by pasting
    });
    if (share) {
      share.target = "_blank";
      share.addEventListener("click", function () { recordShare(block); });
      if (network.shareUrl.indexOf("{text}") === -1) {
        // The network takes only the link: bring the reader's words along on the clipboard.
        share.addEventListener("click", function () { if (!share.hasAttribute("aria-disabled")) copyText(); });
      }
    }
    if (share) {
      share.addEventListener("click", function (event) {
        if (share.hasAttribute("aria-disabled")) event.preventDefault();
      });
    }
    shown.hidden = false;
    update(false);
  }

  /** Tell the learning records (when a site has them) that a post was shared, and where. */
  function recordShare(block) {
    var post = block.closest("[data-share-post]");
    if (!post) return;
    var title = post.querySelector(".portal-share__title");
    document.dispatchEvent(new CustomEvent("portal:record", { detail: {
      event: "shared", kind: "posts", id: post.id.replace(/^post-/, ""),
      title: title ? title.textContent : "", network: block.getAttribute("data-network"),
    } }));
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "portal-sr-only";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  /* --- dates, filters ------------------------------------------------------------------- */

  function localToday() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // Dates in the reader's language, as on the rest of the portal (the page holds them as ISO dates).
  Array.prototype.forEach.call(root.querySelectorAll("time[data-share-date]"), function (node) {
    try {
      var day = new Date(node.getAttribute("datetime") + "T12:00:00");
      node.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "long" }).format(day);
    } catch (error) {
      // an unknown language: the ISO date stays
    }
  });

  var posts = Array.prototype.slice.call(root.querySelectorAll("[data-share-post]"));
  var today = localToday();
  posts.forEach(function (post) {
    // A site built earlier still holds posts that have expired since: the visitor's date decides.
    if (post.getAttribute("data-expires") < today) {
      post.setAttribute("data-expired", "true");
      post.hidden = true;
    }
  });
  var current = posts.filter(function (post) { return !post.hasAttribute("data-expired"); });

  var roleSelect = root.querySelector("[data-share-role]");
  var networkSelect = root.querySelector("[data-share-network]");
  var status = root.querySelector("[data-share-status]");
  var none = root.querySelector("[data-share-none]");

  function applyFilters() {
    var role = roleSelect.value;
    var network = networkSelect.value;
    var visible = 0;
    current.forEach(function (post) {
      var roles = (post.getAttribute("data-roles") || "").split(" ");
      var forRole = !role || post.getAttribute("data-everyone") === "true" || roles.indexOf(role) !== -1;
      var blocks = Array.prototype.slice.call(post.querySelectorAll("[data-share-block]"));
      var anyBlock = false;
      blocks.forEach(function (block) {
        var match = !network || block.getAttribute("data-network") === network;
        block.hidden = !match;
        anyBlock = anyBlock || match;
      });
      post.hidden = !(forRole && anyBlock);
      if (!post.hidden) visible += 1;
    });
    status.textContent = current.length ? say("shown", { n: visible, total: current.length }) : "";
    if (!current.length) {
      none.hidden = false; // every post has expired since the site was built
    } else {
      none.hidden = visible > 0;
      none.textContent = say("none");
    }
  }

  function storedRole() {
    try {
      var keys = (root.getAttribute("data-role-keys") || "").split(" ").filter(Boolean);
      for (var i = 0; i < keys.length; i += 1) {
        var value = window.localStorage.getItem(keys[i]);
        if (value) return value;
      }
    } catch (error) {
      return null; // storage may be blocked; the select still works
    }
    return null;
  }

  var remembered = storedRole();
  if (remembered && roleSelect.querySelector('option[value="' + CSS.escape(remembered) + '"]')) {
    roleSelect.value = remembered;
  }
  roleSelect.addEventListener("change", applyFilters);
  networkSelect.addEventListener("change", applyFilters);

  current.forEach(function (post) {
    var link = post.getAttribute("data-link");
    post.querySelectorAll("[data-share-block]").forEach(function (block) { setupBlock(block, link); });
  });
  root.querySelectorAll("[data-share-controls]").forEach(function (el) {
    el.hidden = el.hasAttribute("data-share-filters") && !current.length;
  });
  applyFilters();
})();
