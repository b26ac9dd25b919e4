"""Reading lesson Markdown as Python-Markdown and the browser will: links, unsafe HTML, anchors."""

from __future__ import annotations

import markdown
import pytest

from generator.anchors import _for_python_markdown, markdown_settings
from generator.markup import hazards, links, page_anchors, rewrite_links

MKDOCS_EXTENSIONS = ["toc", "attr_list", "md_in_html", "admonition", "pymdownx.superfences"]


def anchors_python_markdown_gives(title: str, body: str) -> set[str]:
    # With the heading settings every generated project has (Unicode slugs, sane headings).
    names, configs = _for_python_markdown(markdown_settings(MKDOCS_EXTENSIONS))
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    md.convert(f"# {title}\n\n{body}")
    found: set[str] = set()

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            found.add(token["id"])
            walk(token["children"])

    walk(md.toc_tokens)  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Answering fast", "## Our targets\n\n## Our targets\n\n### Why *fast*?\n"),
        ("处理投诉", "## 第一步\n\n## 第二步\n\n## Step 3\n"),
        ("شکایت کا جواب", "## پہلا قدم\n"),
        ("Tone", "## Tone\n\nSetext heading\n--------------\n\n## Custom { #my-id }\n\n## Custom\n"),
        ("Links in titles", "## See [the playbook](../playbooks/tone.yml) first\n\n## `code` & <b>bold</b>\n"),
    ],
)
def test_anchors_are_those_python_markdown_gives_the_page(title, body):
    assert anchors_python_markdown_gives(title, body) <= page_anchors(title, body)


def test_headings_in_code_are_not_anchors():
    body = "```\n## Not a heading\n```\n\n## Real\n"
    assert page_anchors("T", body) == {"t", "real"}


@pytest.mark.parametrize(
    ("body", "line", "col", "words"),
    [
        ("<script>alert(1)</script>", 1, 1, "<script>"),
        ("text\n\n<SCRIPT\nsrc=x></SCRIPT>", 3, 1, "<script>"),
        ("<img src=x\n  onerror=alert(1)>", 2, 3, "'onerror'"),
        ('<a title="x > y" onclick="z">a</a>', 1, 18, "'onclick'"),
        ("<img/onerror=alert(1) src=x>", 1, 6, "'onerror'"),
        ("[a](b.md){ onclick='x' }", 1, 12, "'onclick' is not allowed (attribute list)"),
        ("## Title {: onmouseover=x }", 1, 13, "attribute list"),
        ('[a](https://x){: href="javascript:y" }', 1, 23, "'javascript:'"),
        ("[a](javascript:alert(1))", 1, 5, "'javascript:'"),
        ("[a](  JaVaScRiPt:alert(1))", 1, 7, "'javascript:'"),
        ("[a](java&#x0A;script:x)", 1, 5, "'javascript:'"),
        ("[a](%6Aavascript:x)", 1, 5, "'javascript:'"),
        ("[a]: <javascript:x>", 1, 7, "'javascript:'"),
        ("[a]:\n    javascript:x", 2, 5, "'javascript:'"),
        ("![x](data:image/svg+xml;base64,PHN2Zz4=)", 1, 6, "'data:'"),
        ('<a href="vbscript:x">a</a>', 1, 10, "'vbscript:'"),
        ("<p style=\"x\">a</p>", 1, 4, "inline style"),
        ("<iframe src=https://x></iframe>", 1, 1, "<iframe>"),
        ("<svg><circle/></svg>", 1, 1, "<svg>"),
        ("![chart](https://cdn.example/c.png)", 1, 10, "pictures from another site"),
        ("[text spread\nover two lines](javascript:x)", 2, 17, "'javascript:'"),
    ],
)
def test_unsafe_html_and_links_are_found_where_they_are(body, line, col, words):
    found = hazards(body)
    assert found, body
    assert (found[0].line, found[0].col) == (line, col)
    assert words in found[0].message


@pytest.mark.parametrize(
    "body",
    [
        "```html\n<script>alert(1)</script>\n```",
        "!!! note\n    ```\n    <script>x</script>\n    ```",
        "Write `<script>` in a code span.",
        "A < B and C > D; 3 <4.",
        "<!-- <script>alert(1)</script> -->",
        "[safe](https://example.com) [mail](mailto:a@example.com) [here](#section)",
        "[^1]: A footnote, not a link.",
        "Reply to {name} within {minutes} minutes.",
        "![map](../playbooks/negativity-flow.svg)",
    ],
)
def test_safe_markdown_has_no_hazards(body):
    assert hazards(body) == []


def test_link_targets_may_hold_spaces_and_parentheses_as_in_python_markdown():
    body = "[a](my lesson.md) [b](<other lesson.md>) [c](https://x/Foo_(bar)) [d](e.md \"Title\")"
    assert [link.target for link in links(body)] == ["my lesson.md", "other lesson.md", "https://x/Foo_(bar)", "e.md"]


def test_rewriting_links_keeps_everything_else_byte_for_byte():
    body = "See [one](a.md) and\n[two\nlines](b.md#x), `[code](a.md)`.\n"
    rewritten = rewrite_links(body, lambda target: "A.md" if target == "a.md" else None)
    assert rewritten == "See [one](A.md) and\n[two\nlines](b.md#x), `[code](a.md)`.\n"
