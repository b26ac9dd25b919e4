/* Advocacy Portal: the share page. Filters posts, counts the reader's own words as each network
 * does, and keeps the Copy and "Share on ..." controls in step with the edited text.
 * The counting and hashtag rules are those of generator/posts.py, in assets/lib/posts.js, with the
 * expressions and weights the page carries (data-rules). Nothing here makes a request: the share
 * controls are plain links to each network's own share page. */
(function () {
  "use strict";

  var lib = window.portalLib;
  var format = lib.text.format;
  var posts = lib.posts;

  var root = document.querySelector("[data-portal-share]");
  if (!root) return;

  var strings = JSON.parse(root.getAttribute("data-strings") || "{}");
  var count = posts.counter(JSON.parse(root.getAttribute("data-rules") || "{}")).count;
  var disclosure = root.getAttribute("data-disclosure") || "";
  var appended = root.getAttribute("data-appended") === "true";

  function say(key, values) {
    return format(strings[key] || "", values);
  }

  var hasHashtag = posts.hasHashtag;
  var counted = posts.counted;
  var shareHref = posts.shareHref;

  function sharedMessage(text) {
    return posts.sharedMessage(text, disclosure, appended);
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
    var ok;
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

  var postBoxes = Array.prototype.slice.call(root.querySelectorAll("[data-share-post]"));
  var today = localToday();
  postBoxes.forEach(function (post) {
    // A site built earlier still holds posts that have expired since: the visitor's date decides.
    if (post.getAttribute("data-expires") < today) {
      post.setAttribute("data-expired", "true");
      post.hidden = true;
    }
  });
  var current = postBoxes.filter(function (post) { return !post.hasAttribute("data-expired"); });

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
