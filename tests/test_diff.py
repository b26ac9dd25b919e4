"""`portal diff`: a scripted git history in a temporary repository, one kind of change at a time."""

from __future__ import annotations

import json

import pytest
from conftest import run_portal
from gitrepo import GitRepo

NEG = "content/playbooks/negativity.yml"
TONE = "content/playbooks/tone.yml"
REWARDS = "content/playbooks/rewards.yml"
FOUNDATIONS = "content/paths/foundations.yml"
SALES = "content/roles/sales-representative.yml"
COMPLAINTS = "content/lessons/owning-complaints-in-public.md"


@pytest.fixture
def repo(sample) -> GitRepo:
    return GitRepo(sample)


def changes(runner, repo: GitRepo, *args: str) -> list[str]:
    """The listed changes of `portal diff` (the lines of its Markdown list, not the outdated translations)."""
    result = run_portal(runner, repo.root, "diff", *args)
    assert result.exit_code == 0, result.output
    listed = result.stdout.split("translation(s) outdated", 1)[0]
    return [line[2:] for line in listed.splitlines() if line.startswith("- ")]


def outdated(runner, repo: GitRepo, *args: str) -> list[str]:
    """The translations `portal diff` says the change made outdated."""
    result = run_portal(runner, repo.root, "diff", *args)
    assert result.exit_code == 0, result.output
    if "translation(s) outdated" not in result.stdout:
        return []
    listed = result.stdout.split("translation(s) outdated", 1)[1]
    return [line[2:] for line in listed.splitlines() if line.startswith("- ")]


