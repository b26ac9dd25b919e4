"""The shape of every content file, as pydantic models.

These models are the single source of truth for what an editor may write:
the validator checks files against them, the JSON Schemas that editors'
tools use are exported from them, and every field carries a description
that ends up as hover help in the editor.

Scalars arrive from :mod:`generator.yamlio` as text (YAML 1.2 rules, no
implicit booleans or dates), so the number, boolean and date types below
accept the text form and say what they expected when it does not fit.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

# --- scalar types that read YAML 1.2 text -------------------------------------------------

_INT = re.compile(r"[-+]?[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _yaml_int(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a whole number, not true/false")
    if isinstance(value, str):
        if not _INT.match(value.strip()):
            raise ValueError(f"expected a whole number, got {value!r}")
        return int(value.strip())
    return value


def _yaml_bool(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text in ("true", "True", "TRUE"):
            return True
        if text in ("false", "False", "FALSE"):
            return False
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _yaml_date(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not _DATE.match(text):
            raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")
        try:
            return dt.date.fromisoformat(text)
        except ValueError as error:
            raise ValueError(f"{text!r} is not a real date ({error})") from None
    return value


Int = Annotated[int, BeforeValidator(_yaml_int)]
Bool = Annotated[bool, BeforeValidator(_yaml_bool)]
Date = Annotated[dt.date, BeforeValidator(_yaml_date), PlainSerializer(lambda d: d.isoformat())]


def _visible_text(value: str) -> str:
    """Refuse control characters (other than tab and line breaks) and text with nothing visible in it.

    YAML escapes (``"\\0"``, ``"\\x1b"``, ``"\\u200b"``) can put them in a value where no
    editor shows them; on a page they break the HTML or show nothing.
    """
    control = _CONTROL.search(value)
    if control:
        raise ValueError(f"contains the control character U+{ord(control.group()):04X}; delete it")
    if _PLAINLY_VISIBLE.search(value):
        return value  # the usual case, decided without looking at every character
    if not any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Zs", "Zl", "Zp") for ch in value):
        raise ValueError("must contain visible text")
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PLAINLY_VISIBLE = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f\u0370-\u05ff\u0620-\u064a\u0900-\u0dff\u3040-\u9fff\uac00-\ud7a3]"
)


class Translatable:
    """Marks text that a translation file may replace; every other value must stay as in the source."""

    def __repr__(self) -> str:
        return "TRANSLATABLE"


TRANSLATABLE = Translatable()

Title = Annotated[
    str,
    Field(min_length=1, max_length=120, pattern=r"\S", description="A short title, 1 to 120 characters."),
    AfterValidator(_visible_text),
    TRANSLATABLE,
]
Text = Annotated[str, Field(min_length=1, max_length=4000, pattern=r"\S"), AfterValidator(_visible_text), TRANSLATABLE]
LongText = Annotated[
    str, Field(min_length=1, max_length=20000, pattern=r"\S"), AfterValidator(_visible_text), TRANSLATABLE
]
Words = Annotated[str, TRANSLATABLE]
"""Free text without length rules of its own (a field's ``Field`` sets them)."""
Ref = Annotated[str, Field(min_length=1, max_length=80)]


class RefersTo:
    """Marks a field that holds the id of an item of another kind: ``RefersTo("roles")``.

    The checks report an id that names no file of that folder, where it is written (unless
    ``checked`` is false: the kind's own checks judge it, in words of their own); the
    comparison of revisions shows the item's title and follows renames.
    """

    def __init__(self, folder: str, *, checked: bool = True) -> None:
        self.folder, self.checked = folder, checked

    def __repr__(self) -> str:
        return f"RefersTo({self.folder!r})"


RoleRef = Annotated[Ref, RefersTo("roles")]
PathRef = Annotated[Ref, RefersTo("paths")]
LessonRef = Annotated[Ref, RefersTo("lessons")]
PlaybookRef = Annotated[Ref, RefersTo("playbooks")]
Minutes = Annotated[Int, Field(ge=1, le=600)]
DueDay = Annotated[Int, Field(ge=0, le=730)]


class Model(BaseModel):
    """Base of every content model: unknown fields are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)


# --- portal.yml -------------------------------------------------------------------------------


class Contact(Model):
    """A person or team employees can reach."""

    name: Title = Field(description="Who this is, as employees know them (a team or a role).")
    email: str | None = Field(default=None, max_length=200, description="An e-mail address.")
    channel: str | None = Field(
        default=None, max_length=200, description="A chat channel or other place to ask, e.g. #ask-social."
    )
    phone: str | None = Field(default=None, max_length=60, description="A phone number for urgent cases.")
    hours: Words | None = Field(default=None, max_length=200, description="When this contact answers.")


class Contacts(Model):
    """Where employees turn with questions and with emergencies."""

    questions: Contact = Field(description="Who answers everyday questions about social media.")
    escalation: Contact = Field(description="Where to escalate a crisis, a legal threat or anything urgent.")


class Repository(Model):
    """Where the content lives, so each page can link to its source file."""

    url: str = Field(pattern=r"^https://", description="The repository's web address (https).")
    branch: str = Field(default="main", description="The branch that is published.")
    edit_path: str = Field(
        default="edit/{branch}/{path}",
        description="How to form an edit link below the repository URL; {branch} and {path} are filled in.",
    )
    edit_links: Bool = Field(
        default=False,
        description="Show an 'Edit this page' button on every page, opening its source file in the repository: "
        "for portals whose readers may edit the content. Off by default: most employees cannot.",
    )


class SocialNetwork(Model):
    """A network that approved posts are written for, with how it counts a post's length."""

    name: Title = Field(description="The network's name as readers know it, e.g. WeChat.")
    limit: Annotated[Int, Field(ge=1, le=100000)] = Field(
        description="The most characters a post may have (Unicode characters, links included)."
    )
    link_length: Annotated[Int, Field(ge=1, le=500)] | None = Field(
        default=None,
        description="How many characters every link counts, when the network shortens links; "
        "leave it out when links count as written.",
    )
    share_url: str | None = Field(
        default=None, pattern=r"^https://", max_length=500,
        description="The network's own share page, with {url} and optionally {text} filled in URL-encoded; "
        "leave it out when posts can only be copied.",
    )


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class ScheduleRules(Model):
    """How due days become dates, and how long onboarding may take."""

    count: Literal["calendar_days", "working_days"] = Field(
        default="calendar_days",
        description="calendar_days: day N is N days after the start date; working_days: day N is the "
        "Nth working day after it, skipping weekend days and holidays.",
    )
    weekend: list[Weekday] = Field(
        default_factory=lambda: list[Weekday](["saturday", "sunday"]),
        description="The days nobody works, e.g. [saturday, sunday] or [friday, saturday].",
    )
    holidays: list[Date] = Field(
        default_factory=list, description="Dates, written YYYY-MM-DD, that are not working days."
    )
    onboarding_window: Annotated[Int, Field(ge=1, le=730)] | None = Field(
        default=None,
        description="Days (counted as above) within which every required step must be due, e.g. 30.",
    )


LANGUAGE_CODE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class Language(Model):
    """A language the portal is published in."""

    code: str = Field(
        pattern=LANGUAGE_CODE,
        description="The language code, e.g. sw, el, zh, ur; translation files end in .<code>.yml or .<code>.md.",
    )
    name: str = Field(
        min_length=1, max_length=60, pattern=r"\S",
        description="The language's name in that language, shown in the language switcher, e.g. Kiswahili.",
    )


class LearningRecords(Model):
    """Where the site sends xAPI learning records, and how it knows who the learner is."""

    endpoint: str = Field(
        pattern=r"^(/[^\s?#]*|https?://[^\s/?#]+(/[^\s?#]*)?)$", max_length=300,
        description="The LRS's xAPI base (the folder that holds `statements`): a path on the portal's own "
        "host such as /xapi/ (recommended: the web server forwards it to the LRS and adds the credential), "
        "or the LRS's https:// address.",
    )
    auth: Literal["proxy", "basic"] = Field(
        default="proxy",
        description="proxy: the web server in front of the portal adds the LRS credential (none is in the pages); "
        "basic: the pages carry a write-only credential read from the environment variable `credential_env` "
        "when the site is built.",
    )
    credential_env: str | None = Field(
        default=None, pattern=r"^[A-Z_][A-Z0-9_]*$", max_length=100,
        description="With auth: basic, the environment variable that holds the LRS credential as key:secret.",
    )
    identity: Literal["sso", "email"] = Field(
        default="email",
        description="sso: the web server tells the page who is signed in (identity_endpoint); "
        "email: the employee gives their work e-mail once, checked against email_domains.",
    )
    identity_endpoint: str = Field(
        default="/xapi/whoami", pattern=r"^/[^\s?#]*$", max_length=300,
        description="With identity: sso, a path on the portal's host that answers "
        '{"account": {"homePage": ..., "name": ...}} for the signed-in employee.',
    )
    email_domains: list[Annotated[str, Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", max_length=200)]] = Field(
        default_factory=list,
        description="With identity: email, the domains of work addresses, e.g. [jua-energy.example].",
    )
    batch_size: Annotated[Int, Field(ge=1, le=500)] = Field(
        default=20, description="Statements sent in one request at the most."
    )


class CheckSettings(Model):
    """How the knowledge checks of every lesson behave."""

    reveal: Literal["after_pass", "never", "always"] = Field(
        default="after_pass",
        description="When a learner sees the right answers and the explanations: after_pass: once they "
        "pass the check (the page cannot show them before); never: not at all; always: after every "
        "attempt, passed or not (the page then holds them readably).",
    )


class PortalConfig(Model):
    """`content/portal.yml`: the organisation and the portal's settings."""

    organisation: Title = Field(description="The organisation's name, shown in the header and on certificates.")
    program: Title = Field(
        default="Social media advocacy", description="The name of the training programme."
    )
    tagline: Text | None = Field(default=None, description="One sentence under the title on the home page.")
    introduction: LongText = Field(
        description="Markdown for the home page: what the programme is and why it matters."
    )
    default_language: str = Field(
        default="en", pattern=LANGUAGE_CODE, description="Language of the source files."
    )
    languages: list[Language] = Field(
        default_factory=list,
        description="Every language the portal is published in, the default language included; "
        "leave out for a portal in the default language only.",
    )
    disclosure_hashtag: str = Field(
        pattern=r"^#\w+$",
        description="The hashtag employees add to show they work here, e.g. #JuaTeam.",
    )
    contacts: Contacts = Field(description="Who employees ask with questions, and where they escalate.")
    repository: Repository | None = Field(
        default=None, description="Where the content is kept; enables 'Edit this page' links."
    )
    networks: dict[str, SocialNetwork] = Field(
        default_factory=dict,
        description="Networks beyond the built-in LinkedIn, X, Facebook and Instagram (e.g. wechat, weibo), "
        "by id; an id of a built-in network replaces it.",
    )
    site_url: str | None = Field(
        default=None, pattern=r"^https?://[^\s/]+(/\S*)?$", max_length=300,
        description="Where the built portal is published, e.g. https://learn.example.com/; "
        "lets downloaded calendars link to each lesson.",
    )
    schedule: ScheduleRules = Field(
        default_factory=ScheduleRules,
        description="How due days are counted (calendar or working days, weekend, holidays) "
        "and the onboarding window.",
    )
    checks: CheckSettings = Field(
        default_factory=CheckSettings, description="How the lessons' knowledge checks behave."
    )
    role_levels: Bool = Field(
        default=False,
        description="Show each role's level (1 to 10) on the role cards of the home page and on role pages. "
        "Off by default: the level orders the roles, and a rank shown to every employee reads as a judgement.",
    )
    recent_changes: Annotated[Int, Field(ge=0, le=100)] = Field(
        default=10,
        description="How many of the latest commits to content/ the What changed page covers; 0 leaves it out.",
    )
    learning_records: LearningRecords | None = Field(
        default=None,
        description="Switches learning records on: the site sends xAPI statements to the company's own LRS. "
        "Without it the site sends nothing anywhere.",
    )
    changes_since: str | None = Field(
        default=None, pattern=r"^(\d{4}-\d{2}-\d{2}|[0-9a-fA-F]{7,40})$",
        description="Where the What changed page starts: a date (YYYY-MM-DD; commits from that day on) or a "
        "commit (the commits after it), e.g. the day your programme left the sample it started from.",
    )


# --- roles ------------------------------------------------------------------------------------


class Approval(Model):
    """Something a role may only post after someone agreed."""

    what: Text = Field(description="What needs approval before it is posted.")
    approver: RoleRef = Field(description="The id of the role that approves it.")


class Escalation(Model):
    """Who this role turns to, and when."""

    role: RoleRef = Field(description="The id of the role to escalate to.")
    when: Text = Field(description="In which situations to escalate to them.")


class Role(Model):
    """`content/roles/<id>.yml`: a role guide."""

    title: Title = Field(description="The role's name, e.g. Sales representative.")
    level: Annotated[Int, Field(ge=1, le=10)] = Field(
        description="Place on the ladder, 1 (e.g. receptionist) to 10 (chief executive)."
    )
    summary: Text = Field(description="One or two sentences: who holds this role.")
    social_media: LongText = Field(description="Markdown: what social media means in this role.")
    may_post_freely: list[Text] = Field(
        default_factory=list, description="What people in this role may post without asking."
    )
    needs_approval: list[Approval] = Field(
        default_factory=list, description="What needs approval first, and from which role."
    )
    do: list[Text] = Field(default_factory=list, description="Habits to keep.")
    dont: list[Text] = Field(default_factory=list, description="Things never to do.")
    escalate_to: list[Escalation] = Field(
        default_factory=list, description="Roles to escalate to, and when."
    )
    paths: list[PathRef] = Field(default_factory=list, description="Ids of the learning paths assigned to this role.")
    includes: list[Annotated[Ref, RefersTo("roles", checked=False)]] = Field(
        default_factory=list,
        description="Ids of roles whose assignments this role takes too, e.g. [team-lead] for an executive.",
    )


# --- paths ------------------------------------------------------------------------------------


class Step(Model):
    """One lesson in a learning path."""

    lesson: LessonRef = Field(description="The id of the lesson (its file name without .md).")
    due_day: DueDay = Field(description="Days after the employee's start date by which it is due.")
    required: Bool = Field(default=True, description="false makes the step optional.")


class Refresher(Model):
    """Lessons of a path to take again at a regular interval."""

    every_months: Annotated[Int, Field(ge=1, le=60)] = Field(
        description="Months between refreshers, counted from the start date, e.g. 12."
    )
    lessons: list[Annotated[Ref, RefersTo("lessons", checked=False)]] = Field(
        min_length=1, description="Ids of the path's lessons to repeat."
    )


class LearningPath(Model):
    """`content/paths/<id>.yml`: an ordered learning path."""

    title: Title = Field(description="The path's name.")
    summary: Text = Field(description="One or two sentences: what the path teaches and for whom.")
    steps: list[Step] = Field(min_length=1, description="The lessons in the order they are taken.")
    refresher: Refresher | None = Field(
        default=None, description="Lessons to repeat at an interval, e.g. every 12 months."
    )


# --- lessons ----------------------------------------------------------------------------------


class Question(Model):
    """A multiple-choice question."""

    question: Text = Field(description="The question.")
    options: list[Text] = Field(min_length=2, max_length=8, description="The answers to choose from.")
    answer: Text = Field(description="The correct option, written exactly as in options.")
    hint: Text | None = Field(
        default=None,
        description="Shown after a wrong attempt at this question: where to look, never the answer.",
    )
    explanation: Text = Field(
        description="Why that answer is right; shown when portal.yml's `checks: reveal` allows it."
    )


class Acknowledgement(Model):
    """A statement employees confirm, recorded with the version they confirmed."""

    text: Text = Field(description='What the employee confirms, e.g. "I have read and will follow the social '
                       'media policy."')
    version: Date = Field(
        description="The date of the version to acknowledge, YYYY-MM-DD. Change it when the text changes "
        "materially: everyone is asked again, and HR's progress report shows who has not confirmed it yet."
    )


class KnowledgeCheck(Model):
    """Questions that complete a lesson when passed."""

    pass_mark: Annotated[Int, Field(ge=1)] | None = Field(
        default=None, description="Correct answers needed to pass; all of them when left out."
    )
    questions: list[Question] = Field(min_length=1, max_length=20, description="The questions.")


class LessonMeta(Model):
    """The front matter of `content/lessons/<id>.md`."""

    title: Title = Field(description="The lesson's title.")
    summary: Text = Field(description="One sentence shown in path lists and search results.")
    minutes: Minutes = Field(description="Estimated minutes to read and do the check.")
    tags: list[Ref] = Field(default_factory=list, description="Topics, for search and reports.")
    prerequisites: list[LessonRef] = Field(
        default_factory=list, description="Ids of lessons to complete before this one."
    )
    playbooks: list[PlaybookRef] = Field(
        default_factory=list, description="Ids of the playbooks this lesson teaches."
    )
    check: KnowledgeCheck | None = Field(default=None, description="An optional knowledge check.")
    acknowledge: Acknowledgement | None = Field(
        default=None, description="Asks every reader to confirm a policy; recorded when learning records are on."
    )


# --- playbooks --------------------------------------------------------------------------------


class PlaybookBase(Model):
    title: Title = Field(description="The playbook's title.")
    summary: Text = Field(description="One or two sentences: what this playbook settles.")
    introduction: LongText | None = Field(default=None, description="Markdown shown above the rules.")
    acknowledge: Acknowledgement | None = Field(
        default=None, description="Asks every reader to confirm this playbook; recorded when learning records are on."
    )


class Trait(Model):
    """A voice attribute."""

    trait: Title = Field(description="One word or a short phrase, e.g. Helpful.")
    means: Text = Field(description="What it means in practice.")


class WordChoice(Model):
    """A word we prefer or avoid."""

    word: Title = Field(description="The word or phrase.")
    instead: Words | None = Field(default=None, max_length=200, description="What to say instead, or instead of what.")
    why: Text | None = Field(default=None, description="The reason.")


class Example(Model):
    """A before-and-after rewrite for one channel."""

    channel: Title = Field(description="Where this is posted, e.g. LinkedIn or a reply to a complaint.")
    before: Text = Field(description="The draft as first written.")
    after: Text = Field(description="The same message in our voice.")
    why: Text | None = Field(default=None, description="What changed and why.")


class TonePlaybook(PlaybookBase):
    """A `kind: tone` playbook: how we sound."""

    kind: Literal["tone"] = Field(description="tone: how we sound, the words we prefer and avoid.")
    we_are: list[Trait] = Field(min_length=1, description="What our voice is.")
    we_are_not: list[Trait] = Field(default_factory=list, description="What our voice is not.")
    preferred_words: list[WordChoice] = Field(default_factory=list, description="Words we prefer.")
    avoided_words: list[WordChoice] = Field(default_factory=list, description="Words we avoid.")
    examples: list[Example] = Field(default_factory=list, description="Before-and-after examples per channel.")


class ReplyTemplate(Model):
    """A reply to adapt, not to paste."""

    name: Title = Field(description="When to use this reply.")
    text: Text = Field(description="The reply, with [brackets] around what to fill in.")


Severity = Literal["low", "medium", "high", "critical"]


class Situation(Model):
    """A kind of negative post and how we respond to it."""

    id: Ref = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="A short stable id, e.g. customer-complaint.")
    name: Title = Field(description="The kind of post, e.g. Customer complaint.")
    severity: Severity = Field(description="low, medium, high or critical.")
    first_response_minutes: Annotated[Int, Field(ge=1, le=10080)] = Field(
        description="Minutes within which the first public response is due."
    )
    owner: RoleRef = Field(description="The id of the role that owns the response.")
    recognise: Text = Field(description="How to recognise this kind of post.")
    steps: list[Text] = Field(min_length=1, description="What to do, in order.")
    templates: list[ReplyTemplate] = Field(default_factory=list, description="Replies to adapt.")
    escalate_when: list[Text] = Field(default_factory=list, description="Signs that it must be escalated.")
    escalate_to: RoleRef | None = Field(default=None, description="The id of the role to escalate to.")


class NegativityPlaybook(PlaybookBase):
    """A `kind: negativity` playbook: how we handle negative posts."""

    kind: Literal["negativity"] = Field(description="negativity: how we handle negative posts.")
    principles: list[Text] = Field(default_factory=list, description="Rules that hold for every situation.")
    situations: list[Situation] = Field(min_length=1, description="The kinds of negative posts.")


class RewardAction(Model):
    """An action that earns points."""

    id: Ref = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="A short stable id.")
    action: Title = Field(description="What the employee does.")
    points: Annotated[Int, Field(ge=0, le=10000)] = Field(description="Points it earns.")
    limit: Words | None = Field(default=None, max_length=200, description="A cap, e.g. 3 per week.")
    share: Bool = Field(
        default=False,
        description="true when the action is sharing an approved post: the rewards page links it to the share "
        "page and the share page names its points.",
    )
    recorded: Literal["completed-path"] | None = Field(
        default=None,
        description="completed-path: `portal progress --points` awards this action for every learning path a "
        "learner completed (from the learning records); share: true actions count recorded shares.",
    )


