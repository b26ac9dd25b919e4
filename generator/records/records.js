/* Advocacy Portal: learning records (xAPI 1.0.3) for the company's own learning record store.
 *
 * Only in sites whose portal.yml switches learning records on. The portal's other scripts announce
 * what the employee does as `portal:record` events on the document ({event, kind, id, part, title,
 * fingerprint, result, version, network}); this script turns each into an xAPI statement, gives it
 * its id and its timestamp here and now (so that a retry is the same statement, stored once), and
 * queues it in localStorage. The queue is sent in batches when the learner is known and the LRS
 * answers; offline, or with the LRS down, statements wait and go later. Nothing personal is sent
 * but the learner's work e-mail or single-sign-on account name.
 */
(function () {
  "use strict";

  var lib = window.portalLib;
  var settings = readJson("portal-records");
  if (!settings) return;
  var STRINGS = readJson("portal-strings") || {};
  var QUEUE_KEY = "advocacy-portal:xapi-queue";
  var ACTOR_KEY = "advocacy-portal:xapi-actor";
  var LEASE_KEY = "advocacy-portal:xapi-sending";
  var LANGUAGE = document.documentElement.getAttribute("lang") || "en";
  var TAB = uuid();
  var vocabulary = settings.vocabulary;
  var actor = null;
  var identityProblem = null; // "signed-out" when the single sign-on says nobody is signed in
  var retryDelay = 0;
  var retryTimer = null;
  var sending = false;
  var lastError = null;
  var status = null;

  function readJson(id) {
    return lib.text.readData(id, null);
  }

  function t(key, values) {
    return lib.text.format(typeof STRINGS[key] === "string" ? STRINGS[key] : key, values);
  }

  /** A version 4 UUID; crypto.getRandomValues works on plain-http hosts too, unlike randomUUID. */
  function uuid() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- storage ----------------------------------------------------------------------------------

  function read(key, fallback) {
    try {
      var text = window.localStorage.getItem(key);
      return text ? JSON.parse(text) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function write(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false;
    }
  }

  function queue() { return read(QUEUE_KEY, []); }

  /** Take a lease on sending, so that two tabs never send the same statements at once. */
  function lease() {
    var now = Date.now();
    var held = read(LEASE_KEY, null);
    if (held && held.tab !== TAB && held.until > now) return false;
    write(LEASE_KEY, { tab: TAB, until: now + 20000 }); // longer than one request may take (15 s)
    held = read(LEASE_KEY, null);
    return !!held && held.tab === TAB;
  }

  function release() {
    var held = read(LEASE_KEY, null);
    if (held && held.tab === TAB) {
      try { window.localStorage.removeItem(LEASE_KEY); } catch (error) { /* nothing to undo */ }
    }
  }

  // --- statements -------------------------------------------------------------------------------

  function activity(kind, id, part, title) {
    var type = vocabulary.types[part === "check" ? "check" : part ? "question" : kind.replace(/s$/, "")];
    var made = { objectType: "Activity", id: vocabulary.base + kind + "/" + id + (part ? "/" + part : "") };
    made.definition = { type: type };
    if (title) {
      made.definition.name = {};
      made.definition.name[LANGUAGE] = title;
    }
    return made;
  }

  function statementFor(detail) {
    var verb = vocabulary.verbs[detail.event];
    if (!verb) return null;
    var display = {};
    display[LANGUAGE] = detail.event;
    var extensions = {};
    if (detail.fingerprint) extensions[vocabulary.fingerprint] = detail.fingerprint;
    if (detail.version) extensions[vocabulary.ackVersion] = detail.version;
    if (detail.network) extensions[vocabulary.network] = detail.network;
    var context = { language: LANGUAGE, platform: "Advocacy Portal" };
    if (Object.keys(extensions).length) context.extensions = extensions;
    if (detail.part) context.contextActivities = { parent: [activity(detail.kind, detail.id, null, detail.parentTitle)] };
    var statement = {
      id: uuid(),
      timestamp: new Date().toISOString(),
      verb: { id: verb, display: display },
      object: activity(detail.kind, detail.id, detail.part, detail.title),
      context: context,
    };
    if (detail.result) statement.result = detail.result;
    return statement;
  }

  function record(detail) {
    var statement = statementFor(detail || {});
    if (!statement) return;
    var items = queue();
    items.push(statement);
    write(QUEUE_KEY, items);
    showStatus();
    send();
    if (detail.event === "completed" && detail.kind === "lessons") checkPaths(detail.id);
  }

  // --- paths ------------------------------------------------------------------------------------

  var PATHS_KEY = "advocacy-portal:xapi-paths";
  var HERE = document.currentScript ? document.currentScript.src : null;

  /** The catalogue of paths (assets/portal-data.js), loaded once, the way the portal's script does. */
  function withCatalogue(done) {
    if (window.portalCatalogue) { done(window.portalCatalogue); return; }
    if (!HERE) { done(null); return; }
    lib.text.loadScript(new URL("portal-data.js", HERE).href, function () { done(window.portalCatalogue || null); });
  }

  /** After a lesson is completed: record each of its paths whose required lessons are now all done,
   * in their current versions, once for that set of versions. */
  function checkPaths(lessonId) {
    window.setTimeout(function () { // after the portal's script has stored the completion
      withCatalogue(function (catalogue) {
        if (!catalogue || !catalogue.paths) return;
        var progress = read("advocacy-portal:progress", {}) || {};
        var done = progress.lessons || {};
        var recorded = read(PATHS_KEY, {});
        Object.keys(catalogue.paths).forEach(function (pathId) {
          var path = catalogue.paths[pathId];
          var required = path.lessons.filter(function (lesson) { return lesson.required; });
          if (!required.some(function (lesson) { return lesson.id === lessonId; })) return;
          var complete = required.every(function (lesson) {
            return done[lesson.id] && done[lesson.id].fingerprint === lesson.fingerprint;
          });
          var versions = required.map(function (lesson) { return lesson.fingerprint; }).join(" ");
          if (!complete || recorded[pathId] === versions) return;
          recorded[pathId] = versions;
          write(PATHS_KEY, recorded);
          record({ event: "completed", kind: "paths", id: pathId, title: path.title, result: { completion: true } });
        });
      });
    }, 0);
  }

  // --- sending ----------------------------------------------------------------------------------

  function endpoint() {
    var base = settings.endpoint;
    return base.charAt(base.length - 1) === "/" ? base + "statements" : base + "/statements";
  }

  function schedule() {
    if (retryTimer) return;
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 5000, 300000);
    retryTimer = window.setTimeout(function () { retryTimer = null; send(); }, retryDelay);
  }

  function send() {
    if (sending || !actor) return;
    var items = queue();
    if (!items.length) { release(); return; }
    if (!lease()) { schedule(); return; }
    var batch = items.slice(0, settings.batch_size || 20).map(function (statement) {
      var copy = JSON.parse(JSON.stringify(statement));
      copy.actor = actor;
      return copy;
    });
    var headers = { "Content-Type": "application/json", "X-Experience-API-Version": vocabulary.version };
    if (settings.authorization) headers.Authorization = settings.authorization;
    sending = true;
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = window.setTimeout(function () { if (controller) controller.abort(); }, 15000);
    fetch(endpoint(), {
      method: "POST", headers: headers, body: JSON.stringify(batch), credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      if (response.ok || response.status === 409) return "sent"; // 409: already stored under these ids
      if (response.status === 400) return "refused";
      throw new Error("HTTP " + response.status);
    }).then(function (outcome) {
      var ids = {};
      batch.forEach(function (statement) { ids[statement.id] = true; });
      write(QUEUE_KEY, queue().filter(function (statement) { return !ids[statement.id]; }));
      lastError = outcome === "refused" ? "refused" : null;
      retryDelay = 0;
    }, function (error) {
      lastError = navigator.onLine === false ? "offline" : "unreachable";
      if (window.console) console.warn("advocacy portal: learning records not sent yet:", error && error.message);
    }).then(function () {
      window.clearTimeout(timeout);
      sending = false;
      release();
      showStatus();
      if (lastError === "offline" || lastError === "unreachable") schedule();
      else if (queue().length) send();
    });
  }

  // --- who the learner is -----------------------------------------------------------------------

  function allowedEmail(text) {
    var match = /^[^@\s]+@([^@\s]+)$/.exec(text.trim().toLowerCase());
    return !!match && settings.email_domains.indexOf(match[1]) >= 0;
  }

  function identify(done) {
    var saved = read(ACTOR_KEY, null);
    if (settings.identity === "email") {
      actor = saved && saved.mbox ? saved : null;
      done();
      return;
    }
    fetch(settings.identity_endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { identityProblem = "signed-out"; return null; }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (who) {
        if (who && who.account && who.account.name && who.account.homePage) {
          actor = { objectType: "Agent", account: { homePage: who.account.homePage, name: who.account.name } };
        } else if (who && typeof who.mbox === "string" && who.mbox.indexOf("mailto:") === 0) {
          actor = { objectType: "Agent", mbox: who.mbox };
        }
        done();
      }, function () { identityProblem = "unreachable"; done(); });
  }

  // --- the status line --------------------------------------------------------------------------

  function el(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    if (text) element.textContent = text;
    return element;
  }

  function emailForm() {
    var form = el("form", { class: "portal-records__form" });
    var id = "portal-records-email";
    var label = el("label", { for: id }, t("js_records_email_label", { domains: settings.email_domains.join(", ") }));
    var input = el("input", { id: id, type: "email", autocomplete: "email", required: "required", inputmode: "email",
      "aria-describedby": "portal-records-email-error" });
    var error = el("p", { id: "portal-records-email-error", class: "portal-records__error" });
    var save = el("button", { type: "submit", class: "portal-button portal-button--primary" }, t("js_records_email_save"));
    form.append(label, input, save, error);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!allowedEmail(input.value)) {
        error.textContent = t("js_records_email_wrong", { domains: settings.email_domains.join(", ") });
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      actor = { objectType: "Agent", mbox: "mailto:" + input.value.trim().toLowerCase() };
      write(ACTOR_KEY, actor);
      showStatus();
      send();
    });
    return form;
  }

  function showStatus() {
    if (!status) return;
    var waiting = queue().length;
    var parts = [];
    if (!actor && settings.identity === "email") {
      status.replaceChildren(el("p", {}, t("js_records_intro")), emailForm());
      return;
    }
    if (!actor) {
      parts.push(t(identityProblem === "signed-out" ? "js_records_signed_out" : "js_records_no_identity"));
    } else {
      var who = actor.mbox ? actor.mbox.slice(7) : actor.account.name;
      parts.push(t("js_records_as", { who: who }));
      if (lastError === "refused") parts.push(t("js_records_refused"));
      else if (waiting && lastError) parts.push(t("js_records_waiting_offline", { n: waiting }));
      else if (waiting) parts.push(t("js_records_waiting", { n: waiting }));
    }
    var line = el("p", {}, parts.join(" "));
    var children = [line];
    if (actor && settings.identity === "email") {
      var change = el("button", { type: "button", class: "portal-records__change" }, t("js_records_change"));
      change.addEventListener("click", function () {
        actor = null;
        try { window.localStorage.removeItem(ACTOR_KEY); } catch (error) { /* nothing stored */ }
        showStatus();
        var input = document.getElementById("portal-records-email");
        if (input) input.focus();
      });
      children.push(change);
    }
    status.replaceChildren.apply(status, children);
  }

  function placeStatus() {
    var content = document.querySelector(".md-content__inner");
    if (!content) return;
    status = el("section", { class: "portal-records", role: "status", "aria-live": "polite",
      "aria-label": t("js_records_region") });
    var heading = content.querySelector("h1");
    if (heading && heading.nextSibling) heading.parentNode.insertBefore(status, heading.nextSibling);
    else content.prepend(status);
  }

  // --- start ------------------------------------------------------------------------------------

  var early = [];
  document.addEventListener("portal:record", function (event) {
    if (early) early.push(event.detail);
    else record(event.detail);
  });
  window.addEventListener("online", function () { retryDelay = 0; send(); });
  window.addEventListener("pagehide", release);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) send(); });
  window.addEventListener("storage", function (event) { if (event.key === QUEUE_KEY || event.key === ACTOR_KEY) {
    actor = settings.identity === "email" ? read(ACTOR_KEY, null) : actor;
    showStatus();
  } });

  // --- policy acknowledgements --------------------------------------------------------------------

  function pageTitle() {
    var heading = document.querySelector(".md-content__inner h1");
    return heading ? heading.textContent.replace(/\u00b6/g, "").trim() : document.title;
  }

  function formatDay(iso) {
    try {
      return new Intl.DateTimeFormat(LANGUAGE, { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso + "T00:00:00Z"));
    } catch (error) {
      return iso;
    }
  }

  function placeAcknowledgement(page) {
    var wanted = page.acknowledge;
    var content = document.querySelector(".md-content__inner");
    if (!wanted || !content) return;
    var key = "advocacy-portal:ack:" + page.kind + "/" + page.id;
    var box = el("section", { class: "portal-ack admonition", "aria-labelledby": "portal-ack-title" });
    content.append(box);
    function render() {
      var done = read(key, null);
      var title = el("h2", { id: "portal-ack-title" }, t("js_records_ack_title"));
      var text = el("p", { class: "portal-ack__text" }, wanted.text);
      var note = el("p", { class: "portal-ack__status", role: "status" });
      var children = [title, text];
      if (done && done.version === wanted.version) {
        note.textContent = t("js_records_ack_done", { date: formatDay(done.date), version: formatDay(wanted.version) });
        children.push(note);
      } else {
        if (done) {
          note.textContent = t("js_records_ack_again", { version: formatDay(wanted.version) });
          children.push(note);
        }
        var confirm = el("button", { type: "button", class: "portal-button portal-button--primary" }, t("js_records_ack_button"));
        confirm.addEventListener("click", function () {
          record({ event: "agreed", kind: page.kind, id: page.id, title: pageTitle(), version: wanted.version,
                   fingerprint: page.fingerprint || undefined });
          write(key, { version: wanted.version, date: new Date().toISOString().slice(0, 10) });
          render();
          var status_ = box.querySelector(".portal-ack__status");
          if (status_) { status_.setAttribute("tabindex", "-1"); status_.focus(); }
        });
        children.push(confirm);
      }
      box.replaceChildren.apply(box, children);
    }
    render();
  }

  function start() {
    placeStatus();
    var page = readJson("portal-records-page");
    if (page) placeAcknowledgement(page);
    identify(function () {
      var pending = early;
      early = null;
      if (page) record({ event: "experienced", kind: page.kind, id: page.id, title: pageTitle(), fingerprint: page.fingerprint || undefined });
      pending.forEach(record);
      showStatus();
      send();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.portalRecords = { record: function (detail) { document.dispatchEvent(new CustomEvent("portal:record", { detail: detail })); } };
})();
