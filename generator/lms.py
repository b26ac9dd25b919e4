"""Learning paths as packages for a company's LMS: SCORM 1.2, SCORM 2004 (4th edition) and cmi5.

One zip per path and language. Each lesson is the page the site renders, cut loose from the site:
the header, the site navigation and the footer go (the LMS is the navigation now), links to pages
that are not in the package become plain text, playbooks and role guides the lessons link to come
along (or point to the published portal), and a small adapter script (``assets/lms.js``) reports the
knowledge check to the LMS by listening to the ``portal:record`` events the portal's own script
announces. The same content gives a byte-identical zip; the content's fingerprint is in the manifest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from generator import xapi
from generator.model import Lesson, Portal

FORMATS = ("scorm12", "scorm2004", "cmi5")
ADAPTER = Path(__file__).parent / "lms_adapter" / "lms.js"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every entry's date: the earliest a zip can hold, so the same content zips to the same bytes."""

# What the LMS replaces: the site's header (search, languages), its navigation, its footer, the
# edit button, and the list of the site's paths a lesson belongs to.
_REMOVED = (
    ("header", "md-header"),
    ("div", "md-sidebar--primary"),
    ("footer", "md-footer"),
    ("a", "md-content__button"),
    ("nav", "portal-pathnav"),
    ("div", "md-search"),
)
_URL_ATTRIBUTE = re.compile(r'(<(\w+)\b[^>]*?\s)(href|src)="([^"]*)"', re.IGNORECASE)
_ANCHOR = re.compile(r'<a\b([^>]*)>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_LINK_TAG = re.compile(r'<link\b[^>]*\brel="(?:alternate|canonical|prev|next)"[^>]*>\s*', re.IGNORECASE)
# The site's learning records (when portal.yml switches them on) send statements to the company's
# LRS: in a package the LMS keeps the records, and its pages request nothing outside the zip. Their
# connection policy goes too: it would keep a cmi5 lesson from reaching the LMS's own LRS.
_RECORDS = re.compile(
    r'<meta\b[^>]*\bhttp-equiv="Content-Security-Policy"[^>]*>\s*'
    r'|<script\b[^>]*\bid="portal-records(?:-page)?"[^>]*>.*?</script>\s*'
    r'|<script\b[^>]*\bsrc="(?:[^"]*/)?records\.js"[^>]*>\s*</script>\s*',
    re.IGNORECASE | re.DOTALL)


class ExportError(Exception):
    """The export cannot be made; ``problems`` are ``path:line:col: message`` lines (or plain lines)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclasses.dataclass
class Activity:
    """One lesson as the package names it."""

    lesson: Lesson
    href: str
    """The lesson's page inside the package, e.g. ``lessons/answering-fast/index.html``."""
    iri: str
    pass_mark: int | None
    """Right answers needed to pass its check (all of them when the lesson leaves it out); None: no check."""
    questions: int


@dataclasses.dataclass
class Package:
    path_id: str
    language: str
    fmt: str
    files: dict[str, bytes]
    fingerprint: str

    def zip_bytes(self) -> bytes:
        import io

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(self.files):
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3  # the same bytes whatever system writes it
                archive.writestr(info, self.files[name], compresslevel=9)
        return buffer.getvalue()


def default_name(path_id: str, language: str, fmt: str) -> str:
    return f"{path_id}-{language}-{fmt}.zip"


def check_request(portal: Portal, path_id: str, language: str, fmt: str, fallback: str | None) -> list[str]:
    """Every reason the export of ``path_id`` in ``language`` cannot be made, located where possible."""
    from generator import languages
    from generator.load import closest

    problems: list[str] = []
    if fmt not in FORMATS:
        problems.append(f"unknown format `{fmt}`: use one of {', '.join(FORMATS)}")
    if path_id not in portal.paths:
        guess = closest(path_id, portal.paths)
        hint = f"; did you mean `{guess}`?" if guess else ""
        if path_id in portal.roles:
            hint = f"; `{path_id}` is a role, its paths are: " + ", ".join(portal.roles[path_id].data.paths)
        problems.append(f"unknown path `{path_id}`{hint}\npaths: " + ", ".join(sorted(portal.paths)))
        return problems
    codes = languages.codes(portal)
    if language not in codes:
        problems.append(f"unknown language `{language}`: the portal has {', '.join(codes)}")
        return problems
    if fmt == "cmi5" and not portal.config.site_url:
        line, col = portal.config_doc.where(())
        problems.append(f"content/portal.yml:{line}:{col}: cmi5 names each lesson by an address made from "
                        "`site_url`: set site_url in portal.yml")
    default = codes[0]
    if language != default:
        translated = portal.translations.get(language, {})
        path = portal.paths[path_id]
        for step in path.data.steps:
            lesson = portal.lessons.get(step.lesson)
            if lesson is None or ("lessons", lesson.id) in translated:
                continue
            if fallback is None:
                line, col = path.value_at("steps", path.data.steps.index(step), "lesson")
                problems.append(
                    f"{path.source}:{line}:{col}: lesson `{lesson.id}` has no {language} translation "
                    f"(no {_translation_name(lesson.source, language)}); translate it, or export with "
                    f"--fallback {default} to show it in {default}")
            elif fallback != default:
                problems.append(f"--fallback {fallback}: only the default language ({default}) can stand in")
                break
    return problems


def fallback_lessons(portal: Portal, path_id: str, language: str) -> list[str]:
    """The lessons of the path that have no translation in ``language`` (shown in the default one)."""
    translated = portal.translations.get(language, {})
    if language == _default(portal):
        return []
    return [step.lesson for step in portal.paths[path_id].data.steps if ("lessons", step.lesson) not in translated]


def _translation_name(source: str, language: str) -> str:
    stem, dot, suffix = source.rpartition(".")
    return f"{stem}.{language}.{suffix}" if dot else f"{source}.{language}"


def activities(portal: Portal, path_id: str, site_url: str) -> list[Activity]:
    path = portal.paths[path_id]
    found = []
    for step in path.data.steps:
        lesson = portal.lessons[step.lesson]
        check = lesson.data.check
        found.append(Activity(
            lesson=lesson,
            href=f"lessons/{lesson.slug}/index.html",
            iri=xapi.activity_id(site_url, "lessons", lesson.id),
            # A check that leaves out pass_mark needs every answer right, on the site and in the LMS.
            pass_mark=(check.pass_mark or len(check.questions)) if check else None,
            questions=len(check.questions) if check else 0,
        ))
    return found


# --- pages ------------------------------------------------------------------------------------


class _Spans(HTMLParser):
    """Finds where the elements to remove start and end, as offsets into the page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        for match in re.finditer("\n", text):
            self.line_starts.append(match.end())
        self.spans: list[tuple[int, int]] = []
        self.open: tuple[str, int, int] | None = None  # tag, depth, start offset
        self.depth = 0

    def position(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open:
            if tag == self.open[0]:
                self.depth += 1
            return
        classes = (dict(attrs).get("class") or "").split()
        if any(tag == name and cls in classes for name, cls in _REMOVED):
            self.open, self.depth = (tag, 0, self.position()), 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.open or tag != self.open[0]:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.text.index(">", self.position()) + 1
            self.spans.append((self.open[2], end))
            self.open = None


def strip_site_chrome(page: str) -> str:
    finder = _Spans(page)
    finder.feed(page)
    finder.close()
    for start, end in reversed(finder.spans):
        removed = page[start:end]
        # Material's script needs the header element to be there: an empty, hidden one.
        stub = '<header class="md-header" data-md-component="header" hidden></header>' \
            if removed.startswith("<header") else ""
        page = page[:start] + stub + page[end:]
    return _RECORDS.sub("", _LINK_TAG.sub("", page))


def _target(page_name: str, url: str) -> str | None:
    """The file in the site a relative URL of the page ``page_name`` points to (no fragment)."""
    if url.startswith(("#", "data:", "mailto:", "tel:", "javascript:")) or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return None
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_name), path))
    if url.split("#", 1)[0].endswith("/") or joined == ".":
        joined = posixpath.join(joined, "index.html") if joined != "." else "index.html"
    return joined


def _relative(from_page: str, to_file: str) -> str:
    return posixpath.relpath(to_file, posixpath.dirname(from_page) or ".")


def rewrite_page(page: str, name: str, packaged: set[str], new_window: set[str],
                 published: dict[str, str]) -> tuple[str, set[str]]:
    """The page with links to files of the package made explicit, those in ``new_window`` opening
    apart from the LMS's frame, those in ``published`` pointing to the portal, other links made text.
    Returns the page and the site files it needs (stylesheets, scripts, images)."""
    needed: set[str] = set()

    def anchor(match: re.Match[str]) -> str:
        attributes, text = match.group(1), match.group(2)
        href = re.search(r'\bhref="([^"]*)"', attributes)
        if not href:
            return match.group(0)
        target = _target(name, html.unescape(href.group(1)))
        if target is None:
            return match.group(0)
        fragment = href.group(1).partition("#")[2]
        suffix = "#" + fragment if fragment else ""
        if target in published:
            new = attributes.replace(href.group(0), f'href="{html.escape(published[target] + suffix)}"')
            return f'<a{new} target="_blank" rel="noopener">{text}</a>'
        if target in packaged:
            new = attributes.replace(href.group(0), f'href="{html.escape(_relative(name, target) + suffix)}"')
            extra = ' target="_blank" rel="noopener"' if target in new_window and target != name else ""
            return f"<a{new}{extra}>{text}</a>"
        return f'<span class="portal-lms-unlinked">{text}</span>'

    page = _ANCHOR.sub(anchor, page)

    def resource(match: re.Match[str]) -> str:
        tag = match.group(2).lower()
        if tag == "a":
            return match.group(0)
        target = _target(name, html.unescape(match.group(4)))
        if target is not None and not target.endswith(".html"):  # pages come only as links
            needed.add(target)
        return match.group(0)

    _URL_ATTRIBUTE.sub(resource, page)
    return page, needed


def _adapter_tags(page: str, name: str, settings: dict[str, Any]) -> str:
    data = json.dumps(settings, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    tags = (f'<script id="portal-lms" type="application/json">{data}</script>'
            f'<script src="{_relative(name, "assets/lms.js")}"></script>')
    return page.replace("</head>", tags + "</head>", 1)


_CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def _css_needs(name: str, css: str) -> set[str]:
    found = set()
    for match in _CSS_URL.finditer(css):
        target = _target(name, match.group(2))
        if target:
            found.add(target)
    return found


def make_package(portal: Portal, site_dir: Path, path_id: str, language: str, fmt: str,
                 *, link_playbooks: str | None = None) -> Package:
    """The files of one package, read from ``site_dir`` (the language's site, built at its root)."""
    site_url = portal.config.site_url or "https://advocacy-portal.invalid/"
    path = portal.paths[path_id]
    acts = activities(portal, path_id, site_url)
    lesson_pages = {a.href for a in acts}
    linked: set[str] = set()
    for act in acts:
        text = (site_dir / act.href).read_text("utf-8")
        for match in _ANCHOR.finditer(strip_site_chrome(text)):
            href = re.search(r'\bhref="([^"]*)"', match.group(1))
            target = _target(act.href, html.unescape(href.group(1))) if href else None
            if target and target.startswith(("playbooks/", "roles/")) and (site_dir / target).is_file():
                linked.add(target)
    published: dict[str, str] = {}
    if link_playbooks:
        base = link_playbooks.rstrip("/") + "/"
        published = {target: base + target.removesuffix("index.html") for target in linked}
        linked = set()
    packaged = lesson_pages | linked
    files: dict[str, bytes] = {}
    needed: set[str] = {"assets/portal-hash.js"}  # loaded by portal.js when a check is answered
    for act in acts:
        page = strip_site_chrome((site_dir / act.href).read_text("utf-8"))
        page, wants = rewrite_page(page, act.href, packaged - lesson_pages | {act.href}, linked, published)
        settings = {
            "standard": fmt, "lesson": act.lesson.id, "fingerprint": act.lesson.fingerprint,
            "iri": act.iri, "passMark": act.pass_mark, "questions": act.questions,
            "title": act.lesson.data.title, "language": language,
            "vocabulary": xapi.vocabulary(site_url),
        }
        files[act.href] = _adapter_tags(page, act.href, settings).encode("utf-8")
        needed |= wants
    for name in sorted(linked):
        page, wants = rewrite_page(strip_site_chrome((site_dir / name).read_text("utf-8")), name, {name}, set(), {})
        files[name] = page.encode("utf-8")
        needed |= wants
    while needed:
        name = needed.pop()
        if name in files or not (site_dir / name).is_file():
            continue
        data = (site_dir / name).read_bytes()
        files[name] = data
        if name.endswith(".css"):
            needed |= _css_needs(name, data.decode("utf-8", "replace")) - set(files)
    files["assets/lms.js"] = ADAPTER.read_bytes()
    if fmt != "cmi5":  # cmi5's course structure has its own description; SCORM names a LOM record
        for act in acts:
            files[_metadata_name(act)] = lesson_metadata(act, language).encode("utf-8")
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\x00" + hashlib.sha256(files[name]).digest())
    fingerprint = digest.hexdigest()[:12]
    writer = {"scorm12": scorm12_manifest, "scorm2004": scorm2004_manifest, "cmi5": cmi5_manifest}[fmt]
    manifest_name, manifest = writer(portal, path, language, acts, fingerprint, site_url, sorted(files))
    files[manifest_name] = manifest.encode("utf-8")
    return Package(path_id, language, fmt, files, fingerprint)


# --- manifests --------------------------------------------------------------------------------


def _metadata_name(act: Activity) -> str:
    return f"metadata/{act.lesson.slug}.xml"


def lesson_metadata(act: Activity, language: str) -> str:
    """A lesson's IEEE LOM record: its title, description, estimated minutes and content version.

    SCORM keeps descriptions and learning times in LOM metadata; the manifest points to this file
    (``adlcp:location``) rather than holding it inline, which XML validators handle better.
    """
    x, lang = xml_escape, quoteattr(language)
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<lom xmlns="http://ltsc.ieee.org/xsd/LOM">',
        "  <general>",
        f"    <identifier><catalog>URI</catalog><entry>{x(act.iri)}</entry></identifier>",
        f"    <title><string language={lang}>{x(act.lesson.data.title)}</string></title>",
        f"    <language>{x(language)}</language>",
        f"    <description><string language={lang}>{x(act.lesson.data.summary.strip())}</string></description>",
        "  </general>",
        "  <lifeCycle>",
        f'    <version><string language="x-none">{x(act.lesson.fingerprint)}</string></version>',
        "  </lifeCycle>",
        "  <educational>",
        f"    <typicalLearningTime><duration>PT{act.lesson.data.minutes}M</duration></typicalLearningTime>",
        "  </educational>",
        "</lom>",
        "",
    ])