class Tier(Model):
    """A level of recognition."""

    name: Title = Field(description="The tier's name.")
    min_points: Annotated[Int, Field(ge=0)] = Field(description="Points needed to reach it.")
    badge: Words | None = Field(default=None, max_length=80, description="The badge shown on profiles.")
    recognition: Text = Field(description="What people in this tier receive.")


class Recognition(Model):
    """When and how ambassadors are recognised."""

    cadence: Title = Field(description="How often, e.g. Monthly.")
    how: list[Text] = Field(min_length=1, description="The ways recognition happens.")


class RewardsPlaybook(PlaybookBase):
    """A `kind: rewards` playbook: how we recognise advocates."""

    kind: Literal["rewards"] = Field(description="rewards: how we recognise advocates.")
    actions: list[RewardAction] = Field(min_length=1, description="Actions and their points.")
    tiers: list[Tier] = Field(min_length=1, description="Tiers or badges, from lowest to highest.")
    recognition: Recognition = Field(description="How often, and in which ways, ambassadors are thanked.")
    fairness: list[Text] = Field(min_length=1, description="Rules that keep the programme fair.")
    disclosure: list[Text] = Field(
        min_length=1, description="How employees disclose incentives when they post."
    )
    disclosure_appended: Bool = Field(
        default=False,
        description="true: the share page adds the disclosure hashtag from portal.yml to every approved post "
        "that lacks it (and the length checks count it); false: every approved post must contain it.",
    )


