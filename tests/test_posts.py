"""Approved posts: each check of `portal validate` at its line, and how networks count a post."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import run_portal

from generator import posts
from generator.validate import validate

POST = """\
title: A test post
link: https://jua-energy.example/test
publish: 2026-11-01
expires: 2026-12-31
roles: [field-technician]
networks:
  x: |
    Our technicians fixed 40 systems this week.
"""


def write_post(root: Path, text: str, name: str = "test-post") -> Path:
    path = root / "content/posts" / f"{name}.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def place(path: Path, needle: str) -> tuple[int, int]:
    """Line and column (from 1) of the first ``needle`` in the file."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def messages(root: Path) -> list[str]:
    """Every problem as ``path:line:col: message``, errors and warnings."""
    _, problems = validate(root)
    return [f"{p.path}:{p.line}:{p.col}: {p.message}" for p in problems.items]


def only_post_messages(root: Path, name: str = "") -> list[str]:
    return [m for m in messages(root) if m.startswith(f"content/posts/{name}")]


def test_a_correct_post_validates_without_problems(sample):
    write_post(sample, POST)
    assert messages(sample) == []


def test_x_text_over_280_counting_every_link_as_23_is_reported_at_the_text(sample):
    # 230 letters + " " + a 60-character link counted as 23 + "\n\n#JuaTeam" (10) = 264: fits.
    fits = "a" * 230
    long_link = "https://jua-energy.example/" + "l" * 33
    path = write_post(sample, POST.replace("https://jua-energy.example/test", long_link)
                      .replace("Our technicians fixed 40 systems this week.", fits))
    assert only_post_messages(sample) == []
    # 247 letters make it 281 as X counts, although the link alone is 60 characters long.
    path.write_text(path.read_text().replace(fits, "a" * 247))
    line, col = place(path, "x: |")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{line}:{col + 3}: the X text is 281 characters as X counts them; "
        "the limit is 280"
    ]


def test_links_inside_the_text_count_as_23_on_x_and_as_written_elsewhere():
    text = "Read https://jua-energy.example/a/very/long/address/that/goes/on/and/on now."
    x, linkedin = posts.BUILTIN_NETWORKS["x"], posts.BUILTIN_NETWORKS["linkedin"]
    assert posts.count(text, x) == len("Read ") + 23 + len(" now.")
    assert posts.count(text, linkedin) == len(text)


def test_x_counts_chinese_characters_and_emoji_as_two():
    x = posts.BUILTIN_NETWORKS["x"]
    assert posts.count("太阳能", x) == 6
    assert posts.count("Καλημέρα", x) == 8
    assert posts.count("ok 👍", x) == 5


def test_a_network_from_portal_yml_counts_links_as_it_says(sample):
    config = sample / "content/portal.yml"
    config.write_text(config.read_text().replace(
        "  weibo:\n", "  weibo:\n    link_length: 20\n"), "utf-8")
    path = write_post(sample, POST.replace("  x: |", "  weibo: |"))
    config.write_text(config.read_text().replace("limit: 2000", "limit: 60"), "utf-8")
    # 43 characters + " " + link counted as 20 + "\n\n#JuaTeam" = 74 > 60
    line, col = place(path, "weibo: |")
    assert only_post_messages(sample, "test-post") == [
        f"content/posts/test-post.yml:{line}:{col + 7}: the Weibo text is 74 characters as Weibo counts them; "
        "the limit is 60"
    ]


def test_missing_disclosure_is_reported_when_the_playbook_does_not_append_it(sample):
    rewards = sample / "content/playbooks/rewards.yml"
    rewards.write_text(rewards.read_text().replace("disclosure_appended: true", "disclosure_appended: false"))
    path = write_post(sample, POST)
    line, col = place(path, "x: |")
    assert only_post_messages(sample, "test-post") == [
        f"content/posts/test-post.yml:{line}:{col + 3}: the disclosure hashtag #JuaTeam is missing"
    ]
    # Present in the text, or among the post's hashtags (in any case): no problem.
    path.write_text(path.read_text().replace("this week.", "this week. #juateam"))
    assert only_post_messages(sample, "test-post") == []
    write_post(sample, POST.replace("roles:", 'hashtags: ["#JuaTeam"]\nroles:'))
    assert only_post_messages(sample, "test-post") == []
    # "#JuaTeamNairobi" is another hashtag.
    write_post(sample, POST.replace("this week.", "this week. #JuaTeamNairobi"))
    assert len(only_post_messages(sample, "test-post")) == 1


def test_appended_disclosure_is_counted_in_the_length(sample):
    # 259 + " " + 23 = 283 without the tag would already be long; 250 + 1 + 23 = 274 fits alone,
    # and the appended "\n\n#JuaTeam" (10) makes it 284.
    path = write_post(sample, POST.replace("Our technicians fixed 40 systems this week.", "b" * 250))
    line, col = place(path, "x: |")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{line}:{col + 3}: the X text is 284 characters as X counts them; "
        "the limit is 280"
    ]
    _, problems = validate(sample)
    assert "#JuaTeam" in (problems.items[0].hint or "")


