/* Advocacy Portal in an LMS: reports a lesson's knowledge check to SCORM 1.2, SCORM 2004 or cmi5.
 *
 * Only in the pages of a package made by `portal export`. The settings are in #portal-lms (the
 * standard, the lesson, its pass mark). The portal's own script judges the answers and announces
 * what happened as `portal:record` events on the document; this script only listens and tells the
 * LMS: each answer as an interaction, the score, passed or failed, completion and the time spent.
 * The lesson's state comes from the LMS (SCORM's suspend data), not from this browser's storage: it
 * is written into the portal's storage before the portal's script reads it, so the page shows what
 * the LMS knows about this learner and nothing left by someone else on a shared computer.
 */
(function () {
  "use strict";

  var element = document.getElementById("portal-lms");
  if (!element) return;
  var settings;
  try { settings = JSON.parse(element.textContent); } catch (error) { return; }
  var STORE_KEY = "advocacy-portal:progress";
  var started = new Date();
  var finished = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** The SCORM runtime the LMS put in a window above this one (or in the window that opened it). */
  function findApi(name) {
    var places = [];
    for (var win = window, depth = 0; win && depth < 12; depth += 1) {
      places.push(win);
      if (win.parent === win) break;
      win = win.parent;
    }
    if (window.opener) places.push(window.opener);
    for (var i = 0; i < places.length; i += 1) {
      try {
        if (places[i][name]) return places[i][name];
      } catch (error) {
        // a window of another origin: not ours to read
      }
    }
    return null;
  }

  // --- the portal's storage, seeded from the LMS ---------------------------------------------

  function seed(saved) {
    var state;
    try { state = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null"); } catch (error) { state = null; }
    if (!state || typeof state !== "object" || !state.lessons) state = { version: 1, role: null, name: "", lessons: {} };
    if (saved && saved.completed) {
      var record = { fingerprint: saved.fingerprint || settings.fingerprint, completed: saved.completed };
      if (typeof saved.score === "number") { record.score = saved.score; record.total = saved.total; }
      state.lessons[settings.lesson] = record;
    } else {
      delete state.lessons[settings.lesson];
    }
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (error) { /* no storage: nothing shown */ }
  }

  function readSaved(text) {
    try {
      var saved = JSON.parse(text || "null");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {};
    }
  }

  // --- SCORM 1.2 and 2004 --------------------------------------------------------------------

  function scorm(version) {
    var is2004 = version === "2004";
    var api = findApi(is2004 ? "API_1484_11" : "API");
    if (!api) return null; // opened outside an LMS: the page works as on the site
    var call = is2004
      ? { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", end: "Terminate" }
      : { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", end: "LMSFinish" };
    function get(name) { return String(api[call.get](name)); }
    function set(name, value) { return api[call.set](name, String(value)); }
    api[call.init]("");
    var saved = readSaved(get("cmi.suspend_data"));
    seed(saved);
    var interactions = parseInt(get("cmi.interactions._count"), 10) || 0;

    function sessionTime() {
      var seconds = Math.max(0, Math.round((new Date() - started) / 1000));
      if (is2004) return "PT" + Math.floor(seconds / 3600) + "H" + Math.floor((seconds % 3600) / 60) + "M" + (seconds % 60) + "S";
      return pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor((seconds % 3600) / 60)) + ":" + pad(seconds % 60);
    }

    function save() {
      set("cmi.suspend_data", JSON.stringify(saved));
      api[call.commit]("");
    }

    if (is2004) {
      if (get("cmi.completion_status") === "unknown") set("cmi.completion_status", saved.completed ? "completed" : "incomplete");
      set("cmi.exit", "suspend");
    } else {
      if (get("cmi.core.lesson_status") === "not attempted") set("cmi.core.lesson_status", "incomplete");
      set("cmi.core.exit", "suspend");
    }
    save();

    return {
      answered: function (detail) {
        var n = "cmi.interactions." + interactions + ".";
        var right = detail.result && detail.result.success;
        var response = "option-" + (parseInt(detail.result && detail.result.response, 10) + 1);
        var number = String(detail.part || "").split("/").pop();
        if (is2004) {
          var now = new Date();
          set(n + "id", settings.iri + "/" + detail.part);
          set(n + "type", "choice");
          set(n + "timestamp", now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) + "T" +
            pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds()));
          set(n + "learner_response", response);
          set(n + "result", right ? "correct" : "incorrect");
          if (detail.title) set(n + "description", detail.title.slice(0, 250));
        } else {
          set(n + "id", "check-" + number);
          set(n + "type", "choice");
          set(n + "student_response", response);
          set(n + "result", right ? "correct" : "wrong");
          var time = new Date();
          set(n + "time", pad(time.getHours()) + ":" + pad(time.getMinutes()) + ":" + pad(time.getSeconds()));
        }
        interactions += 1;
      },
      judged: function (detail, passed) {
        var score = detail.result.score;
        saved.attempts = (saved.attempts || 0) + 1;
        saved.best = Math.max(saved.best || 0, score.raw);
        if (is2004) {
          set("cmi.score.min", score.min);
          set("cmi.score.max", score.max);
          set("cmi.score.raw", score.raw);
          set("cmi.score.scaled", Math.round(score.scaled * 10000) / 10000);
          set("cmi.success_status", passed ? "passed" : "failed");
          if (!saved.completed) set("cmi.completion_status", passed ? "completed" : "incomplete");
        } else {
          set("cmi.core.score.min", 0);
          set("cmi.core.score.max", 100);
          set("cmi.core.score.raw", Math.round(100 * score.scaled));
          // once passed, a later try does not take the pass back
          if (!saved.completed) set("cmi.core.lesson_status", passed ? "passed" : "failed");
        }
        if (passed) {
          saved.score = score.raw;
          saved.total = score.max;
        }
        save();
      },
      completed: function () {
        if (!saved.completed) {
          saved.completed = new Date().toISOString();
          saved.fingerprint = settings.fingerprint;
        }
        if (is2004) {
          set("cmi.completion_status", "completed");
          // a lesson without a check is satisfied once read: the next lesson opens in the LMS's order
          if (!settings.passMark) set("cmi.success_status", "passed");
        } else if (!settings.passMark) {
          set("cmi.core.lesson_status", "completed");
        }
        save();
      },
      finish: function () {
        set(is2004 ? "cmi.session_time" : "cmi.core.session_time", sessionTime());
        save();
        api[call.end]("");
      },
    };
  }

  // --- cmi5 ----------------------------------------------------------------------------------

  function cmi5() {
    var query = new URLSearchParams(window.location.search);
    var launch = {
      endpoint: query.get("endpoint"), fetchUrl: query.get("fetch"), actor: query.get("actor"),
      registration: query.get("registration"), activityId: query.get("activityId"),
    };
    if (!launch.endpoint || !launch.fetchUrl || !launch.actor || !launch.registration || !launch.activityId) return null;
    seed(null); // until the LMS says what this learner did (below), the lesson shows as to do
    var endpoint = launch.endpoint.charAt(launch.endpoint.length - 1) === "/" ? launch.endpoint : launch.endpoint + "/";
    var actor = JSON.parse(launch.actor);
    var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
    var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
    var SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
    var session = null;
    var token = null;
    var launchData = null;
    var waiting = [];
    var state = { passed: false, completed: false, terminated: false };
    var sendChain = Promise.resolve();

    function uuid() {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
      return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
    }

    function duration() {
      var ms = Math.max(0, new Date() - started);
      return "PT" + (Math.round(ms / 10) / 100) + "S";
    }

    function statement(verb, options) {
      options = options || {};
      var context = JSON.parse(JSON.stringify((launchData && launchData.contextTemplate) || {}));
      context.registration = launch.registration;
      context.extensions = context.extensions || {};
      context.extensions[SESSION] = session;
      context.extensions[settings.vocabulary.fingerprint] = settings.fingerprint;
      context.language = settings.language;
      context.contextActivities = context.contextActivities || {};
      var categories = options.categories || [];
      if (categories.length) {
        context.contextActivities.category = (context.contextActivities.category || []).concat(
          categories.map(function (id) { return { id: id, objectType: "Activity" }; }));
      }
      var made = {
        id: uuid(), timestamp: new Date().toISOString(), actor: actor,
        verb: { id: settings.vocabulary.verbs[verb] || verb, display: { "en-US": verb } },
        object: options.object || { id: launch.activityId, objectType: "Activity" },
        context: context,
      };
      if (options.result) made.result = options.result;
      if (options.parent) context.contextActivities.parent = [{ id: launch.activityId, objectType: "Activity" }];
      return made;
    }

    function post(made, keepalive) {
      sendChain = sendChain.then(function () {
        return fetch(endpoint + "statements", {
          method: "POST", keepalive: Boolean(keepalive),
          headers: { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3", Authorization: token },
          body: JSON.stringify(made),
        }).then(function (response) {
          if (!response.ok && window.console) console.warn("advocacy portal: the LMS refused a statement:", response.status);
        }, function (error) {
          if (window.console) console.warn("advocacy portal: statement not sent:", error && error.message);
        });
      });
      return sendChain;
    }

    function send(verb, options, keepalive) {
      if (!token) { waiting.push([verb, options]); return; }
      post(statement(verb, options), keepalive);
    }

    var VERBS = {
      initialized: "http://adlnet.gov/expapi/verbs/initialized",
      terminated: "http://adlnet.gov/expapi/verbs/terminated",
    };
    settings.vocabulary.verbs.initialized = VERBS.initialized;
    settings.vocabulary.verbs.terminated = VERBS.terminated;

    fetch(launch.fetchUrl, { method: "POST" }).then(function (response) {
      if (!response.ok) throw new Error("fetch URL answered " + response.status);
      return response.json();
    }).then(function (answer) {
      if (!answer["auth-token"]) throw new Error("no auth-token");
      token = "Basic " + answer["auth-token"];
      var url = endpoint + "activities/state?" + new URLSearchParams({
        stateId: "LMS.LaunchData", activityId: launch.activityId, agent: JSON.stringify(actor), registration: launch.registration,
      });
      return fetch(url, { headers: { "X-Experience-API-Version": "1.0.3", Authorization: token } });
    }).then(function (response) {
      if (!response.ok) throw new Error("LMS.LaunchData answered " + response.status);
      return response.json();
    }).then(function (data) {
      launchData = data;
      session = (data.contextTemplate && data.contextTemplate.extensions && data.contextTemplate.extensions[SESSION]) || uuid();
      post(statement("initialized", { categories: [CMI5] }));
      waiting.splice(0).forEach(function (item) { post(statement(item[0], item[1])); });
      return fetch(stateUrl(STATE_ID), { headers: { "X-Experience-API-Version": "1.0.3", Authorization: token } });
    }).then(function (response) {
      // The lesson's own state document at the LMS (cmi5's place for what SCORM calls suspend data).
      if (response.status === 404) return {};
      if (!response.ok) throw new Error("the lesson's state answered " + response.status);
      return response.json();
    }).then(function (data) {
      saved = Object.assign(data && typeof data === "object" ? data : {}, saved);
      seed(saved);
      // the portal's script redraws the lesson's state on this event, as when another tab changed it
      window.dispatchEvent(new StorageEvent("storage", { key: STORE_KEY }));
    }).catch(function (error) {
      if (window.console) console.warn("advocacy portal: cmi5 launch failed:", error && error.message);
    });

    function normal() { return !launchData || launchData.launchMode === "Normal"; }

    var STATE_ID = "advocacy-portal.lesson";
    var saved = {};

    function stateUrl(stateId) {
      return endpoint + "activities/state?" + new URLSearchParams({
        stateId: stateId, activityId: launch.activityId, agent: JSON.stringify(actor), registration: launch.registration,
      });
    }

    function keep() {
      if (!token) return;
      sendChain = sendChain.then(function () {
        return fetch(stateUrl(STATE_ID), {
          method: "PUT", body: JSON.stringify(saved),
          headers: { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3", Authorization: token },
        }).catch(function () { /* kept next time */ });
      });
    }

    return {
      answered: function (detail) {
        // cmi5 allows statements of its own ("cmi5 allowed") beside the defined ones; no cmi5 category.
        send("answered", {
          object: {
            id: settings.iri + "/" + detail.part, objectType: "Activity",
            definition: { type: settings.vocabulary.types.question, interactionType: "choice", name: { und: detail.title || detail.part } },
          },
          result: { success: Boolean(detail.result.success), response: "option-" + (parseInt(detail.result.response, 10) + 1) },
          parent: true,
        });
      },
      judged: function (detail, passed) {
        if (!normal()) return;
        // cmi5: one passed per registration; a failed only before any pass
        if (state.passed) return;
        var score = detail.result.score;
        var result = { success: passed, score: { raw: score.raw, min: score.min, max: score.max, scaled: score.scaled }, duration: duration() };
        if (passed) {
          state.passed = true;
          saved.score = score.raw;
          saved.total = score.max;
        }
        send(passed ? "passed" : "failed", { result: result, categories: [CMI5, MOVEON] });
      },
      completed: function () {
        if (!normal() || state.completed) return;
        state.completed = true;
        if (!saved.completed) {
          saved.completed = new Date().toISOString();
          saved.fingerprint = settings.fingerprint;
          keep();
        }
        send("completed", { result: { completion: true, duration: duration() }, categories: [CMI5, MOVEON] });
      },
      finish: function () {
        if (state.terminated || !token) return;
        state.terminated = true;
        post(statement("terminated", { result: { duration: duration() }, categories: [CMI5] }), true);
      },
      exit: function () {
        var back = launchData && launchData.returnURL;
        this.finish();
        if (back) sendChain.then(function () { window.location.href = back; });
      },
    };
  }

  var lms = settings.standard === "cmi5" ? cmi5() : scorm(settings.standard === "scorm12" ? "1.2" : "2004");
  if (!lms) return;
  window.portalLms = lms;

  document.addEventListener("portal:record", function (event) {
    var detail = event.detail || {};
    if (detail.kind !== "lessons" || detail.id !== settings.lesson || finished) return;
    if (detail.event === "answered") lms.answered(detail);
    else if (detail.event === "passed" || detail.event === "failed") lms.judged(detail, detail.event === "passed");
    else if (detail.event === "completed") lms.completed(detail);
  });

  function finish() {
    if (finished) return;
    finished = true;
    lms.finish();
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();