def test_one_response_target_and_one_path_step_read_as_exactly_those_two_changes(runner, repo):
    repo.replace(NEG, "first_response_minutes: 15", "first_response_minutes: 30")
    repo.replace(FOUNDATIONS, "  - lesson: your-accounts-your-voice\n    due_day: 3",
                 "  - lesson: your-accounts-your-voice\n    due_day: 4")
    repo.commit("Give complaints half an hour; a day more for your own accounts")
    result = run_portal(runner, repo.root, "diff", "HEAD~1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "### What this change means for employees"
    assert changes(runner, repo, "HEAD~1") == [
        "*Handling negative posts* > Customer complaint: first response 15 min -> 30 min",
        "Path *Foundations for everyone*: lesson *Your accounts, your voice* due day 3 -> 4",
    ]


def test_tone_playbook_words_traits_and_examples(runner, repo):
    repo.replace(TONE, "avoided_words:\n", "avoided_words:\n  - word: disrupt\n    why: It says nothing.\n")
    repo.replace(TONE, "  - word: sorry\n    instead: we regret any inconvenience",
                 "  - word: sorry\n    instead: we apologise for any inconvenience")
    repo.replace(TONE, "  - trait: Local\n", "  - trait: Local and proud\n")
    repo.commit("Tone tweaks")
    assert changes(runner, repo, "HEAD~1") == [
        "*Tone of voice*: 'Local and proud' added to what we are",
        "*Tone of voice*: 'Local' removed from what we are",
        "*Tone of voice* > 'sorry': instead 'we regret any inconvenience' -> "
        "'we apologise for any inconvenience'",
        "*Tone of voice*: 'disrupt' added to words we avoid",
    ]


def test_negativity_playbook_situations_principles_and_owners(runner, repo):
    troll = "    name: Troll\n    severity: low\n    first_response_minutes: 240\n    owner: social-media-manager"
    repo.replace(NEG, troll, troll.replace("low", "medium").replace("social-media-manager", "team-lead"))
    repo.replace(NEG, "principles:\n", "principles:\n  - Thank people who point out our mistakes.\n")
    repo.commit("Trolls are a medium matter for team leads now")
    assert changes(runner, repo, "HEAD~1") == [
        "*Handling negative posts*: 'Thank people who point out our mistakes.' added to principles",
        "*Handling negative posts* > Troll: severity low -> medium",
        "*Handling negative posts* > Troll: owner *Social media manager* -> *Team lead*",
    ]


def test_negativity_situation_added_says_its_targets(runner, repo):
    repo.replace(NEG, "situations:\n", (
        "situations:\n"
        "  - id: fake-account\n"
        "    name: Fake account\n"
        "    severity: high\n"
        "    first_response_minutes: 60\n"
        "    owner: social-media-manager\n"
        "    recognise: An account that pretends to be Jua Energy.\n"
        "    steps:\n"
        "      - Report it to the platform.\n"
    ))
    repo.commit("Fake accounts")
    assert changes(runner, repo, "HEAD~1") == [
        "*Handling negative posts*: Fake account added to situations "
        "(high, first response 60 min, owner *Social media manager*)",
    ]


def test_rewards_points_tiers_and_recognition(runner, repo):
    repo.replace(REWARDS, "    points: 5\n", "    points: 10\n")
    repo.replace(REWARDS, "    min_points: 150\n", "    min_points: 200\n")
    repo.replace(REWARDS, "  cadence: Monthly, with a yearly ambassador day", "  cadence: Quarterly")
    repo.commit("Rewards review")
    assert changes(runner, repo, "HEAD~1") == [
        "*Recognising ambassadors* > Share an approved post in your own words, with disclosure: points 5 -> 10",
        "*Recognising ambassadors* > Advocate: points needed 150 -> 200",
        "*Recognising ambassadors* > recognition: cadence 'Monthly, with a yearly ambassador day' -> 'Quarterly'",
    ]


def test_path_steps_added_removed_moved_due_and_optional(runner, repo):
    text = repo.read(FOUNDATIONS)
    head, rest = text.split("steps:\n", 1)
    steps, tail = rest.split("# Once a year", 1)
    blocks = ["  - lesson:" + b for b in steps.split("  - lesson:")[1:]]
    names = [b.split()[2] for b in blocks]
    assert names[:3] == ["why-employees-matter", "your-accounts-your-voice", "disclosing-your-employer"]
    disclosing = blocks[2].replace("due_day: 5", "due_day: 6") + "    required: false\n"
    kept = [b for b in blocks[3:] if "spotting-trouble-early" not in b]
    new_steps = [blocks[1], blocks[0], disclosing, *kept, "  - lesson: answering-fast\n    due_day: 20\n"]
    repo.write(FOUNDATIONS, head + "steps:\n" + "".join(new_steps) + "# Once a year" + tail)
    repo.commit("Foundations reshuffle")
    assert changes(runner, repo, "HEAD~1") == [
        "Path *Foundations for everyone*: lesson *Disclosing that you work here* due day 5 -> 6",
        "Path *Foundations for everyone*: lesson *Disclosing that you work here* now optional",
        "Path *Foundations for everyone*: lesson *Answering fast* added, due day 20",
        "Path *Foundations for everyone*: lesson *Spotting trouble early* removed",
        "Path *Foundations for everyone*: lesson *Why your voice matters* moved from step 1 to step 2",
    ]


def test_roles_fields_paths_approvals_added_and_removed(runner, repo):
    repo.replace(SALES, "level: 3", "level: 4")
    repo.replace(SALES, "paths:\n  - foundations\n", "paths:\n  - foundations\n  - spokespeople\n")
    repo.replace(SALES, "    approver: team-lead\n", "    approver: communications-lead\n")
    repo.write("content/roles/intern.yml", repo.read("content/roles/receptionist.yml").replace(
        "title: Receptionist", "title: Intern"))
    repo.path("content/roles/engineer.yml").unlink()
    repo.commit("Roles")
    assert changes(runner, repo, "HEAD~1") == [
        "Role *Sales representative*: level 3 -> 4",
        "Role *Sales representative* > 'Local promotions, discounts or bundles that are not in an o…': "
        "approver *Team lead* -> *Communications lead*",
        "Role *Sales representative*: *Spokespeople and executives* added to learning paths",
        "Role *Intern* added (level 1, 1 learning path)",
        "Role *Engineer* removed",
    ]


def test_lesson_changes_read_as_one_line_with_its_knowledge_check(runner, repo):
    repo.replace(COMPLAINTS, "\n## ", "\nA new paragraph for the lesson.\n\n## ")
    repo.replace(COMPLAINTS, "  questions:\n", (
        "  questions:\n"
        "    - question: \"Where do you take the details of a complaint?\"\n"
        "      options: [\"To a direct message\", \"Into the public thread\"]\n"
        "      answer: \"To a direct message\"\n"
        "      explanation: \"Personal details never belong in public.\"\n"
    ))
    repo.replace("content/lessons/handling-trolls.md", "minutes: 8", "minutes: 10")
    repo.commit("Lessons")
    assert changes(runner, repo, "HEAD~1") == [
        "Lesson *Trolls, spam and abuse*: time 8 min -> 10 min",
        "Lesson *Owning a complaint in public*: text changed; knowledge check: 1 question added",
    ]


def test_lesson_added_and_removed(runner, repo):
    run_portal(runner, repo.root, "new", "lesson", "answering-reviews")
    repo.path("content/lessons/measuring-what-matters.md").unlink()
    repo.commit("A lesson in, a lesson out")
    assert changes(runner, repo, "HEAD~1") == [
        "Lesson *Answering reviews* added (5 min, 1 question)",
        "Lesson *Measuring quantity, quality and return* removed",
    ]


def test_renamed_lesson_is_a_rename_and_its_references_follow_it(runner, repo):
    repo.git("mv", "content/lessons/answering-fast.md", "content/lessons/replying-fast.md")
    for translation in sorted(repo.path("content/lessons").glob("answering-fast.*.md")):  # they move along
        moved = translation.name.replace("answering-fast", "replying-fast", 1)
        repo.git("mv", f"content/lessons/{translation.name}", f"content/lessons/{moved}")
    for path in [*repo.path("content/paths").glob("*.yml"), *repo.path("content/lessons").glob("*.md")]:
        path.write_text(path.read_text("utf-8").replace("answering-fast", "replying-fast"), encoding="utf-8")
    repo.replace("content/lessons/replying-fast.md", "minutes: 9", "minutes: 10")
    repo.commit("Rename answering-fast")
    assert changes(runner, repo, "HEAD~1") == [
        "Lesson *Answering fast* renamed from `answering-fast` to `replying-fast` (its page moves to a new address)",
        "Lesson *Answering fast*: time 9 min -> 10 min",
    ]


def test_untracked_copy_with_the_same_content_is_a_rename_too(runner, repo):
    for old in sorted(repo.path("content/roles").glob("engineer.*")):  # the role and its translations
        repo.write(f"content/roles/software-{old.name}", old.read_text("utf-8"))
        old.unlink()
    assert changes(runner, repo, "HEAD") == [
        "Role *Engineer* renamed from `engineer` to `software-engineer` (its page moves to a new address)",
    ]


def test_translations_are_reported_against_their_source(runner, repo):
    # Start from a sample that translates neither of these into Swahili.
    repo.path("content/lessons/closing-the-loop.sw.md").unlink()
    repo.path("content/playbooks/rewards.sw.yml").unlink()
    repo.commit("No Swahili for these two yet")
    repo.write("content/lessons/closing-the-loop.sw.md", repo.read("content/lessons/closing-the-loop.md"))
    repo.write("content/playbooks/rewards.sw.yml", repo.read("content/playbooks/rewards.yml"))
    repo.commit("Swahili")
    assert changes(runner, repo, "HEAD~1") == [
        "Translation (sw) of *Recognising ambassadors* added",
        "Translation (sw) of *Connecting customers with the fix* added",
    ]
    repo.replace("content/lessons/closing-the-loop.sw.md", "minutes: 8", "minutes: 10")
    repo.path("content/playbooks/rewards.sw.yml").unlink()
    repo.commit("Swahili update")
    assert changes(runner, repo, "HEAD~1") == [
        "Translation (sw) of *Recognising ambassadors* removed",
        "Translation (sw) of *Connecting customers with the fix* updated",
    ]


def test_portal_settings(runner, repo):
    repo.replace("content/portal.yml", 'disclosure_hashtag: "#JuaTeam"', 'disclosure_hashtag: "#JuaCrew"')
    repo.commit("New hashtag")
    assert changes(runner, repo, "HEAD~1") == ["Portal settings: disclosure hashtag '#JuaTeam' -> '#JuaCrew'"]


def test_without_head_the_working_tree_is_compared_uncommitted_and_untracked(runner, repo):
    repo.replace(NEG, "first_response_minutes: 15", "first_response_minutes: 20")
    run_portal(runner, repo.root, "new", "role", "intern")
    result = run_portal(runner, repo.root, "diff", "HEAD")
    assert "with the working tree: 2 change(s)." in result.stdout
    assert changes(runner, repo, "HEAD") == [
        "*Handling negative posts* > Customer complaint: first response 15 min -> 20 min",
        "Role *Intern* added (level 3)",
    ]
    assert changes(runner, repo, "HEAD", "HEAD") == []


def test_comments_and_layout_are_no_change(runner, repo):
    repo.replace(NEG, "kind: negativity\n", "# Reviewed by the communications lead\nkind: negativity\n")
    repo.replace(FOUNDATIONS, "    due_day: 3", "    due_day:   3   # unchanged")
    repo.commit("Comments only")
    result = run_portal(runner, repo.root, "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 0
    assert "No change to the rules" in result.stdout
    assert changes(runner, repo, "HEAD~1", "HEAD") == []


def test_a_file_with_errors_is_reported_not_mistaken_for_a_removal(runner, repo):
    repo.replace(SALES, "level: 3", "level: eleven")
    repo.commit("Broken")
    assert changes(runner, repo, "HEAD~1") == [
        "`content/roles/sales-representative.yml` has 1 error(s) in the working tree and was not compared: "
        "run portal validate",
    ]


def test_json_format_gives_fields_before_and_after(runner, repo):
    repo.replace(NEG, "first_response_minutes: 15", "first_response_minutes: 30")
    repo.commit("Slower")
    result = run_portal(runner, repo.root, "diff", "HEAD~1", "HEAD", "--format", "json")
    data = json.loads(result.stdout)
    assert data["head"] == repo.git("rev-parse", "HEAD").strip()
    assert data["changes"] == [{
        "category": "playbooks", "action": "changed", "source": NEG, "id": "negativity",
        "text": "Handling negative posts > Customer complaint: first response 15 min -> 30 min",
        "markdown": "*Handling negative posts* > Customer complaint: first response 15 min -> 30 min",
        "field": "situations[customer-complaint].first_response_minutes", "before": 15, "after": 30,
    }]


def test_content_text_cannot_ping_people_or_inject_markdown(runner, repo):
    repo.replace(TONE, "avoided_words:\n", "avoided_words:\n  - word: \"@everyone [click](javascript:x) <b>\"\n")
    repo.commit("Odd word")
    (line,) = changes(runner, repo, "HEAD~1")
    assert "@\u2060everyone" in line
    assert "\\[click\\]" in line and "&lt;b&gt;" in line


def test_limit_counts_what_it_leaves_out(runner, repo):
    for name in ("engineer", "receptionist", "field-technician"):
        repo.path(f"content/roles/{name}.yml").unlink()
    repo.commit("Fewer roles")
    result = run_portal(runner, repo.root, "diff", "HEAD~1", "--limit", "2")
    lines = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    assert len(lines) == 3 and lines[-1].startswith("- … and 1 more")


def test_unknown_revision_and_a_folder_without_git_say_so(runner, repo, sample, tmp_path):
    result = run_portal(runner, repo.root, "diff", "no-such-branch")
    assert result.exit_code != 0
    assert "unknown revision 'no-such-branch'" in result.output
    plain = tmp_path / "plain"
    plain.mkdir()
    result = run_portal(runner, plain, "diff", "HEAD")
    assert result.exit_code != 0
    assert "unknown revision 'HEAD'" in result.output or "not a git repository" in result.output.lower()


def test_only_files_that_differ_are_loaded(runner, repo, monkeypatch):
    from generator import revisions

    loaded = []
    real = revisions.load_item

    def counting(kind, path, root, problems):
        loaded.append(path.relative_to(root).as_posix())
        return real(kind, path, root, problems)

    monkeypatch.setattr(revisions, "load_item", counting)
    repo.replace(NEG, "first_response_minutes: 15", "first_response_minutes: 30")
    repo.commit("One target")
    assert changes(runner, repo, "HEAD~1", "HEAD") == [
        "*Handling negative posts* > Customer complaint: first response 15 min -> 30 min",
    ]
    assert loaded == [NEG, NEG], "the old and the new negativity playbook, and nothing else"


def test_approved_posts_dates_audience_and_text_per_network(runner, repo):
    post = "content/posts/rooftop-week.yml"
    repo.replace(post, "expires: 2027-02-28", "expires: 2027-03-31")
    repo.replace(post, "roles: [field-technician, team-lead]", "roles: [field-technician]")
    repo.replace(post, "  facebook: |\n    What a week", "  facebook: |\n    Quite a week")
    repo.replace(post, "networks:\n", "networks:\n  linkedin: Five installations in three villages this week.\n")
    repo.replace(SALES, "level: 3", "level: 3\nincludes: [receptionist]")
    repo.commit("Post and role")
    assert changes(runner, repo, "HEAD~1") == [
        "Role *Sales representative*: *Receptionist* added to roles whose paths it takes too",
        "Post *A week on the rooftops*: `linkedin` added to text per network",
        "Post *A week on the rooftops*: text per network > `facebook` changed: "
        "<del>What</del> <ins>Quite</ins> a week for our …",
        "Post *A week on the rooftops*: *Team lead* removed from roles it is meant for",
        "Post *A week on the rooftops*: last day to share 2027-02-28 -> 2027-03-31",
    ]


STEP = "Reply in public within 15 minutes with the customer's name, an apology where one is due and a next step."
LANGUAGES = ("el", "sw", "ur", "zh")


def test_a_one_word_change_in_a_step_shows_the_changed_word_in_its_context(runner, repo):
    repo.replace(NEG, STEP, STEP.replace("within 15 minutes", "within 30 minutes"))
    repo.commit("Half an hour for the first public reply")
    assert changes(runner, repo, "HEAD~1") == [
        "*Handling negative posts* > Customer complaint: steps 1 changed: "
        "Reply in public within <del>15</del> <ins>30</ins> minutes with the customer's …",
    ]
    result = run_portal(runner, repo.root, "diff", "HEAD~1", "HEAD", "--format", "json")
    (change,) = json.loads(result.stdout)["changes"]
    assert change["text"] == ("Handling negative posts > Customer complaint: steps 1 changed: "
                              "Reply in public within [-15-] {+30+} minutes with the customer's …")
    assert (change["before"], change["after"]) == (STEP, STEP.replace("15", "30"))


def test_a_reworded_sentence_in_a_long_text_is_shown_in_context_not_just_as_changed(runner, repo):
    text = repo.read(SALES)
    paragraph = next(line for line in text.splitlines() if line.startswith("  ") and len(line.split()) > 8)
    words = paragraph.split()
    edited = paragraph.replace(f" {words[5]} ", " quickly ", 1)
    repo.replace(SALES, paragraph, edited)
    repo.commit("One word")
    (line,) = changes(runner, repo, "HEAD~1")
    assert line.startswith("Role *Sales representative*: ")
    assert f"<del>{words[5]}</del> <ins>quickly</ins>" in line
    assert " … " in line, "the unchanged rest is left out"


def test_a_rewritten_step_is_still_an_entry_added_and_one_removed(runner, repo):
    repo.replace(NEG, STEP, "Call the customer back the same day.")
    repo.commit("A different first step")
    assert changes(runner, repo, "HEAD~1") == [
        "*Handling negative posts* > Customer complaint: 'Call the customer back the same day.' added to steps",
        "*Handling negative posts* > Customer complaint: 'Reply in public within 15 minutes with the customer's "
        "name,…' removed from steps",
    ]


def test_the_translations_a_change_made_outdated_are_listed(runner, repo):
    repo.replace(NEG, STEP, STEP.replace("within 15 minutes", "within 30 minutes"))
    repo.commit("Half an hour")
    assert outdated(runner, repo, "HEAD~1") == [
        f"`content/playbooks/negativity.{lang}.yml`: the {lang} translation of *Handling negative posts*"
        for lang in LANGUAGES
    ]
    result = run_portal(runner, repo.root, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert [o["file"] for o in json.loads(result.stdout)["outdated_translations"]] == [
        f"content/playbooks/negativity.{lang}.yml" for lang in LANGUAGES
    ]
    # Brought up to date (and stamped) in the next change: that change makes none outdated, and
    # the one already outdated before a change is not listed again.
    assert run_portal(runner, repo.root, "report", "translations", "--stamp",
                      "content/playbooks/negativity.sw.yml").exit_code == 0
    repo.commit("Swahili brought up to date")
    assert outdated(runner, repo, "HEAD~1") == []
    repo.replace(TONE, "kind: tone\n", "kind: tone\n# a comment is text too: the fingerprint changes\n")
    repo.replace(NEG, "within 30 minutes", "within 20 minutes")
    repo.commit("Twenty minutes")
    assert outdated(runner, repo, "HEAD~1") == [
        "`content/playbooks/negativity.sw.yml`: the sw translation of *Handling negative posts*",
        *[f"`content/playbooks/tone.{lang}.yml`: the {lang} translation of *Tone of voice*" for lang in LANGUAGES],
    ]


def test_a_change_that_makes_no_translation_outdated_lists_none(runner, repo):
    for language in ("sw", "el", "zh", "ur"):  # a playbook with no translation
        repo.path(REWARDS.replace(".yml", f".{language}.yml")).unlink()
    repo.commit("No translations of the rewards playbook")
    repo.replace(REWARDS, "kind: rewards\n", "kind: rewards\n# reviewed\n")
    repo.commit("Comment")
    result = run_portal(runner, repo.root, "diff", "HEAD~1")
    assert "outdated" not in result.stdout