def test_avoided_word_is_reported_at_the_word_with_what_to_say_instead(sample):
    path = write_post(sample, POST.replace("Our technicians fixed 40 systems this week.",
                                           "We LEVERAGE solar to bring light.\n    It is not Cheap-looking."))
    line, col = place(path, "LEVERAGE")
    found = only_post_messages(sample)
    assert found[0] == (
        f"content/posts/test-post.yml:{line}:{col}: `LEVERAGE` is on the tone playbook's list of words to avoid; "
        "instead, say: use, build on"
    )
    line, col = place(path, "Cheap")
    assert found[1].startswith(f"content/posts/test-post.yml:{line}:{col}: `Cheap` is on the tone playbook's list")
    assert len(found) == 2


def test_avoided_words_match_whole_words_only(sample):
    # "guys" is avoided, "guyses" and "cheapest" are other words.
    write_post(sample, POST.replace("this week.", "this week, guyses, at the cheapest hour."))
    assert only_post_messages(sample) == []


def test_one_phrase_of_an_avoided_entry_with_several_is_found(sample):
    path = write_post(sample, POST.replace("this week.", "this week, the Number One team."))
    line, col = place(path, "Number One")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{line}:{col}: `Number One` is on the tone playbook's list of words to avoid; "
        "instead, say: what customers say, or a fact we can prove"
    ]


def test_link_without_https_is_reported_in_the_link_and_in_the_text(sample):
    path = write_post(sample, POST.replace("https://jua-energy.example/test", "http://jua-energy.example/test")
                      .replace("this week.", "this week: see http://jua.example/a or www.jua.example/b."))
    link_line, link_col = place(path, "http://jua-energy")
    text_line, text_col = place(path, "http://jua.example")
    _, www_col = place(path, "www.jua")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{link_line}:{link_col}: the link `http://jua-energy.example/test` "
        "does not start with https://",
        f"content/posts/test-post.yml:{text_line}:{text_col}: the link `http://jua.example/a` "
        "does not start with https://",
        f"content/posts/test-post.yml:{text_line}:{www_col}: the link `www.jua.example/b` has no https://",
    ]


def test_expiry_before_the_publish_date_is_reported_at_the_expiry(sample):
    path = write_post(sample, POST.replace("expires: 2026-12-31", "expires: 2026-10-31"))
    line, col = place(path, "2026-10-31")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{line}:{col}: expires on 2026-10-31, before it is published on 2026-11-01"
    ]


def test_unknown_roles_and_paths_suggest_the_right_ids(sample):
    path = write_post(sample, POST.replace("roles: [field-technician]",
                                           "roles: [field-technicain]\npaths: [fundations]"))
    role_line, role_col = place(path, "field-technicain")
    path_line, path_col = place(path, "fundations")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{role_line}:{role_col}: unknown role `field-technicain`; "
        "did you mean `field-technician`?",
        f"content/posts/test-post.yml:{path_line}:{path_col}: unknown path `fundations`; "
        "did you mean `foundations`?",
    ]


@pytest.mark.parametrize(("written", "meant"), [("twitter", "x"), ("LinkedIn", "linkedin"), ("facebok", "facebook"),
                                                ("wechatt", "wechat")])
def test_unknown_network_is_reported_at_its_name_with_did_you_mean(sample, written, meant):
    path = write_post(sample, POST.replace("  x: |", f"  {written}: |"))
    line, col = place(path, f"{written}: |")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{line}:{col}: unknown network `{written}`; did you mean `{meant}`?"
    ]


def test_text_that_repeats_the_link_is_reported_at_the_link(sample):
    path = write_post(sample, POST.replace("this week.", "this week: https://jua-energy.example/test"))
    line, col = place(path, "week: https")
    assert only_post_messages(sample) == [
        f"content/posts/test-post.yml:{line}:{col + len('week: ')}: the text repeats the post's link"
    ]


def test_portal_yml_share_address_needs_the_url_placeholder(sample):
    config = sample / "content/portal.yml"
    config.write_text(config.read_text().replace("share.php?url={url}&title={text}", "share.php?u={link}"), "utf-8")
    line, col = place(config, "share_url:")
    found = messages(sample)
    col += len("share_url: ")
    assert f"content/portal.yml:{line}:{col}: the share address has no {{url}} placeholder" in found
    assert any("unknown placeholder {link}" in m for m in found)


def test_a_misshaped_post_is_located_like_any_content_file(sample):
    path = write_post(sample, POST.replace("publish: 2026-11-01", "publish: 1 November").replace("title:", "titel:"))
    line, col = place(path, "1 November")
    found = only_post_messages(sample)
    assert f"content/posts/test-post.yml:{line}:{col}: `publish` expected a date written YYYY-MM-DD, " \
           "got '1 November'" in found
    assert any("unknown field `titel`; did you mean `title`?" in m for m in found)


