/* Advocacy Portal: role choice, progress, knowledge checks and certificates, kept in this browser only.
 *
 * Nothing here talks to a server: progress lives in localStorage, an export is a file made in the
 * browser, an import is a file the employee picks. The pages carry hooks for this script (hidden
 * elements with data-portal-* attributes naming a path or lesson by id, written by the generator);
 * the facts about every role, path and lesson come from assets/portal-data.js beside this file,
 * loaded only on the pages that show progress. Without JavaScript the hooks stay hidden and every
 * page still reads as plain content. Every text shown comes from the page's #portal-strings (the
 * `js_*` interface strings of the built language).
 */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("portal-js");

  var STORE_KEY = "advocacy-portal:progress";
  // The chosen role also alone, as plain text, for other pages of the portal (the share page's filter).
  var ROLE_KEY = "advocacy-portal:role";
  var EXPORT_FORMAT = "advocacy-portal-progress";
  var lib = window.portalLib;
  var STRINGS = lib.text.readData("portal-strings", {});
  var LANGUAGE = root.getAttribute("lang") || "en";
  var memory = null; // used when the browser refuses localStorage (private mode, policies)
  // This file is assets/portal.js: the site root and the catalogue are found from where it was loaded.
  var HERE = document.currentScript ? document.currentScript.src : null;
  var CATALOGUE_FILE = "portal-data.js";
  var catalogue = null; // every role, path and lesson, once assets/portal-data.js has loaded
  var renderers = [];
  var uid = 0;

  // --- text ------------------------------------------------------------------------------------

  /** The interface string `key` with its {placeholders} filled in, as text. */
  function t(key, values) {
    return fill(key, values).textContent;
  }

  /** The interface string `key` as nodes: placeholders may be text or elements (links). */
  function fill(key, values) {
    var text = STRINGS[key];
    if (typeof text !== "string") {
      text = key;
      if (window.console) console.warn("advocacy portal: no interface string " + key);
    }
    var fragment = document.createDocumentFragment();
    lib.text.formatParts(text, values).forEach(function (part) {
      fragment.append(part instanceof Node ? part : String(part));
    });
    return fragment;
  }

  function formatDate(iso) {
    var date = new Date(iso);
    try {
      return new Intl.DateTimeFormat(LANGUAGE, { dateStyle: "long" }).format(date);
    } catch (error) {
      return date.toISOString().slice(0, 10);
    }
  }

  /** The text of an element as an isolated run, keeping the language its text is marked with. */
  function isolated(node) {
    var marked = node.querySelector("[lang]");
    return el("bdi", { text: node.textContent.trim(), lang: marked ? marked.getAttribute("lang") : null });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  function link(href, text) {
    return el("a", { href: href, text: text });
  }

  function button(text, className) {
    return el("button", { type: "button", className: "portal-button" + (className ? " " + className : ""), text: text });
  }

  function nextId(prefix) {
    uid += 1;
    return "portal-" + prefix + "-" + uid;
  }

  /** Tell the page's other scripts (learning records, an LMS package's adapter) what the employee
   * did: a `portal:record` event on the document, {event, kind, id, part, title, result, fingerprint}. */
  function announce(detail) {
    try {
      document.dispatchEvent(new CustomEvent("portal:record", { detail: detail }));
    } catch (error) {
      // a listener's failure must not stop the check
    }
  }

  // --- what is stored --------------------------------------------------------------------------
  // { version: 1, role: "role-id" | null, name: "typed name", lessons: { "lesson-id":
  //   { fingerprint: "content hash when completed", completed: "ISO date", score?: n, total?: n } } }

  function emptyState() {
    return { version: 1, role: null, name: "", lessons: {} };
  }

  /** A clean state from stored or imported data; null when it is not progress at all. */
  function normalise(data) {
    if (!data || typeof data !== "object" || Array.isArray(data)) return null;
    var source = data.lessons;
    if (!source || typeof source !== "object" || Array.isArray(source)) return null;
    var state = emptyState();
    Object.keys(source).forEach(function (id) {
      var record = source[id];
      if (!record || typeof record.fingerprint !== "string" || typeof record.completed !== "string") return;
      if (isNaN(Date.parse(record.completed))) return;
      var clean = { fingerprint: record.fingerprint, completed: new Date(record.completed).toISOString() };
      if (Number.isInteger(record.score) && Number.isInteger(record.total)) {
        clean.score = record.score;
        clean.total = record.total;
      }
      state.lessons[id] = clean;
    });
    if (typeof data.role === "string" && data.role) state.role = data.role;
    if (typeof data.name === "string") state.name = data.name.slice(0, 200);
    return state;
  }

  function load() {
    if (memory) return JSON.parse(JSON.stringify(memory));
    try {
      var raw = window.localStorage.getItem(STORE_KEY);
      return (raw && normalise(JSON.parse(raw))) || emptyState();
    } catch (error) {
      return emptyState();
    }
  }

  function save(state) {
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(state));
      if (state.role) window.localStorage.setItem(ROLE_KEY, state.role);
      else window.localStorage.removeItem(ROLE_KEY);
      memory = null;
    } catch (error) {
      memory = JSON.parse(JSON.stringify(state));
    }
  }

  /** Change the stored state and redraw everything that shows it. */
  function update(change) {
    var state = load();
    change(state);
    save(state);
    renderAll();
  }

  function renderAll() {
    var state = load();
    renderers.forEach(function (render) {
      render(state);
    });
  }

  function complete(state, id, fingerprint, score, total) {
    var record = { fingerprint: fingerprint, completed: new Date().toISOString() };
    if (typeof score === "number") {
      record.score = score;
      record.total = total;
    }
    state.lessons[id] = record;
  }

  // --- progress through a path -----------------------------------------------------------------

  /** "todo", "done" (completed in its current version) or "updated" (completed, changed since). */
  function lessonStatus(state, id, fingerprint) {
    var record = state.lessons[id];
    if (!record) return { status: "todo" };
    return { status: record.fingerprint === fingerprint ? "done" : "updated", record: record };
  }

  function summarise(state, lessons) {
    var required = lessons.filter(function (lesson) { return lesson.required; });
    if (!required.length) required = lessons;
    var summary = { total: lessons.length, done: 0, minutesLeft: 0, next: null, updated: [], completedOn: null };
    var openRequired = 0;
    lessons.forEach(function (lesson) {
      var status = lessonStatus(state, lesson.id, lesson.fingerprint);
      lesson.state = status;
      if (status.status === "done") {
        summary.done += 1;
        if (required.indexOf(lesson) >= 0 && (!summary.completedOn || status.record.completed > summary.completedOn)) {
          summary.completedOn = status.record.completed;
        }
        return;
      }
      summary.minutesLeft += lesson.minutes;
      if (!summary.next) summary.next = lesson;
      if (status.status === "updated") summary.updated.push(lesson);
      if (required.indexOf(lesson) >= 0) openRequired += 1;
    });
    summary.complete = lessons.length > 0 && openRequired === 0;
    return summary;
  }

  /** A path's progress: counts, a bar, lessons updated since completion, the next lesson. */
  function progressView(state, path) {
    var summary = summarise(state, path.lessons);
    var text = t("js_progress_done", { done: summary.done, total: summary.total });
    var bar = el("div", {
      className: "portal-progress__bar",
      role: "progressbar",
      "aria-label": t("js_progress_label", { path: path.title }),
      "aria-valuemin": "0",
      "aria-valuemax": String(summary.total),
      "aria-valuenow": String(summary.done),
      "aria-valuetext": text,
    }, [el("span", { className: "portal-progress__fill" })]);
    bar.firstChild.style.width = (summary.total ? (100 * summary.done) / summary.total : 0) + "%";
    var view = el("div", { className: "portal-progress__view" + (summary.complete ? " portal-progress--complete" : "") }, [
      el("p", { className: "portal-progress__summary" }, [
        el("span", { text: text }), " · ", el("span", { text: t("js_progress_minutes_left", { n: summary.minutesLeft }) }),
      ]),
      bar,
    ]);
    if (summary.updated.length) {
      var links = el("span");
      summary.updated.forEach(function (lesson, index) {
        if (index) links.append(", ");
        links.append(link(lesson.url, lesson.title));
      });
      view.append(el("p", { className: "portal-progress__updated" }, [fill("js_progress_updated", { lessons: links })]));
    }
    if (summary.complete) {
      var done = el("p", { className: "portal-progress__complete" }, [el("strong", { text: t("js_progress_complete") })]);
      if (path.certificate) done.append(" ", link(path.certificate, t("js_progress_certificate")));
      view.append(done);
    }
    if (summary.next) {
      var next = summary.next;
      view.append(el("p", { className: "portal-progress__next" }, [
        fill(summary.complete ? "js_progress_next_optional" : "js_progress_next", { lesson: link(next.url, next.title) }),
        " ",
        el("span", { className: "portal-progress__meta", text: t("js_progress_next_meta", { n: next.minutes, day: next.due_day }) }),
      ]));
    }
    return view;
  }

  /** The path a hook names by its data-path-id, or null (unknown: the hook stays hidden). */
  function pathFrom(element) {
    var id = element.getAttribute("data-path-id");
    return catalogue && Object.prototype.hasOwnProperty.call(catalogue.paths, id) ? catalogue.paths[id] : null;
  }

  function initProgress(element) {
    var path = pathFrom(element);
    if (!path) return;
    element.hidden = false;
    renderers.push(function (state) {
      element.replaceChildren(progressView(state, path));
    });
    // The path's table of steps just below gets a column with each lesson's state.
    var steps = element.parentNode.querySelector('[data-portal-steps][data-path-id="' + cssEscape(path.id) + '"] table');
    if (steps) initStepsTable(steps, path);
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  function initStepsTable(table, path) {
    var headRow = table.tHead && table.tHead.rows[0];
    var rows = table.tBodies[0] ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
    if (!headRow || rows.length !== path.lessons.length) return;
    headRow.append(el("th", { scope: "col", text: t("js_steps_status") }));
    var cells = rows.map(function (row) {
      var cell = el("td", { className: "portal-steps__status" });
      row.append(cell);
      return cell;
    });
    renderers.push(function (state) {
      path.lessons.forEach(function (lesson, index) {
        var status = lessonStatus(state, lesson.id, lesson.fingerprint).status;
        cells[index].className = "portal-steps__status portal-steps__status--" + status;
        var label = status === "done" ? t("js_status_done") : status === "updated" ? t("js_status_updated") : t("js_status_todo");
        cells[index].replaceChildren(el("span", { text: label }));
      });
    });
  }

  // --- role choice -----------------------------------------------------------------------------

  function initRolePick(element) {
    var roleId = element.getAttribute("data-role-id");
    var roleTitle = element.getAttribute("data-role-title");
    var status = el("p", { className: "portal-role-pick__status", role: "status" });
    var action = button("", "portal-button--primary");
    element.replaceChildren(status, action);
    element.hidden = false;
    action.addEventListener("click", function () {
      update(function (state) {
        state.role = state.role === roleId ? null : roleId;
      });
    });
    renderers.push(function (state) {
      var mine = state.role === roleId;
      element.classList.toggle("portal-role-pick--mine", mine);
      status.textContent = mine ? t("js_role_is_yours", { role: roleTitle }) : "";
      action.textContent = mine ? t("js_role_forget") : t("js_role_pick", { role: roleTitle });
      action.setAttribute("aria-pressed", mine ? "true" : "false");
    });
  }

  // --- lessons ---------------------------------------------------------------------------------

  function lessonFacts() {
    var element = document.querySelector("[data-portal-lesson]");
    if (!element) return null;
    return {
      element: element,
      id: element.getAttribute("data-lesson-id"),
      fingerprint: element.getAttribute("data-fingerprint"),
      hasCheck: element.getAttribute("data-has-check") === "true",
    };
  }

  /** The lesson's state at its top: done, to do, or updated since completed. */
  function initLessonStatus(lesson) {
    var element = lesson.element;
    element.hidden = false;
    renderers.push(function (state) {
      var status = lessonStatus(state, lesson.id, lesson.fingerprint);
      element.className = "portal-lesson-status portal-lesson-status--" + status.status;
      var parts = [];
      if (status.status === "done") {
        parts.push(el("strong", { text: t("js_lesson_done", { date: formatDate(status.record.completed) }) }));
        if (typeof status.record.score === "number") {
          parts.push(" ", t("js_lesson_score", { n: status.record.score, total: status.record.total }));
        }
      } else if (status.status === "updated") {
        parts.push(el("strong", { className: "portal-updated", text: t("js_lesson_updated", { date: formatDate(status.record.completed) }) }));
        parts.push(" ", t(lesson.hasCheck ? "js_lesson_review_check" : "js_lesson_review"));
      } else if (lesson.hasCheck) {
        parts.push(fill("js_lesson_todo_check", { check: link("#check-title", t("js_lesson_check_link")) }));
      } else {
        parts.push(t("js_lesson_todo"));
      }
      element.replaceChildren(el("p", {}, parts));
    });
  }

  /** "Mark as complete" at the end of a lesson without a knowledge check. */
  function initLessonEnd(element, lesson) {
    var status = el("p", { className: "portal-lesson-end__status", role: "status" });
    var action = button("", "portal-button--primary");
    element.replaceChildren(action, status);
    element.hidden = false;
    var current = "todo";
    action.addEventListener("click", function () {
      var completing = current !== "done";
      update(function (state) {
        if (current === "done") delete state.lessons[lesson.id];
        else complete(state, lesson.id, lesson.fingerprint);
      });
      if (completing) announce({ event: "completed", kind: "lessons", id: lesson.id, fingerprint: lesson.fingerprint, result: { completion: true } });
    });
    renderers.push(function (state) {
      var status_ = lessonStatus(state, lesson.id, lesson.fingerprint);
      current = status_.status;
      action.textContent = t(current === "done" ? "js_mark_not_complete" : current === "updated" ? "js_mark_reviewed" : "js_mark_complete");
      action.classList.toggle("portal-button--primary", current !== "done");
      status.textContent = current === "done" ? t("js_lesson_done", { date: formatDate(status_.record.completed) }) : "";
    });
  }

  /** Load assets/`file` (beside this script) once; `done(true)` when it ran, `done(false)` if not. */
  function loadAsset(file, done) {
    if (!HERE) {
      done(false);
      return;
    }
    lib.text.loadScript(new URL(file, HERE).href, done);
  }

  /** A new order for the items of `list`, never the one they are in (when there are two or more). */
  function shuffleList(list) {
    var items = Array.prototype.slice.call(list.children);
    if (items.length < 2) return;
    var order = items.slice();
    function same() {
      return order.every(function (item, index) { return item === items[index]; });
    }
    for (var attempt = 0; attempt < 8 && same(); attempt += 1) {
      for (var i = order.length - 1; i > 0; i -= 1) {
        var j = Math.floor(Math.random() * (i + 1));
        var swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }
    if (same()) order.push(order.shift());
    order.forEach(function (item) { list.append(item); });
  }

  /** The knowledge check: answer, check, see which questions are not right yet (with their hints),
   * try again with the options in a new order; passing completes the lesson. The page holds no
   * readable answer key: an answer is checked against a salted hash (assets/portal-hash.js), and
   * with `reveal: after_pass` each explanation opens only with its question's right answer. */
  function initCheck(section, lesson) {
    var fieldsets = Array.prototype.slice.call(section.querySelectorAll("fieldset[data-hash]"));
    if (!fieldsets.length) return;
    var reveal = section.getAttribute("data-reveal") || "after_pass";
    var passMark = parseInt(section.getAttribute("data-pass-mark"), 10) || fieldsets.length;
    var form = el("form", { className: "portal-check__form", novalidate: true });
    var earlier = el("p", { className: "portal-check__earlier" });
    var submit = el("button", { type: "submit", className: "portal-button portal-button--primary", text: t("js_check_submit") });
    var retry = button(t("js_check_retry"));
    retry.hidden = true;
    var result = el("p", { className: "portal-check__result", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    fieldsets[0].before(earlier, form);
    var questions = fieldsets.map(function (fieldset, index) {
      form.append(fieldset);
      var feedbackId = nextId("feedback");
      var feedback = el("p", { className: "portal-question__feedback", id: feedbackId, hidden: true });
      var explanation = fieldset.querySelector(".portal-explanation");
      var hint = fieldset.querySelector(".portal-hint");
      var list = fieldset.querySelector(".portal-options");
      list.after(feedback);
      fieldset.setAttribute("aria-describedby", feedbackId);
      var answer = explanation && explanation.getAttribute("data-answer");
      return {
        fieldset: fieldset,
        list: list,
        inputs: Array.prototype.slice.call(fieldset.querySelectorAll('input[type="radio"]')),
        salt: fieldset.getAttribute("data-salt"),
        hash: fieldset.getAttribute("data-hash"),
        answer: answer === null || answer === undefined ? null : parseInt(answer, 10),
        hint: hint ? hint.textContent : "",
        hintLang: hint ? hint.getAttribute("lang") : null,
        feedback: feedback,
        explanation: explanation,
        number: index + 1,
      };
    });
    form.append(el("div", { className: "portal-check__actions" }, [submit, retry]), result);
    questions.forEach(function (q) { shuffleList(q.list); });
    loadAsset("portal-hash.js", function () {}); // ready before the first answer, usually

    function chosen(question) {
      for (var i = 0; i < question.inputs.length; i += 1) {
        if (question.inputs[i].checked) return question.inputs[i].value;
      }
      return null;
    }

    /** The first radio button of `question` as it is shown now (its order changes). */
    function firstInput(question) {
      return question.list.querySelector('input[type="radio"]');
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var unanswered = questions.filter(function (q) { return chosen(q) === null; });
      if (unanswered.length) {
        result.className = "portal-check__result portal-check__result--incomplete";
        result.textContent = t("js_check_unanswered", { n: questions.length - unanswered.length, total: questions.length });
        firstInput(unanswered[0]).focus();
        return;
      }
      submit.disabled = true;
      loadAsset("portal-hash.js", function (loaded) {
        submit.disabled = false;
        if (!loaded || !window.portalHash) {
          result.className = "portal-check__result portal-check__result--incomplete";
          result.textContent = t("js_check_unavailable");
          return;
        }
        grade(window.portalHash);
      });
    });

    function grade(hashing) {
      var wrong = [];
      questions.forEach(function (q) {
        q.choice = chosen(q);
        q.right = hashing.answerHash(q.salt, q.choice) === q.hash;
        if (!q.right) wrong.push(q);
      });
      var score = questions.length - wrong.length;
      var passed = score >= passMark;
      var heading = section.querySelector("#check-title");
      questions.forEach(function (q) {
        var legend = q.fieldset.querySelector("legend");
        announce({ event: "answered", kind: "lessons", id: lesson.id, part: "check/q" + q.number, fingerprint: lesson.fingerprint,
          title: legend ? legend.textContent.trim() : "", parentTitle: heading ? heading.textContent.trim() : "",
          result: { success: q.right, response: String(q.choice) } });
      });
      announce({ event: passed ? "passed" : "failed", kind: "lessons", id: lesson.id, part: "check", fingerprint: lesson.fingerprint,
        passMark: passMark,
        result: { success: passed, score: { raw: score, min: 0, max: questions.length, scaled: questions.length ? score / questions.length : 0 } } });
      questions.forEach(function (q) { showQuestion(q, passed, hashing); });
      result.className = "portal-check__result portal-check__result--" + (passed ? "passed" : "failed");
      if (passed) {
        result.textContent = t("js_check_passed", { n: score, total: questions.length });
      } else if (reveal === "always") {
        result.textContent = t("js_check_failed", { n: score, total: questions.length, pass: passMark });
      } else {
        var names = [];
        wrong.forEach(function (q, index) {
          if (index) names.push(t("js_check_list_separator"));
          names.push(link("#" + q.fieldset.id, t("js_check_question", { n: q.number })));
        });
        var list = document.createDocumentFragment();
        list.append.apply(list, names);
        result.replaceChildren(fill("js_check_not_yet_which", {
          n: score, total: questions.length, pass: passMark, questions: list,
        }));
      }
      submit.hidden = true;
      retry.hidden = false;
      retry.textContent = t(passed ? "js_check_again" : "js_check_retry");
      if (passed) {
        update(function (state) {
          complete(state, lesson.id, lesson.fingerprint, score, questions.length);
        });
        announce({ event: "completed", kind: "lessons", id: lesson.id, fingerprint: lesson.fingerprint, result: { completion: true } });
      }
      retry.focus();
    }

    function showQuestion(q, passed, hashing) {
      var parts = [el("strong", { text: t(q.right ? "js_check_right" : reveal === "always" ? "js_check_wrong" : "js_check_not_yet") })];
      var rightPlace = null;
      if (reveal === "always") {
        rightPlace = q.answer;
        if (!q.right && q.inputs[rightPlace]) {
          // The answer is isolated (<bdi>, with its language when shown untranslated): in a
          // right-to-left page its first or last word would otherwise trade places with ours.
          parts.push(" ", fill("js_check_answer_was", { answer: isolated(q.inputs[rightPlace].parentNode) }));
        }
        if (q.explanation) q.explanation.hidden = false;
      } else {
        if (!q.right && q.hint) parts.push(" ", fill("js_check_hint", { hint: el("bdi", { text: q.hint, lang: q.hintLang }) }));
        if (passed && q.right) {
          rightPlace = parseInt(q.choice, 10);
          var opened = reveal === "after_pass" && q.explanation ? hashing.unseal(q.explanation.getAttribute("data-sealed"), q.salt, q.choice) : null;
          if (opened !== null) {
            q.explanation.textContent = opened;
            q.explanation.hidden = false;
          }
        }
      }
      if (reveal === "never") rightPlace = null;
      q.fieldset.classList.add(q.right ? "portal-question--right" : "portal-question--wrong");
      q.feedback.replaceChildren.apply(q.feedback, parts);
      q.feedback.hidden = false;
      q.inputs.forEach(function (input, index) {
        input.disabled = true;
        input.parentNode.classList.toggle("portal-option--answer", index === rightPlace);
        input.parentNode.classList.toggle("portal-option--chosen", input.checked);
      });
    }

    retry.addEventListener("click", function () {
      questions.forEach(function (q) {
        q.fieldset.classList.remove("portal-question--right", "portal-question--wrong");
        q.feedback.hidden = true;
        q.feedback.replaceChildren();
        if (q.explanation) {
          q.explanation.hidden = true;
          if (reveal === "after_pass") q.explanation.textContent = "";
        }
        q.inputs.forEach(function (input) {
          input.disabled = false;
          input.checked = false;
          input.parentNode.classList.remove("portal-option--answer", "portal-option--chosen");
        });
        shuffleList(q.list);
      });
      result.replaceChildren();
      result.className = "portal-check__result";
      retry.hidden = true;
      submit.hidden = false;
      firstInput(questions[0]).focus();
    });

    renderers.push(function (state) {
      var status = lessonStatus(state, lesson.id, lesson.fingerprint);
      if (result.textContent) status = { status: "answered" }; // the result just above says it all
      earlier.hidden = status.status !== "done";
      earlier.textContent = status.status === "done" ? t("js_check_passed_on", { date: formatDate(status.record.completed) }) : "";
    });
  }

  // --- home and progress pages -----------------------------------------------------------------

  /** Load assets/portal-data.js once, then call `done` (with the catalogue, or null if it failed). */
  function loadCatalogue(done) {
    loadAsset(CATALOGUE_FILE, function (loaded) {
      done(loaded ? readCatalogue(window.portalCatalogue, new URL("../", HERE)) : null);
    });
  }

  /** The catalogue with its URLs (relative to the site root there) made absolute. */
  function readCatalogue(data, base) {
    if (!data || !data.paths || !data.roles) return null;
    function absolute(url) {
      return new URL(url, base).href;
    }
    data.roles.forEach(function (role) { role.url = absolute(role.url); });
    Object.keys(data.paths).forEach(function (id) {
      var path = data.paths[id];
      path.id = id;
      path.url = absolute(path.url);
      path.certificate = absolute(path.certificate);
      path.lessons.forEach(function (lesson) { lesson.url = absolute(lesson.url); });
    });
    return data;
  }

  function roleOf(catalogue, id) {
    return catalogue.roles.filter(function (role) { return role.id === id; })[0] || null;
  }

  function pathBlock(state, catalogue, pathId, headingLevel) {
    var path = catalogue.paths[pathId];
    if (!path) return null;
    return el("div", { className: "portal-path-progress" }, [
      el("h" + headingLevel, { className: "portal-path-progress__title" }, [link(path.url, path.title)]),
      el("div", { className: "portal-progress" }, [progressView(state, path)]),
    ]);
  }

  /** Home: with a role picked, lead with its paths and the next lesson. */
  function initHome(element) {
    var progressUrl = element.getAttribute("data-progress-url");
    var headingId = nextId("next");
    var cards = document.querySelectorAll(".portal-cards [data-role-id]");
    renderers.push(function (state) {
      var role = state.role && roleOf(catalogue, state.role);
      Array.prototype.forEach.call(cards, function (card) {
        var mine = role && card.getAttribute("data-role-id") === role.id;
        card.classList.toggle("portal-card--mine", Boolean(mine));
        var badge = card.querySelector(".portal-card__mine");
        if (mine && !badge) card.append(el("span", { className: "portal-card__mine", text: t("js_card_your_role") }));
        if (!mine && badge) badge.remove();
      });
      if (!role) {
        element.hidden = true;
        element.replaceChildren();
        return;
      }
      element.hidden = false;
      element.setAttribute("aria-labelledby", headingId);
      element.setAttribute("role", "region");
      var next = null;
      role.paths.forEach(function (id) {
        var path = catalogue.paths[id];
        if (!next && path) next = summarise(state, path.lessons).next;
      });
      var lead = next
        ? el("p", { className: "portal-next__lead" }, [
          el("a", { className: "portal-button portal-button--primary", href: next.url, text: t("js_home_continue", { lesson: next.title }) }),
        ])
        : el("p", { className: "portal-next__lead", text: t("js_home_all_done") });
      var changeRole = link("#portal-roles", t("js_home_change_role"));
      element.replaceChildren(
        el("h2", { id: headingId, text: t("js_home_title") }),
        el("p", {}, [fill("js_home_your_role", { role: link(role.url, role.title) }), " ", changeRole]),
        lead
      );
      role.paths.forEach(function (id) {
        var block = pathBlock(state, catalogue, id, 3);
        if (block) element.append(block);
      });
      element.append(el("p", {}, [link(progressUrl, t("js_home_all_progress"))]));
    });
  }

  /** The progress page: every path, the role's first, with its bar. */
  function initDashboard(element) {
    var homeUrl = element.getAttribute("data-home-url");
    element.hidden = false;
    renderers.push(function (state) {
      var role = state.role && roleOf(catalogue, state.role);
      var mine = role ? role.paths : [];
      var others = Object.keys(catalogue.paths).filter(function (id) { return mine.indexOf(id) < 0; });
      var parts = [
        role
          ? el("p", {}, [fill("js_home_your_role", { role: link(role.url, role.title) })])
          : el("p", {}, [t("js_dashboard_no_role"), " ", link(homeUrl + "#portal-roles", t("js_dashboard_pick_role"))]),
      ];
      if (mine.length) {
        parts.push(el("h2", { text: t("js_dashboard_role_paths") }));
        mine.forEach(function (id) { parts.push(pathBlock(state, catalogue, id, 3)); });
      }
      if (others.length) {
        parts.push(el("h2", { text: t(mine.length ? "js_dashboard_other_paths" : "js_dashboard_all_paths") }));
        others.forEach(function (id) { parts.push(pathBlock(state, catalogue, id, 3)); });
      }
      element.replaceChildren.apply(element, parts.filter(Boolean));
    });
  }

  // --- export and import -----------------------------------------------------------------------

  function lessonTitles() {
    var titles = {};
    if (!catalogue) return titles;
    Object.keys(catalogue.paths).forEach(function (id) {
      catalogue.paths[id].lessons.forEach(function (lesson) { titles[lesson.id] = lesson.title; });
    });
    return titles;
  }

  function initTransfer(element) {
    var headingId = nextId("transfer");
    var exportButton = button(t("js_export"), "portal-button--primary");
    var importButton = button(t("js_import"));
    var clearButton = button(t("js_clear"), "portal-button--quiet");
    var picker = el("input", { type: "file", accept: ".json,application/json", hidden: true, "aria-label": t("js_import") });
    var status = el("p", { className: "portal-transfer__status", role: "status", "aria-live": "polite" });
    element.setAttribute("role", "region");
    element.setAttribute("aria-labelledby", headingId);
    element.replaceChildren(
      el("h2", { id: headingId, text: t("js_transfer_title") }),
      el("p", { text: t("js_transfer_intro") }),
      el("div", { className: "portal-transfer__actions" }, [exportButton, importButton, picker, clearButton]),
      status
    );
    element.hidden = false;

    exportButton.addEventListener("click", function () {
      var state = load();
      var titles = lessonTitles();
      var lessons = {};
      Object.keys(state.lessons).sort().forEach(function (id) {
        lessons[id] = Object.assign({}, state.lessons[id]);
        if (titles[id]) lessons[id].title = titles[id];
      });
      var data = {
        format: EXPORT_FORMAT,
        version: 1,
        exported: new Date().toISOString(),
        site: element.getAttribute("data-site"),
        role: state.role,
        name: state.name,
        lessons: lessons,
      };
      var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
      var url = URL.createObjectURL(blob);
      var anchor = el("a", { href: url, download: "advocacy-portal-progress-" + data.exported.slice(0, 10) + ".json" });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 0);
      status.textContent = t("js_export_done", { n: Object.keys(lessons).length });
    });

    importButton.addEventListener("click", function () {
      picker.value = "";
      picker.click();
    });

    picker.addEventListener("change", function () {
      var file = picker.files && picker.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var data;
        try {
          data = JSON.parse(text);
        } catch (error) {
          data = null;
        }
        var imported = data && data.format === EXPORT_FORMAT ? normalise(data) : null;
        if (!imported) {
          status.textContent = t("js_import_failed", { file: file.name });
          return;
        }
        update(function (state) {
          Object.keys(imported.lessons).forEach(function (id) {
            var mine = state.lessons[id];
            if (!mine || imported.lessons[id].completed > mine.completed) state.lessons[id] = imported.lessons[id];
          });
          if (!state.role && imported.role) state.role = imported.role;
          if (!state.name && imported.name) state.name = imported.name;
        });
        status.textContent = t("js_import_done", { n: Object.keys(imported.lessons).length, file: file.name });
      }, function () {
        status.textContent = t("js_import_failed", { file: file.name });
      });
    });

    clearButton.addEventListener("click", function () {
      if (!window.confirm(t("js_clear_confirm"))) return;
      try {
        window.localStorage.removeItem(STORE_KEY);
        window.localStorage.removeItem(ROLE_KEY);
      } catch (error) {
        // nothing stored: nothing to forget
      }
      memory = null;
      renderAll();
      status.textContent = t("js_clear_done");
    });
  }

  // --- certificate -----------------------------------------------------------------------------

  function initCertificate(element) {
    var path = pathFrom(element);
    if (!path) return;
    var organisation = element.getAttribute("data-organisation");
    var program = element.getAttribute("data-program");
    var inputId = nextId("name");
    var headingId = nextId("certificate");
    var incomplete = el("div", { className: "portal-certificate__incomplete" });
    var input = el("input", { type: "text", id: inputId, autocomplete: "name", maxlength: "200", className: "portal-input" });
    var printButton = button(t("js_certificate_print"), "portal-button--primary");
    var form = el("div", { className: "portal-certificate__form" }, [
      el("label", { for: inputId, text: t("js_certificate_name_label") }), input, printButton,
    ]);
    var nameLine = el("p", { className: "portal-certificate__name" });
    var dateLine = el("p", { className: "portal-certificate__date" });
    var list = el("ol", { className: "portal-certificate__lessons" });
    var sheet = el("article", { className: "portal-certificate__sheet", "aria-labelledby": headingId }, [
      el("p", { className: "portal-certificate__org", text: organisation + " · " + program }),
      el("h2", { className: "portal-certificate__heading", id: headingId, text: t("js_certificate_heading") }),
      nameLine,
      el("p", { className: "portal-certificate__completed", text: t("js_certificate_completed") }),
      el("p", { className: "portal-certificate__path", text: path.title }),
      dateLine,
      el("h3", { className: "portal-certificate__lessons-title", text: t("js_certificate_lessons") }),
      list,
      el("p", { className: "portal-certificate__note", text: t("js_certificate_note") }),
    ]);
    element.replaceChildren(incomplete, form, sheet);
    element.hidden = false;
    document.body.classList.add("portal-certificate-page");

    function showName(name) {
      nameLine.textContent = name.trim() || t("js_certificate_no_name");
      nameLine.classList.toggle("portal-certificate__name--missing", !name.trim());
    }

    input.addEventListener("input", function () {
      showName(input.value);
      var state = load();
      state.name = input.value.slice(0, 200);
      save(state);
    });
    printButton.addEventListener("click", function () { window.print(); });

    renderers.push(function (state) {
      var summary = summarise(state, path.lessons);
      incomplete.hidden = summary.complete;
      form.hidden = sheet.hidden = !summary.complete;
      if (!summary.complete) {
        incomplete.replaceChildren(
          el("p", {}, [fill("js_certificate_incomplete", { path: link(path.url, path.title) })]),
          el("div", { className: "portal-progress" }, [progressView(state, path)])
        );
        return;
      }
      if (document.activeElement !== input) input.value = state.name;
      showName(state.name);
      dateLine.textContent = t("js_certificate_date", { date: formatDate(summary.completedOn) });
      list.replaceChildren();
      path.lessons.forEach(function (lesson) {
        if (lesson.state.status !== "done") return;
        var record = lesson.state.record;
        var detail = typeof record.score === "number"
          ? t("js_certificate_lesson_scored", { date: formatDate(record.completed), n: record.score, total: record.total })
          : t("js_certificate_lesson_done", { date: formatDate(record.completed) });
        // Each part isolated: after a title in the other direction, the day of the date would join the title.
        list.append(el("li", {}, [el("bdi", { className: "portal-certificate__lesson", text: lesson.title }), " ", el("bdi", { className: "portal-certificate__detail", text: detail })]));
      });
    });
  }

  // --- start -----------------------------------------------------------------------------------

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-reveal]"), function (node) { node.hidden = false; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-nojs]"), function (node) { node.hidden = true; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-role-pick]"), initRolePick);
    var lesson = lessonFacts();
    if (lesson) {
      initLessonStatus(lesson);
      Array.prototype.forEach.call(document.querySelectorAll("[data-portal-lesson-end]"), function (node) { initLessonEnd(node, lesson); });
      Array.prototype.forEach.call(document.querySelectorAll("[data-portal-check]"), function (node) { initCheck(node, lesson); });
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-transfer]"), initTransfer);
    renderAll();
    // Progress across paths needs the catalogue: only the pages that show it load it.
    var needs = {
      "[data-portal-progress]": initProgress,
      "[data-portal-next]": initHome,
      "[data-portal-dashboard]": initDashboard,
      "[data-portal-certificate]": initCertificate,
    };
    var wanted = Object.keys(needs).filter(function (selector) { return document.querySelector(selector); });
    if (wanted.length) {
      loadCatalogue(function (loaded) {
        catalogue = loaded;
        if (!catalogue) return;
        wanted.forEach(function (selector) {
          Array.prototype.forEach.call(document.querySelectorAll(selector), needs[selector]);
        });
        renderAll();
      });
    }
    // Another tab of the portal changed the progress: show it here too.
    window.addEventListener("storage", function (event) {
      if (event.key === STORE_KEY || event.key === null) renderAll();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// A table wider than the screen scrolls inside its box (Material's scroll wrapper): keyboard users
// must be able to reach that box to scroll it, so it becomes focusable, named after its table's
// first header, whenever it is too narrow for its table.
(function () {
  "use strict";
  function reachable() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          var header = box.querySelector("th");
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          if (header) box.setAttribute("aria-label", header.textContent.trim());
        }
      } else if (box.getAttribute("tabindex") === "0" && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  window.addEventListener("load", reachable);
  window.addEventListener("resize", reachable);
})();
