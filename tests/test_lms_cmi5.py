"""A cmi5 package launched the way a cmi5 LMS launches it, its statements stored in a real LRS (Ralph).

Ralph has no State API, so the test plays the LMS side itself, as small as the spec allows: it
serves the package, answers the launch's `fetch` URL once with an auth token, serves the
`LMS.LaunchData` state document, writes the `launched` statement, and forwards the AU's statements
to Ralph. The statements read back from Ralph are then checked against the cmi5 rules.
"""

from __future__ import annotations

import base64
import http.server
import json
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from browser_support import REPO, chromium, fresh_page, right_answers, serve
from xapi_support import RALPH_PASSWORD, RALPH_USER, all_statements, ralph, ralph_available

from generator import lms
from generator.validate import validate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PATH = "foundations"
LESSON = "your-accounts-your-voice"
SITE = "https://learn.jua-energy.example/"
AU = f"{SITE}xapi/activities/lessons/{LESSON}"
COURSE = f"{SITE}xapi/activities/paths/{PATH}"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
ACTOR = {"objectType": "Agent", "account": {"homePage": "https://lms.jua-energy.example", "name": "learner-7"}}


class PlayedLms:
    """The LMS's side of one launch: registration, session, one-time token, launch data."""

    def __init__(self, package: Path, lrs: str) -> None:
        self.package, self.lrs = package, lrs
        self.registration, self.session = str(uuid.uuid4()), str(uuid.uuid4())
        self.token = base64.b64encode(f"au-{uuid.uuid4().hex}:{uuid.uuid4().hex}".encode()).decode()
        self.fetch_id = uuid.uuid4().hex
        self.fetches = 0
        self.refused: list[str] = []
        self.states: dict[str, bytes] = {}
        """State documents the AU keeps at the LMS, by stateId (for this actor, AU and registration)."""

    def relaunch(self) -> None:
        """A new session of the same registration: a new fetch URL, token and session id."""
        self.session = str(uuid.uuid4())
        self.token = base64.b64encode(f"au-{uuid.uuid4().hex}:{uuid.uuid4().hex}".encode()).decode()
        self.fetch_id = uuid.uuid4().hex
        self.fetches = 0

    def launch_data(self) -> dict[str, Any]:
        return {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity", "id": COURSE}]},
                "extensions": {SESSION: self.session},
            },
            "launchMode": "Normal", "moveOn": "Passed", "masteryScore": 1.0,
            "launchMethod": "AnyWindow",
        }

    def lrs_post(self, statements: Any) -> tuple[int, bytes]:
        credential = base64.b64encode(f"{RALPH_USER}:{RALPH_PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            self.lrs + "statements", data=json.dumps(statements).encode(), method="POST",
            headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
                     "Authorization": f"Basic {credential}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def launched(self) -> None:
        """The statement the LMS writes before it opens the AU."""
        context = self.launch_data()["contextTemplate"]
        status, body = self.lrs_post({
            "id": str(uuid.uuid4()), "timestamp": _now(), "actor": ACTOR,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
            "object": {"objectType": "Activity", "id": AU},
            "context": {**context, "registration": self.registration,
                        "contextActivities": {**context["contextActivities"],
                                              "category": [{"objectType": "Activity", "id": CMI5}]},
                        "extensions": {**context["extensions"],
                                       "https://w3id.org/xapi/cmi5/context/extensions/launchmode": "Normal",
                                       "https://w3id.org/xapi/cmi5/context/extensions/moveon": "Passed",
                                       "https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 1.0}},
        })
        assert status == 200, body

    def url(self, base: str) -> str:
        query = urllib.parse.urlencode({
            "endpoint": base + "xapi/", "fetch": f"{base}fetch/{self.fetch_id}", "actor": json.dumps(ACTOR),
            "registration": self.registration, "activityId": AU,
        })
        return f"{base}pkg/lessons/{LESSON}/index.html?{query}"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


class _Handler(http.server.SimpleHTTPRequestHandler):
    lms: PlayedLms

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") == f"Basic {self.lms.token}":
            return True
        self.lms.refused.append(self.path)
        self._json(401, {"error": "unknown token"})
        return False

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if url.path == f"/fetch/{self.lms.fetch_id}":
            self.lms.fetches += 1
            if self.lms.fetches > 1:  # cmi5: the fetch URL answers once
                self._json(200, {"error-code": "1", "error-text": "already used"})
            else:
                self._json(200, {"auth-token": self.lms.token})
        elif url.path == "/xapi/statements":
            if not self._authorised():
                return
            status, answer = self.lms.lrs_post(json.loads(body))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        else:
            self._json(404, {})

    def _state_id(self) -> str | None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if (query.get("activityId") == [AU] and query.get("registration") == [self.lms.registration]
                and json.loads(query["agent"][0]) == ACTOR):
            return query["stateId"][0]
        return None

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if urllib.parse.urlsplit(self.path).path != "/xapi/activities/state" or not self._authorised():
            return
        state_id = self._state_id()
        if state_id is None or state_id == "LMS.LaunchData":  # the AU must not write the LMS's document
            self._json(403, {})
            return
        self.lms.states[state_id] = body
        self.send_response(204)
        self.end_headers()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/xapi/activities/state":
            if not self._authorised():
                return
            state_id = self._state_id()
            if state_id == "LMS.LaunchData":
                self._json(200, self.lms.launch_data())
            elif state_id in self.lms.states:
                self._json(200, json.loads(self.lms.states[state_id]))
            else:
                self._json(404, {})
            return
        if url.path.startswith("/pkg/"):
            self.path = url.path[len("/pkg"):]
            super().do_GET()
            return
        self._json(404, {})


def serve_lms(lms_side: PlayedLms) -> Any:
    """The package and the played LMS's answers, on a free loopback port."""
    return serve(lms_side.package, type("Handler", (_Handler,), {"lms": lms_side}))


def _state_not_written_yet(answer: Any) -> bool:
    """xAPI answers 404 for a lesson's state document before the first save."""
    return answer.status == 404 and "/xapi/activities/state?stateId=advocacy-portal.lesson&" in answer.url


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("cmi5")
    portal, problems = validate(REPO)
    assert portal is not None and not problems.errors
    lms.build_language_site(portal, "en", top / "site", top / "work")
    made = lms.make_package(portal, top / "site", PATH, "en", "cmi5")
    (top / "package.zip").write_bytes(made.zip_bytes())
    with zipfile.ZipFile(top / "package.zip") as archive:
        archive.extractall(top / "unzipped")
    return top / "unzipped"


def answer(page: Any, right: list[bool]) -> None:
    check = page.locator("[data-portal-check]")
    for fieldset, is_right, place in zip(check.locator("fieldset").all(), right, right_answers(LESSON), strict=True):
        fieldset.locator(f'input[value="{place if is_right else int(place == 0)}"]').check()
    check.locator("button[type=submit]").click()
    check.locator(".portal-check__result--passed, .portal-check__result--failed").wait_for()


def test_cmi5_lesson_failed_then_passed_ends_with_passed_completed_terminated_in_ralph(package, tmp_path):
    if not ralph_available():
        pytest.skip("Ralph's virtual environment (.venv-lrs) is missing: see requirements/lrs.txt")
    questions = len(right_answers(LESSON))
    with ralph(tmp_path / "lrs") as lrs:
        side = PlayedLms(package, lrs)
        with serve_lms(side) as base, chromium() as browser:
            side.launched()
            with fresh_page(browser, base, expected_error=_state_not_written_yet) as page:
                page.goto(side.url(base))
                answer(page, [False] + [True] * (questions - 1))
                page.get_by_role("button", name="Try again").click()
                answer(page, [True] * questions)
                page.wait_for_function("() => window.portalLms")
                page.evaluate("() => window.portalLms.finish()")
                deadline = time.monotonic() + 60
                while not any(s["verb"]["id"].endswith("/terminated") for s in all_statements(lrs)):
                    assert time.monotonic() < deadline, "no terminated statement reached the LRS"
                    page.wait_for_timeout(200)
            assert side.fetches == 1 and not side.refused
            statements = sorted(all_statements(lrs), key=lambda s: s["timestamp"])
            # A second session of the same registration, on a browser with nothing stored: the lesson
            # shows as done from the state the LMS keeps.
            assert json.loads(side.states["advocacy-portal.lesson"])["completed"]
            first_session = side.session
            side.relaunch()
            with fresh_page(browser, base, expected_error=_state_not_written_yet) as page:
                page.goto(side.url(base))
                page.locator(".portal-lesson-status").filter(has_text="Completed on").wait_for()
                assert f"{questions} of {questions}" in page.locator(".portal-lesson-status").inner_text()
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    defined = [v for v in verbs if v != "answered"]
    assert defined == ["launched", "initialized", "failed", "passed", "completed", "terminated"]
    assert verbs.count("answered") == 2 * questions
    assert verbs.index("initialized") < verbs.index("answered")
    for made in statements:
        context = made["context"]
        assert context["registration"] == side.registration
        assert made["actor"]["account"] == ACTOR["account"]
        categories = {c["id"] for c in context.get("contextActivities", {}).get("category", [])}
        verb = made["verb"]["id"].rsplit("/", 1)[1]
        if verb == "answered":
            assert CMI5 not in categories  # "cmi5 allowed": no cmi5 category
            assert made["object"]["id"].startswith(AU + "/check/q")
            assert context["contextActivities"]["parent"] == [{"id": AU, "objectType": "Activity"}]
            continue
        assert context["extensions"][SESSION] == first_session
        assert CMI5 in categories
        assert made["object"]["id"] == AU
        assert context["contextActivities"]["grouping"] == [{"objectType": "Activity", "id": COURSE}]
        if verb in ("passed", "failed", "completed"):
            assert MOVEON in categories
            assert made["result"]["duration"].startswith("PT")
        if verb == "failed":
            assert made["result"]["success"] is False and made["result"]["score"]["scaled"] < 1
        if verb == "passed":
            assert made["result"]["success"] is True
            assert made["result"]["score"] == {"raw": questions, "min": 0, "max": questions, "scaled": 1}
            assert made["result"]["score"]["scaled"] >= side.launch_data()["masteryScore"]  # moveOn: Passed met
        if verb == "completed":
            assert made["result"]["completion"] is True
        if verb != "launched":
            assert made["context"]["extensions"][f"{SITE}xapi/extensions/fingerprint"]
