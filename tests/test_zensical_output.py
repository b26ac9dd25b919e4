"""What the generator adds to a site built by an engine without plugins (Zensical), so that it
matches what MkDocs and the portal's plugin give: located warnings, a dated sitemap, one copy of
the theme. These run without Zensical, on output written as Zensical writes it."""

from __future__ import annotations

import gzip
from pathlib import Path

from generator.engines import date_sitemap, zensical_warnings
from generator.postbuild import locate_warnings, share_theme_assets

# Zensical 0.0.73's report of two broken links, colours taken out (as run_zensical does).
REPORT = """Build started
Warning: page does not exist
    ╭─[ roles/receptionist.md:7:18 ]
    │
  7 │ Read [the rules](../lessons/house-rules.md) first.
    │                  ────────────┬────────────
    │                              ╰────────────── page does not exist
────╯
Warning: anchor does not exist
    ╭─[ roles/receptionist.md:8:38 ]
    │
  8 │ See [x](../lessons/answering-fast.md#no-such-section) and [y](#nowhere).
    │                                      ───────┬───────
    │                                             ╰───────── anchor does not exist
────╯
Warning: anchor does not exist
    ╭─[ roles/receptionist.md:8:64 ]
    │
  8 │ See [x](../lessons/answering-fast.md#no-such-section) and [y](#nowhere).
    │                                                                ───┬───
    │                                                                   ╰───── anchor does not exist
────╯
Warning: something new
    ╭─[ roles/receptionist.md:3:1 ]
    │
  3 │ # Receptionist
────╯
4 issues found""".splitlines()


def test_zensical_warnings_about_a_generated_page_name_the_content_file_and_its_line(tmp_path):
    source = tmp_path / "content/roles/receptionist.yml"
    source.parent.mkdir(parents=True)
    source.write_text("id: receptionist\nsocial_media: |\n  Read [the rules](../lessons/house-rules.md) first.\n"
                      "  See [x](../lessons/answering-fast.md#no-such-section) and [y](#nowhere).\n", "utf-8")
    page = '---\n{"portal_source": "content/roles/receptionist.yml"}\n---\n\n# Receptionist\n'
    located = locate_warnings(zensical_warnings(REPORT), {"roles/receptionist.md": page}, tmp_path)
    assert located == [
        "Build started",
        "content/roles/receptionist.yml:3:20: link `../lessons/house-rules.md` points to a page that does not exist",
        "content/roles/receptionist.yml:4:39: there is no section `#no-such-section` in the page that "
        "`../lessons/answering-fast.md#no-such-section` points to",
        "content/roles/receptionist.yml:4:65: there is no section `#nowhere` in this page",
        "roles/receptionist.md:3:1: something new",  # a kind of warning not known here: as Zensical placed it
        "4 issues found",
    ]


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url>
        <loc>https://portal.example.com/</loc>
      </url>
      <url>
        <loc>https://portal.example.com/share/</loc>
      </url>
</urlset>"""


def test_zensical_sitemap_gets_the_build_date_and_a_gzip_copy_stamped_with_its_day(tmp_path):
    (tmp_path / "sitemap.xml").write_text(SITEMAP, "utf-8")
    date_sitemap(tmp_path, 1700000000)  # 2023-11-14 22:13:20 UTC
    dated = (tmp_path / "sitemap.xml").read_text("utf-8")
    assert dated.count("        <lastmod>2023-11-14</lastmod>\n") == 2
    assert dated.index("<lastmod>") > dated.index("<loc>https://portal.example.com/</loc>")
    compressed = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed) == dated.encode("utf-8")
    assert int.from_bytes(compressed[4:8], "little") == 1699920000  # the day, as MkDocs stamps it
    before = (tmp_path / "sitemap.xml").read_bytes()
    date_sitemap(tmp_path, 1700000000)
    assert (tmp_path / "sitemap.xml").read_bytes() == before  # dated once


def _theme(site: Path, bundle: bytes = b"bundle") -> None:
    (site / "assets/javascripts/workers").mkdir(parents=True)
    (site / "assets/stylesheets").mkdir(parents=True)
    (site / "assets/images").mkdir(parents=True)
    (site / "assets/javascripts/bundle.1.min.js").write_bytes(bundle)
    (site / "assets/javascripts/workers/search.2.min.js").write_bytes(b"worker")
    (site / "assets/stylesheets/main.3.min.css").write_bytes(b"css")
    (site / "assets/images/favicon.png").write_bytes(b"png")
    (site / "assets/portal-data.js").write_text(f"// {site.name}", "utf-8")  # the language's own


LESSON = ('<link rel="icon" href="../../assets/images/favicon.png">'
          '<link rel="stylesheet" href="../../assets/stylesheets/main.3.min.css">'
          '<script id="__config" type="application/json">{"base":"../..",'
          '"search":"../../assets/javascripts/workers/search.2.min.js"}</script>'
          '<script src="../../assets/portal-data.js"></script>'
          '<script src="../../assets/javascripts/bundle.1.min.js"></script>')


def test_languages_use_the_first_languages_copy_of_the_theme_when_it_is_the_same(tmp_path):
    _theme(tmp_path)
    for language in ("el", "ur"):
        _theme(tmp_path / language, b"bundle" if language == "el" else b"another version")
        lesson = tmp_path / language / "lessons/answering-fast/index.html"
        lesson.parent.mkdir(parents=True)
        lesson.write_text(LESSON, "utf-8")
        (tmp_path / language / "index.html").write_text(LESSON.replace("../../", "./"), "utf-8")
    assert share_theme_assets(tmp_path, ["en", "el", "ur"]) == ["el"]
    assert not (tmp_path / "el/assets/javascripts").exists() and not (tmp_path / "el/assets/stylesheets").exists()
    assert not (tmp_path / "el/assets/images").exists()
    assert (tmp_path / "el/assets/portal-data.js").read_text("utf-8") == "// el"
    lesson = (tmp_path / "el/lessons/answering-fast/index.html").read_text("utf-8")
    assert lesson == LESSON.replace("../../assets/javascripts", "../../../assets/javascripts").replace(
        "../../assets/stylesheets", "../../../assets/stylesheets").replace(
        "../../assets/images", "../../../assets/images")
    home = (tmp_path / "el/index.html").read_text("utf-8")
    assert 'src="../assets/javascripts/bundle.1.min.js"' in home and 'src="./assets/portal-data.js"' in home
    # Urdu's copy differs in one file: it keeps all of it, and its pages their own links.
    assert (tmp_path / "ur/assets/javascripts/bundle.1.min.js").read_bytes() == b"another version"
    assert (tmp_path / "ur/lessons/answering-fast/index.html").read_text("utf-8") == LESSON
    # Run again (or over a site the plugin built): nothing left to share, nothing changes.
    assert share_theme_assets(tmp_path, ["en", "el"]) == []
    assert (tmp_path / "el/lessons/answering-fast/index.html").read_text("utf-8") == lesson
