"""Left-to-right runs in right-to-left pages: what the plugin isolates in a page's HTML."""

from __future__ import annotations

import pytest

from generator.bidi import isolate_html, isolate_text


@pytest.mark.parametrize(("text", "expected"), [
    ("فوراً #comms-urgent میں", "فوراً <bdi>#comms-urgent</bdi> میں"),
    ("“@JuaEnergy میرا سسٹم", "“<bdi>@JuaEnergy</bdi> میرا سسٹم"),
    ("دیکھیں https://jua.example/offers?x=1. شکریہ", "دیکھیں <bdi>https://jua.example/offers?x=1</bdi>. شکریہ"),
    ("18:40 پر", "<bdi>18:40</bdi> پر"),
    ("2026-11-04 کو، 24/7 اور 5 km", "<bdi>2026-11-04</bdi> کو، <bdi>24/7</bdi> اور <bdi>5 km</bdi>"),
    ("8 منٹ", "8 منٹ"),
    ("words, with disclosure: 5 پوائنٹس", "<bdi>words, with disclosure</bdi>: 5 پوائنٹس"),
])
def test_runs_of_the_other_direction_are_isolated_with_their_neutral_edges(text, expected):
    assert isolate_text(text) == expected


def test_html_keeps_tags_attributes_and_references_and_leaves_isolated_text_alone():
    html = ('<p class="x" data-a="a &amp; b">Q&amp;A میں <a href="https://x.example/?a=1&amp;b=2">Jua</a> '
            '<code>#tag</code> <span dir="ltr">Already ltr</span> <bdi>done</bdi></p><br>')
    assert isolate_html(html) == (
        '<p class="x" data-a="a &amp; b"><bdi>Q</bdi>&amp;<bdi>A</bdi> میں '
        '<a href="https://x.example/?a=1&amp;b=2"><bdi>Jua</bdi></a> '
        '<code dir="auto">#tag</code> <span dir="ltr">Already ltr</span> <bdi>done</bdi></p><br>'
    )


def test_on_a_page_shown_untranslated_whole_english_blocks_take_its_language_and_direction():
    html = "<p>One sentence. Another one.</p><ul><li>Item <em>one</em></li><li>آپ Jua Energy کے</li></ul>"
    assert isolate_html(html, "en") == (
        '<p lang="en" dir="ltr">One sentence. Another one.</p>'
        '<ul><li lang="en" dir="ltr">Item <em>one</em></li><li>آپ <bdi lang="en">Jua Energy</bdi> کے</li></ul>'
    )
