"""The HR pages of the built site, and downloads in the browser that equal `portal plan`."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
from site_links import navigation

from generator.build import build

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def copy_repo(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "overrides"):
        shutil.copytree(source / name, target / name)
    shutil.copy2(source / "mkdocs.yml", target / "mkdocs.yml")
    return target


def calendar_days_variant(root: Path) -> None:
    """Calendar days, a Friday-Saturday weekend, other holidays and no site URL."""
    config = root / "content/portal.yml"
    text = config.read_text("utf-8")
    text = text.replace("count: working_days", "count: calendar_days")
    text = text.replace("weekend: [saturday, sunday]", "weekend: [friday, saturday]")
    text = text.replace("    - 2026-12-25\n", "    - 2026-12-25\n    - 2027-03-01\n")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("site_url")) + "\n"
    config.write_text(text, "utf-8")


def working_days_variant(root: Path) -> None:
    """Working days with a Friday-Saturday weekend and a holiday on a refresher's due date."""
    config = root / "content/portal.yml"
    text = config.read_text("utf-8")
    text = text.replace("weekend: [saturday, sunday]", "weekend: [friday, saturday]")
    text = text.replace("    - 2026-12-25\n", "    - 2026-12-25\n    - 2027-03-01\n    - 2027-02-28\n")
    config.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The sample built as it is and in two variants: {name: (repository root, site)}."""
    from conftest import REPO

    built: dict[str, tuple[Path, Path]] = {}
    base = tmp_path_factory.mktemp("hr")
    for name, change in (("sample", None), ("calendar", calendar_days_variant), ("fri-sat", working_days_variant)):
        root = REPO if change is None else copy_repo(REPO, base / name)
        if change is not None:
            change(root)
        site = base / f"{name}-site"
        build(root, site)
        built[name] = (root, site)
    return built


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text("utf-8")


def portal_plan(root: Path, role: str, start: str, fmt: str) -> str:
    """What `portal plan` prints, byte for byte."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "plan", "--role", role, "--start", start,
         "--format", fmt],
        capture_output=True, timeout=120, check=True,
    )
    return result.stdout.decode("utf-8")


# --- the pages without a browser -----------------------------------------------------------------


def test_hr_overview_is_in_the_navigation(sites):
    _, site = sites["sample"]
    assert ("overview/", "HR overview") in navigation(site)


def test_hr_overview_has_schedules_chart_matrix_and_refreshers(sites):
    _, site = sites["sample"]
    page = read(site, "overview")
    assert "Schedules and checklists" in page and "Minutes per role" in page and "Roles by lessons" in page
    assert "Due days are working days" in page and "Holidays: 2026-12-25" in page
    assert 'href="../checklists/sales-representative/"' in page
    assert 'data-hr-download="ics" data-role-id="sales-representative"' in page
    assert re.search(r"Foundations for everyone</a></td>\s*<td>every 12 months</td>\s*<td>What stays inside", page)


def test_minutes_chart_is_an_svg_file_with_a_text_alternative(sites):
    _, site = sites["sample"]
    page = read(site, "overview")
    img = re.search(r'<img alt="([^"]+)" height="\d+" src="../overview-minutes.svg" width="\d+"', page)
    assert img, "the chart is referenced with its text alternative"
    assert "Chief executive: 119 min required, 15 min optional" in img.group(1)
    svg = (site / "overview-minutes.svg").read_text("utf-8")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>Minutes per role</title>" in svg
    assert "Sales representative" in svg and "<script" not in svg


def test_inherited_assignments_count_on_the_home_role_and_matrix_pages(sites):
    _, site = sites["sample"]
    home = read(site, "")
    ceo_card = home.split('data-role-id="ceo"', 1)[1].split("</li>", 1)[0]
    assert "134 min · 17 lessons" in ceo_card
    ceo = read(site, "roles/ceo")
    assert "People managers" in ceo and "Assigned through the role Team lead." in ceo
    assert 'href="../../checklists/ceo/"' in ceo
    matrix = read(site, "overview").split('aria-label="Roles by lessons"', 1)[1]
    row = matrix.split(">Who does what", 1)[1].split("</tr>", 1)[0]
    assert row.count("day 10") == 3  # HR partner, team lead and chief executive


def test_each_role_has_a_printable_checklist(sites):
    root, site = sites["sample"]
    page = read(site, "checklists/sales-representative")
    assert "Checklist: Sales representative" in page
    assert page.count('class="portal-checklist__box"') == 9 + 3
    assert "Everything required is due by day 20" in page and "Sign-off" in page
    assert "portal plan --role sales-representative --start YYYY-MM-DD" in page  # without JavaScript
    css = (site / "assets/hr.css").read_text("utf-8")
    assert "@media print" in css
    roles = [p for p in (root / "content/roles").glob("*.yml") if "." not in p.stem]  # not translations
    assert len(list((site / "checklists").iterdir())) == len(roles)


def test_lessons_are_linked_in_checklists_and_downloads_need_no_other_host(sites):
    _, site = sites["sample"]
    for page in ("overview", "checklists/ceo"):
        html = read(site, page)
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
            assert not re.search(r"(?:src|href)=\"(?:https?:)?//", tag), tag