def test_validate_prints_post_problems_with_the_source_line(runner, sample):
    write_post(sample, POST.replace("roles: [field-technician]", "roles: [cook]"))
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    assert "content/posts/test-post.yml:5:9: unknown role `cook`" in result.output
    assert "    roles: [cook]\n            ^" in result.output


# --- which posts a site shows ----------------------------------------------------------------


def test_today_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC).timestamp())))
    assert posts.today() == dt.date(2027, 2, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert posts.today() == dt.date.today()


def test_current_posts_are_of_the_language_published_and_not_expired(repo_root):
    portal, _ = validate(repo_root)
    assert portal is not None
    ids = [p.id for p in posts.current_posts(portal, "en", dt.date(2026, 11, 22))]
    assert "kit-80w-launch" in ids and "environment-day-2026" not in ids
    assert not any(i.startswith(("sw-", "zh-", "el-", "ur-")) for i in ids)
    assert [p.id for p in posts.current_posts(portal, "sw", dt.date(2026, 11, 22))] == [
        "sw-mafundi-kazi", "sw-kit-80w"]
    # The expiry date is the last day a post is shown; the publish date the first.
    assert "rainy-season-care" in [p.id for p in posts.current_posts(portal, "en", dt.date(2026, 12, 31))]
    assert "rainy-season-care" not in [p.id for p in posts.current_posts(portal, "en", dt.date(2027, 1, 1))]
    assert "school-term-lamps" not in [p.id for p in posts.current_posts(portal, "en", dt.date(2026, 11, 19))]


def test_a_post_for_a_path_is_meant_for_every_role_assigned_that_path(repo_root):
    portal, _ = validate(repo_root)
    assert portal is not None
    roles = {r.id for r in posts.audience(portal, portal.posts["impact-report-2026"])}
    assert roles == {r.id for r in portal.roles.values() if {"spokespeople", "people-managers"} & set(r.data.paths)}
    assert posts.audience(portal, portal.posts["field-technicians-hiring"]) == []


def test_share_links_are_url_encoded_like_the_browser_does():
    x = posts.BUILTIN_NETWORKS["x"]
    href = posts.share_href(x, "Jua & you: 100% #JuaTeam\nnew line", "https://jua-energy.example/a?b=c")
    assert href == (
        "https://twitter.com/intent/tweet?text=Jua%20%26%20you%3A%20100%25%20%23JuaTeam%0Anew%20line"
        "&url=https%3A%2F%2Fjua-energy.example%2Fa%3Fb%3Dc"
    )
    assert posts.share_href(posts.BUILTIN_NETWORKS["instagram"], "x", "https://a.example") is None


def test_post_text_cannot_leave_its_text_box_or_add_markup(sample):
    write_post(sample, POST.replace("title: A test post", 'title: "<img src=x onerror=alert(1)> *bold*"')
               .replace("Our technicians fixed 40 systems this week.",
                        "</textarea><script>alert(1)</script>\n\n    Second [paragraph](javascript:alert(1))."))
    portal, problems = validate(sample)
    assert portal is not None and not problems.errors
    from generator.render import Renderer

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 22, tzinfo=dt.UTC).timestamp())))
        page = Renderer(portal).render()["share.md"]
    assert "<script>" not in page and "<img" not in page and "</textarea><" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#10;&#10;Second [paragraph]" in page
    assert "&lt;img src=x onerror=alert(1)&gt; *bold*" in page
    # The text box holds the post on one Markdown line, so a blank line cannot end the HTML block.
    assert all(line.count("<textarea") == line.count("</textarea>") for line in page.splitlines())


def test_x_counts_like_twitter_text_on_every_shared_vector():
    """tests/vectors/x-count.json is made from the official twitter-text library
    (tests/make_count_vectors.js); the browser's counter (assets/lib/posts.js) is checked against the
    same file by `node --test tests/js/` (tests/test_vectors.py runs it)."""
    import json

    from conftest import REPO

    vectors = json.loads((REPO / "tests/vectors/x-count.json").read_text("utf-8"))["vectors"]
    assert len(vectors) >= 200
    x = posts.BUILTIN_NETWORKS["x"]
    counted = [(v["text"], posts.count(v["text"], x), v["length"]) for v in vectors]
    wrong = [case for case in counted if case[1] != case[2]]
    assert wrong == []


def test_an_emoji_with_a_skin_tone_or_a_family_counts_two_on_x():
    x = posts.BUILTIN_NETWORKS["x"]
    assert posts.count("👍🏽", x) == 2
    assert posts.count("👨\u200d👩\u200d👧\u200d👦", x) == 2
    assert posts.count("🇰🇪 ok", x) == 5