def _identifier(text: str) -> str:
    """An XML ID (xs:ID / NCName) from an id that may hold any characters."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", text)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else "_" + cleaned


def _describe(portal: Portal, path: Any, fingerprint: str) -> str:
    return f"{path.data.summary.strip()} ({portal.config.organisation}, content version {fingerprint})"


def _scorm_resources(base: str, acts: list[Activity], names: Iterable[str], attribute: str) -> list[str]:
    """The manifest's resources: one SCO per lesson and one asset resource with every other file.

    ``attribute`` is how the SCORM version spells the type attribute (2004 ``scormType``,
    1.2 ``scormtype``).
    """
    x = xml_escape
    shared = _identifier(f"{base}.shared")
    lines = []
    for act in acts:
        ident = _identifier(f"lesson.{act.lesson.id}")
        lines += [
            f'    <resource identifier="{ident}.res" type="webcontent" adlcp:{attribute}="sco" href="{x(act.href)}">',
            f'      <file href="{x(act.href)}"/>',
            f'      <dependency identifierref="{shared}"/>',
            "    </resource>",
        ]
    lines.append(f'    <resource identifier="{shared}" type="webcontent" adlcp:{attribute}="asset">')
    lesson_pages = {a.href for a in acts}
    lines += [f'      <file href="{x(name)}"/>' for name in names
              if name not in lesson_pages and not name.startswith("metadata/")]
    lines += ["    </resource>", "  </resources>", "</manifest>", ""]
    return lines


def scorm2004_manifest(portal: Portal, path: Any, language: str, acts: list[Activity], fingerprint: str,
                       site_url: str, names: Iterable[str]) -> tuple[str, str]:
    """SCORM 2004 4th edition: one SCO per lesson; each lesson waits until the one before is satisfied
    (passed its check, or marked complete), through global objectives the lessons write and read."""
    base = _identifier(f"advocacy-portal.{path.id}.{language}")
    x = xml_escape
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest identifier="{base}" version="{fingerprint}" xml:lang="{x(language)}"',
        '  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"',
        '  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"',
        '  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"',
        '  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"',
        '  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"',
        '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        '  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd '
        'http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd '
        'http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">',
        "  <metadata>",
        "    <schema>ADL SCORM</schema>",
        "    <schemaversion>2004 4th Edition</schemaversion>",
        "  </metadata>",
        f'  <organizations default="{base}.org">',
        f'    <organization identifier="{base}.org" adlseq:objectivesGlobalToSystem="false">',
        f"      <title>{x(path.data.title)}</title>",
    ]
    for index, act in enumerate(acts):
        ident = _identifier(f"lesson.{act.lesson.id}")
        lines += [
            f'      <item identifier="{ident}" identifierref="{ident}.res">',
            f"        <title>{x(act.lesson.data.title)}</title>",
            f"        <metadata><adlcp:location>{x(_metadata_name(act))}</adlcp:location></metadata>",
            "        <imsss:sequencing>",
        ]
        if index:
            lines += [
                "          <imsss:sequencingRules>",
                "            <imsss:preConditionRule>",
                "              <imsss:ruleConditions>",
                f'                <imsss:ruleCondition referencedObjective="{ident}.before" operator="not" '
                'condition="satisfied"/>',
                "              </imsss:ruleConditions>",
                '              <imsss:ruleAction action="disabled"/>',
                "            </imsss:preConditionRule>",
                "          </imsss:sequencingRules>",
            ]
        lines += [
            "          <imsss:objectives>",
            f'            <imsss:primaryObjective objectiveID="{ident}.done">',
            f'              <imsss:mapInfo targetObjectiveID="{base}.{ident}.done" writeSatisfiedStatus="true"/>',
            "            </imsss:primaryObjective>",
        ]
        if index:
            before = _identifier(f"lesson.{acts[index - 1].lesson.id}")
            lines += [
                f'            <imsss:objective objectiveID="{ident}.before">',
                f'              <imsss:mapInfo targetObjectiveID="{base}.{before}.done" readSatisfiedStatus="true"/>',
                "            </imsss:objective>",
            ]
        lines += [
            "          </imsss:objectives>",
            "        </imsss:sequencing>",
            "      </item>",
        ]
    lines += [
        "      <imsss:sequencing>",
        '        <imsss:controlMode choice="true" flow="true"/>',
        "      </imsss:sequencing>",
        "    </organization>",
        "  </organizations>",
        "  <resources>",
    ]
    lines += _scorm_resources(base, acts, names, "scormType")
    return "imsmanifest.xml", "\n".join(lines)


def scorm12_manifest(portal: Portal, path: Any, language: str, acts: list[Activity], fingerprint: str,
                     site_url: str, names: Iterable[str]) -> tuple[str, str]:
    """SCORM 1.2: one SCO per lesson; each names the one before as its prerequisite; a lesson with a
    check has its pass mark as a mastery score in percent."""
    base = _identifier(f"advocacy-portal.{path.id}.{language}")
    x = xml_escape
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest identifier="{base}" version="{fingerprint}"',
        '  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"',
        '  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"',
        '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        '  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd '
        'http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">',
        "  <metadata>",
        "    <schema>ADL SCORM</schema>",
        "    <schemaversion>1.2</schemaversion>",
        "  </metadata>",
        f'  <organizations default="{base}.org">',
        f'    <organization identifier="{base}.org">',
        f"      <title>{x(path.data.title)}</title>",
    ]
    for index, act in enumerate(acts):
        ident = _identifier(f"lesson.{act.lesson.id}")
        lines += [f'      <item identifier="{ident}" identifierref="{ident}.res">',
                  f"        <title>{x(act.lesson.data.title)}</title>",
                  f"        <metadata><adlcp:location>{x(_metadata_name(act))}</adlcp:location></metadata>"]
        if index:
            before = _identifier(f"lesson.{acts[index - 1].lesson.id}")
            lines.append(f'        <adlcp:prerequisites type="aicc_script">{before}</adlcp:prerequisites>')
        if act.pass_mark:
            percent = round(100 * act.pass_mark / act.questions)
            lines.append(f"        <adlcp:masteryscore>{percent}</adlcp:masteryscore>")
        lines.append("      </item>")
    lines += ["    </organization>", "  </organizations>", "  <resources>"]
    lines += _scorm_resources(base, acts, names, "scormtype")
    return "imsmanifest.xml", "\n".join(lines)


def cmi5_manifest(portal: Portal, path: Any, language: str, acts: list[Activity], fingerprint: str,
                  site_url: str, names: Iterable[str]) -> tuple[str, str]:
    """cmi5: one AU per lesson; a lesson with a check moves on when passed, at its pass mark as the
    mastery score; one without moves on when completed."""
    x = xml_escape
    lang = quoteattr(language)
    course = xapi.activity_id(site_url, "paths", path.id)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">',
        f"  <course id={quoteattr(course)}>",
        f"    <title><langstring lang={lang}>{x(path.data.title)}</langstring></title>",
        f"    <description><langstring lang={lang}>{x(_describe(portal, path, fingerprint))}</langstring>"
        "</description>",
        "  </course>",
    ]
    for act in acts:
        move_on = "Passed" if act.pass_mark else "Completed"
        mastery = f' masteryScore="{act.pass_mark / act.questions:.4g}"' if act.pass_mark else ""
        lines += [
            f'  <au id={quoteattr(act.iri)} moveOn="{move_on}"{mastery} launchMethod="AnyWindow">',
            f"    <title><langstring lang={lang}>{x(act.lesson.data.title)}</langstring></title>",
            f"    <description><langstring lang={lang}>{x(act.lesson.data.summary.strip())} "
            f"({act.lesson.data.minutes} min)</langstring></description>",
            f"    <url>{x(act.href)}</url>",
            "  </au>",
        ]
    lines += ["</courseStructure>", ""]
    return "cmi5.xml", "\n".join(lines)


# --- writing ----------------------------------------------------------------------------------


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``target`` whole or not at all: an interrupted export leaves no half-written zip."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_language_site(portal: Portal, language: str, site_dir: Path, work_dir: Path) -> None:
    """Build the pages of one language into ``site_dir`` (at its root), as ``portal build`` does."""
    from generator.build import build_epoch, build_portal
    from generator.postbuild import finish_site

    build_portal(portal, site_dir, work_dir, build_date=build_epoch(portal.root), write_docs=False,
                 only=[language])
    finish_site(site_dir, language)  # whichever engine built it, as `portal build` does


def export(portal: Portal, requests: list[tuple[str, str]], fmt: str, out_for: Any, *,
           fallback: str | None = None, link_playbooks: str | None = None) -> list[tuple[Path, Package]]:
    """Export each (path id, language) of ``requests``; ``out_for(path_id, language)`` names its zip.

    Every request is checked before anything is built; a problem in any stops all of them.
    """
    problems: list[str] = []
    for path_id, language in requests:
        problems += [p for p in check_request(portal, path_id, language, fmt, fallback) if p not in problems]
    if problems:
        raise ExportError(problems)
    written = []
    by_language: dict[str, list[str]] = {}
    for path_id, language in requests:
        by_language.setdefault(language, []).append(path_id)
    with tempfile.TemporaryDirectory(prefix="portal-export-") as tmp:
        for language, path_ids in by_language.items():
            site_dir = Path(tmp) / language / "site"
            build_language_site(portal, language, site_dir, Path(tmp) / language / "work")
            from generator.translations import localize

            view = localize(portal, language) if language != _default(portal) else portal
            for path_id in path_ids:
                package = make_package(view, site_dir, path_id, language, fmt, link_playbooks=link_playbooks)
                target = out_for(path_id, language)
                write_atomically(target, package.zip_bytes())
                written.append((target, package))
    return written


def _default(portal: Portal) -> str:
    from generator import languages

    return languages.codes(portal)[0]