# --- in the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs Debian's chromium")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def served(sites) -> Iterator[dict[str, str]]:
    """Each built site on its own port on 127.0.0.1: {name: base URL}."""
    servers = []
    urls = {}

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    for name, (_, site) in sites.items():
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[name] = f"http://127.0.0.1:{server.server_port}/"
    yield urls
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="en-GB", timezone_id="Pacific/Kiritimati")
    tab = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []
    tab.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1", None) else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, errors


def downloaded(page, selector: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes().decode("utf-8")


CASES = [
    ("sample", "sales-representative", "2026-12-01"),
    ("sample", "ceo", "2026-12-24"),
    ("sample", "customer-service-agent", "2026-08-31"),  # six-monthly refresher on 28 February, a Sunday
    ("calendar", "social-media-manager", "2027-01-30"),
    ("calendar", "communications-lead", "2026-08-31"),
    ("fri-sat", "customer-service-agent", "2026-08-31"),
    ("fri-sat", "hr-partner", "2027-02-26"),  # a Friday start: day 0 moves to Sunday
]


@pytest.mark.browser
@pytest.mark.parametrize(("variant", "role", "start"), CASES)
def test_checklist_downloads_equal_portal_plan(sites, served, page, variant, role, start):
    root, _ = sites[variant]
    page.goto(served[variant] + f"checklists/{role}/")
    page.fill("#portal-hr-start", start)
    name, csv_text = downloaded(page, 'button[data-hr-download="csv"]')
    assert name == f"{role}-{start}.csv"
    assert csv_text == portal_plan(root, role, start, "csv")
    name, ics_text = downloaded(page, 'button[data-hr-download="ics"]')
    assert name == f"{role}-{start}.ics"
    assert ics_text == portal_plan(root, role, start, "ics")
    icalendar.Calendar.from_ical(ics_text)
    assert page.locator("[data-hr-status]").inner_text() == f"Downloaded {role}-{start}.ics."


@pytest.mark.browser
def test_overview_downloads_every_role_as_portal_plan_does(sites, served, page):
    root, _ = sites["sample"]
    page.goto(served["sample"] + "overview/")
    page.fill("#portal-hr-start", "2026-12-01")
    for role in ("receptionist", "content-editor", "team-lead"):
        _, text = downloaded(page, f'button[data-hr-download="ics"][data-role-id="{role}"]')
        assert text == portal_plan(root, role, "2026-12-01", "ics")
    _, text = downloaded(page, 'button[data-hr-download="csv"][data-role-id="social-media-manager"]')
    assert text == portal_plan(root, "social-media-manager", "2026-12-01", "csv")


@pytest.mark.browser
def test_checklist_shows_dates_for_the_start_date_in_the_address(served, page):
    page.goto(served["sample"] + "checklists/sales-representative/?start=2026-12-01")
    assert page.input_value("#portal-hr-start") == "2026-12-01"
    dates = page.locator("[data-hr-date]").evaluate_all("cells => cells.map(c => c.dataset.date)")
    assert dates[0] == "2026-12-03" and dates[8] == "2026-12-30" and dates[9:] == ["2027-12-01"] * 3
    last = page.locator('[data-hr-last-due="sales-representative"]').inner_text()
    assert "30" in last and "Dec" in last and "2026" in last
    assert page.locator("[data-hr-start-line]").is_visible()


@pytest.mark.browser
def test_overview_passes_the_start_date_to_the_checklists(served, page):
    page.goto(served["sample"] + "overview/")
    page.fill("#portal-hr-start", "2026-12-01")
    href = page.get_attribute('a[data-hr-checklist][href*="engineer"]', "href")
    assert href == "../checklists/engineer/?start=2026-12-01"


@pytest.mark.browser
def test_a_download_without_a_start_date_asks_for_one(served, page):
    page.goto(served["sample"] + "checklists/engineer/")
    page.click('button[data-hr-download="csv"]')
    assert page.locator("[data-hr-status]").inner_text() == "Enter a start date first."
    assert page.evaluate("document.activeElement.id") == "portal-hr-start"


@pytest.mark.browser
def test_controls_have_names_and_are_reached_with_the_keyboard(served, page):
    page.goto(served["sample"] + "overview/")
    page.get_by_label("Start date").fill("2026-12-01")
    button = page.get_by_role("button", name="CSV for Sales representative")
    assert button.count() == 1
    page.focus('button[data-hr-download="csv"][data-role-id="receptionist"]')
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.dataset.hrDownload, document.activeElement.dataset.roleId]")
    assert focused == ["ics", "receptionist"]
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "receptionist-2026-12-01.ics"


@pytest.mark.browser
def test_without_javascript_the_page_says_how_to_get_a_schedule(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served["sample"] + "checklists/sales-representative/")
    assert page.locator(".portal-hr-nojs").is_visible()
    assert not page.locator(".portal-hr-controls").is_visible()
    assert page.locator("table").first.is_visible()
    context.close()


@pytest.mark.browser
def test_print_hides_the_controls_and_the_site_chrome(served, page):
    page.goto(served["sample"] + "checklists/sales-representative/?start=2026-12-01")
    page.emulate_media(media="print")
    assert not page.locator(".portal-hr-controls").is_visible()
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("[data-hr-start-line]").is_visible()
    assert page.locator(".portal-signoff").is_visible()