class CustomPlaybook(PlaybookBase):
    """A playbook of a kind the organisation defines with its own template in overrides/."""

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: str = Field(description="Selects overrides/portal/playbooks/<kind>.md.j2 to render it.")


# Which kinds exist is said by the modules of generator.kinds.playbooks, each naming its model;
# a new kind may define its model there, on PlaybookBase.


# --- approved posts ---------------------------------------------------------------------------

Hashtag = Annotated[str, Field(pattern=r"^#\w+$", max_length=100)]


class Post(Model):
    """`content/posts/<id>.yml`: an approved post that employees adapt and share."""

    title: Title = Field(description="What the post is about, shown above it on the share page.")
    language: str | None = Field(
        default=None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        description="The language code of the post's text; the post is shown on the site of that language. "
        "Leave it out for the portal's default language.",
    )
    link: str = Field(
        min_length=1, max_length=2000, description="The https:// address the post promotes; added when shared."
    )
    networks: dict[str, LongText] = Field(
        min_length=1,
        description="The text for each network, by network id: linkedin, x, facebook, instagram, "
        "or a network from portal.yml.",
    )
    hashtags: list[Hashtag] = Field(
        default_factory=list, description="Hashtags added after the text when they are not in it already."
    )
    roles: list[RoleRef] = Field(default_factory=list, description="Ids of the roles the post is meant for.")
    paths: list[PathRef] = Field(
        default_factory=list,
        description="Ids of learning paths; the post is meant for every role assigned one of them. "
        "With neither roles nor paths, it is meant for everyone.",
    )
    publish: Date = Field(description="The first day the post may be shared (YYYY-MM-DD).")
    expires: Date = Field(description="The last day the post may be shared (YYYY-MM-DD); it disappears after it.")
    tip: Text | None = Field(
        default=None, description="A suggestion shown with the post: what a reader could add in their own words."
    )


def unwrap_annotation(annotation: Any) -> tuple[Any, list[Any]]:
    """Unwrap ``Annotated`` and ``X | None``; returns the inner type and the metadata met on the way."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *more = typing.get_args(annotation)
            metadata.extend(more)
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, metadata
            annotation = args[0]
        else:
            return annotation, metadata
