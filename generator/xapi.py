"""The portal's xAPI 1.0.3 vocabulary: verbs, activity ids and types, and the fingerprint extension.

One place for what a statement means, shared by the browser (the site's records script gets it as
data), ``portal progress`` (which reads statements back) and the LMS packages. Verbs are the ADL
registry's where one fits; activity ids are made from the portal's ``site_url`` and the item's id,
so they stay the same across builds, languages and hosts that mirror the site.
"""

from __future__ import annotations

from typing import Any

XAPI_VERSION = "1.0.3"

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "experienced": ADL + "experienced",  # a lesson or playbook opened
    "answered": ADL + "answered",  # one question of a knowledge check
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "completed": ADL + "completed",  # a lesson or a whole path
    "shared": ADL + "shared",  # an approved post shared on a network
    "agreed": "http://activitystrea.ms/schema/1.0/agree",  # a policy acknowledged (registry verb "agreed")
}
"""Our name for each event -> the verb IRI."""

ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "check": "http://adlnet.gov/expapi/activities/assessment",
    "path": "http://adlnet.gov/expapi/activities/course",
    "playbook": "http://adlnet.gov/expapi/activities/policy",
    "post": "http://id.tincanapi.com/activitytype/social-network-post",
}


def base_iri(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


def activity_id(site_url: str, kind: str, item_id: str, part: str | None = None) -> str:
    """The stable IRI of an item (``kind`` is lessons, paths, playbooks or posts), or of a part of it.

    >>> activity_id("https://learn.example.com", "lessons", "answering-fast", "check")
    'https://learn.example.com/xapi/activities/lessons/answering-fast/check'
    """
    iri = f"{base_iri(site_url)}xapi/activities/{kind}/{item_id}"
    return f"{iri}/{part}" if part else iri


def fingerprint_extension(site_url: str) -> str:
    """The context extension that carries the content fingerprint of the version that was learned."""
    return f"{base_iri(site_url)}xapi/extensions/fingerprint"


def version_extension(site_url: str) -> str:
    """The context extension that carries the acknowledged version (a date) of a policy."""
    return f"{base_iri(site_url)}xapi/extensions/version"


def network_extension(site_url: str) -> str:
    """The context extension that names the network an approved post was shared on."""
    return f"{base_iri(site_url)}xapi/extensions/network"


def vocabulary(site_url: str) -> dict[str, Any]:
    """What the browser needs to write statements, as data."""
    return {
        "version": XAPI_VERSION,
        "verbs": VERBS,
        "types": ACTIVITY_TYPES,
        "base": base_iri(site_url) + "xapi/activities/",
        "fingerprint": fingerprint_extension(site_url),
        "ackVersion": version_extension(site_url),
        "network": network_extension(site_url),
    }


def check_learning_records(portal: Any, problems: Any, environ: dict[str, str] | None = None) -> None:
    """The ``learning_records`` block of portal.yml: what the schema cannot say alone, located."""
    import os
    import urllib.parse

    config = portal.config
    records = config.learning_records
    if records is None:
        return
    env: Any = os.environ if environ is None else environ
    doc, where = portal.config_doc, "content/portal.yml"

    def error(loc: tuple[str, ...], message: str, hint: str | None = None) -> None:
        line, col = doc.value_at(("learning_records", *loc))
        problems.add(where, line, col, message, hint=hint)

    if not config.site_url:
        error((), "learning records need `site_url`: statements name each lesson by an address made from it",
              hint="set site_url: https://… to where the portal is published")
    absolute = records.endpoint.startswith(("http://", "https://"))
    if absolute:
        host = urllib.parse.urlsplit(records.endpoint).hostname or ""
        if records.endpoint.startswith("http://") and host not in ("localhost", "127.0.0.1", "::1"):
            error(("endpoint",), "the LRS must be reached over https:// (http:// only for localhost)")
        if records.auth == "proxy":
            error(("auth",), "auth: proxy means the portal's own web server forwards the records: "
                  "the endpoint must be a path on the portal's host, such as /xapi/",
                  hint="use endpoint: /xapi/, or auth: basic to send straight to the LRS")
    if records.auth == "basic":
        if not records.credential_env:
            error(("auth",), "auth: basic needs `credential_env`, the environment variable that holds the LRS "
                  "credential (key:secret) when the site is built")
        elif ":" not in env.get(records.credential_env, ""):
            error(("credential_env",), f"the environment variable {records.credential_env} is not set to an LRS "
                  "credential written key:secret",
                  hint="give the site a write-only credential: it is readable in every page")
    if records.identity == "email" and not records.email_domains:
        error(("identity",), "identity: email needs `email_domains`, the domains of your work addresses",
              hint="e.g. email_domains: [jua-energy.example]")
