"""The ``portal`` command. Heavy imports (MkDocs) happen inside the commands that need them."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from generator.console import report, source_line
from generator.errors import ContentError, Problem, summary


class ContentProblems(click.ClickException):
    """Exit status 1 after the problems were printed."""

    exit_code = 1

    def show(self, file: object = None) -> None:  # the problems are already on stderr
        click.echo(self.message, err=True)


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    from generator.buildlog import ENGINE_LOGGERS

    for name in ENGINE_LOGGERS:  # MkDocs', or ProperDocs' in its place
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
        logger.propagate = False


@click.group()
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
    help="The repository root: the folder holding content/ and mkdocs.yml.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' own progress messages.")
@click.version_option(package_name="advocacy-portal")
@click.pass_context
def main(ctx: click.Context, root: Path, verbose: bool) -> None:
    """Advocacy Portal: turn content/ into a static training site."""
    ctx.obj = root.resolve()
    _setup_logging(verbose)
    from generator.engines import EngineUnavailable, activate_from_environment

    try:
        activate_from_environment()  # PORTAL_ENGINE=properdocs: every command's MkDocs is ProperDocs
    except EngineUnavailable as error:
        raise click.ClickException(str(error)) from error


@main.command()
@click.pass_obj
def validate(root: Path) -> None:
    """Check all content; print every problem as path:line:col: message."""
    from generator.validate import validate as run_validation

    _, problems = run_validation(root)
    files = problems.files
    report(root, problems.items, files)
    if problems.errors:
        raise ContentProblems(f"validation failed with {len(problems.errors)} error(s)")
    if not problems.items:
        click.echo(summary([], files), err=True)


def _default_engine() -> str:
    from generator.engines import ENGINE_ENV, ENGINES

    name = os.environ.get(ENGINE_ENV, "").strip().lower()
    return name if name in ENGINES else ENGINES[0]


@main.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to put the built site (default: site/ in the repository root).")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default=_default_engine,
              show_default="mkdocs, or PORTAL_ENGINE",
              help="What renders the generated projects: MkDocs, ProperDocs (its maintained fork) or Zensical.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Build N languages at once, each in its own process (default: one per available core; "
                   "1 builds them one after the other).")
@click.pass_obj
def build(root: Path, site_dir: Path | None, engine: str, jobs: int | None) -> None:
    """Validate, generate and build the site; replace the site folder only on success."""
    from generator.engines import EngineUnavailable, activate

    try:
        activate(engine)  # before anything loads MkDocs: ProperDocs takes its place
    except EngineUnavailable as error:
        raise click.ClickException(str(error)) from error
    from generator.build import BuildFailed
    from generator.build import build as run_build

    try:
        result = run_build(root, site_dir, engine=engine, jobs=jobs)
    except ContentError as error:
        report(root, error.problems, error.files)
        raise ContentProblems("build stopped: fix the content errors above; the previous site is untouched") \
            from error
    except BuildFailed as error:
        raise click.ClickException(f"{error}\nThe previous site is untouched.") from error
    click.echo(f"Built {result.pages} pages into {result.site_dir} in {result.seconds:.1f} s", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_obj
def serve(root: Path, host: str, port: int) -> None:
    """Build, serve on localhost and rebuild on every change; a broken edit keeps the last good site."""
    from generator.serve import serve as run_serve

    run_serve(root, host, port)


@main.command()
@click.argument("kind", type=click.Choice(["lesson", "role", "path"]))
@click.argument("item_id")
@click.pass_obj
def new(root: Path, kind: str, item_id: str) -> None:
    """Write a valid, commented starting file for a new lesson, role or path."""
    from generator.scaffold import write_new

    path = write_new(root, kind, item_id)
    click.echo(f"Wrote {path.relative_to(root).as_posix()}")


@main.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--organisation", metavar="NAME", help="Your organisation's name (required without --sample).")
@click.option("--sample", is_flag=True,
              help="Start from a copy of this project's sample programme to edit, instead of a small skeleton.")
@click.option("--language", default="en", show_default=True, metavar="CODE",
              help="The language the skeleton's content is written in.")
@click.option("--language-name", default="English", show_default=True, metavar="NAME",
              help="That language's name in itself, for the language switcher.")
@click.pass_obj
def init(root: Path, target: Path, organisation: str | None, sample: bool, language: str,
         language_name: str) -> None:
    """Start a new programme in TARGET: a skeleton that validates, or the sample to edit.

    The new folder takes this project's theme settings (mkdocs.yml) and overrides/, none of its
    history, and a portal.yml whose What changed page starts today.
    """
    from generator.init import init_project
    from generator.schema_export import write_schemas

    made = init_project(root, target, organisation=organisation, sample=sample, language=language,
                        language_name=language_name)
    write_schemas(made, made / "content" / "schemas")
    click.echo(f"Started a new programme in {made}. Next:\n"
               f"  cd {made} && git init && portal validate && portal build\n"
               "Edit content/portal.yml first: your contacts, languages and disclosure hashtag.")


@main.command()
@click.option("--roster", "roster_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV of people: email, name, role, start_date[, language, manager, account]. "
                   "Keep it out of content/.")
@click.option("--lrs", "lrs_url", metavar="URL", help="The LRS's xAPI base URL (the folder holding `statements`).")
@click.option("--statements", "statements_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A statements export instead of an LRS: a JSON array, or one statement per line.")
@click.option("--credential-env", default="PORTAL_LRS_CREDENTIAL", show_default=True, metavar="NAME",
              help="Environment variable holding the LRS credential as key:secret.")
@click.option("--netrc", "netrc_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A netrc-style file with the LRS credential (machine HOST login KEY password SECRET).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("--overdue", is_flag=True, help="List only the lessons past their due date, and who has them.")
@click.option("--check", is_flag=True, help="Exit 1 when anyone has an overdue lesson (for a scheduled job).")
@click.option("--points", is_flag=True, help="Add each person's points by the rewards playbook's rules, as a ledger.")
@click.option("--skip-bad", is_flag=True, help="Skip malformed statements (counted) instead of stopping.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="The day to judge due dates by (default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file (only once it is complete) instead of standard output.")
@click.pass_obj
def progress(root: Path, roster_file: Path, lrs_url: str | None, statements_file: Path | None, credential_env: str,
             netrc_file: Path | None, fmt: str, overdue: bool, check: bool, points: bool, skip_bad: bool,
             today, output: Path | None) -> None:  # type: ignore[no-untyped-def]
    """Who learned what, from the learning records: done, due, overdue or to review, per person, role and manager."""
    import datetime as dt
    import os
    import urllib.parse

    from generator import progress as progress_model
    from generator import progress_output
    from generator.roster import load_roster
    from generator.statements import BadStatement, LrsError, credential_from, read_lrs

    if (lrs_url is None) == (statements_file is None):
        raise click.UsageError("give either --lrs URL or --statements FILE")
    portal = _checked_portal(root, check=progress_model.load_for_report)
    if not portal.config.site_url:
        raise click.ClickException("content/portal.yml has no site_url: statements name activities by it")
    people, problems = load_roster(roster_file, portal, str(roster_file))
    if problems.errors:
        report(Path.cwd(), problems.items, 1)
        raise ContentProblems(f"fix the {len(problems.errors)} roster error(s) above first")
    records = progress_model.Records(portal)
    counts = {"read": 0, "ignored": 0, "skipped": 0}
    bad: list[BadStatement] = []
    try:
        if statements_file is not None:
            bad = records.add_file(statements_file)
        else:
            assert lrs_url is not None
            host = urllib.parse.urlsplit(lrs_url).hostname or ""
            for statement in read_lrs(lrs_url, credential_from(credential_env, netrc_file, host)):
                if isinstance(statement, dict) and all(isinstance(statement.get(k), dict)
                                                       for k in ("actor", "verb", "object")):
                    records.add(statement)
                else:
                    counts["skipped"] += 1
    except LrsError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"{statements_file}: {error.strerror}") from error
    if bad and not skip_bad:
        for item in bad[:50]:
            click.echo(f"{statements_file}:{item.line}:{item.col}: {item.message}", err=True)
        more = " (the first 50 shown)" if len(bad) > 50 else ""
        raise click.ClickException(f"{len(bad)} malformed statement(s){more}; fix the export, or give --skip-bad "
                                   "to count them and report on the rest")
    counts["skipped"] += len(bad)
    counts["read"] = records.counted
    counts["ignored"] = records.ignored
    day = today.date() if today else dt.date.today()
    reports = progress_model.build_report(portal, records, people, day)
    anyone_overdue = any(row.status == "overdue" and row.required for r in reports for row in r.lessons)
    if overdue:
        reports = progress_output.only_overdue(reports)
    ledgers = {p.email: progress_model.ledger(portal, records, p) for p in people} if points else None
    if fmt == "csv":
        text = progress_output.to_csv(reports, ledgers)
    elif fmt == "json":
        text = progress_output.to_json(reports, day, counts, ledgers)
    elif fmt == "html":
        text = progress_output.to_html(reports, day, counts, portal.config.organisation, ledgers)
    else:
        text = progress_output.to_table(reports, day, counts, ledgers)
    if output is None:
        click.echo(text, nl=False)
    else:
        partial = output.with_name(f".{output.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, output)
        click.echo(f"Wrote {output}", err=True)
    if check and anyone_overdue:
        raise SystemExit(1)


def _checked_portal(root: Path, *, allow: set[Problem] | None = None, check=None):  # type: ignore[no-untyped-def]
    """The validated portal, or exit 1 after printing its errors (those in ``allow`` excepted).

    ``check``: what loads and checks the content, when a command needs less than all of it.
    """
    from generator.validate import validate as run_validation

    portal, problems = (check or run_validation)(root)
    blocking = [p for p in problems.errors if p not in (allow or set())]
    if portal is None or blocking:
        report(root, problems.items, portal.files if portal else 0)
        raise ContentProblems(f"fix the {len(blocking) or len(problems.errors)} content error(s) above first")
    return portal


def _find_role(portal, role_id: str):  # type: ignore[no-untyped-def]
    from generator.load import closest

    if role_id in portal.roles:
        return portal.roles[role_id]
    by_title = {r.data.title.casefold(): r for r in portal.roles.values()}
    if role_id.casefold() in by_title:
        return by_title[role_id.casefold()]
    guess = closest(role_id, portal.roles)
    raise click.BadParameter(
        f"unknown role `{role_id}`" + (f"; did you mean `{guess}`?" if guess else "")
        + "\nroles: " + ", ".join(r.id for r in portal.roles_by_level()),
        param_hint="--role",
    )


@main.command()
@click.option("--role", "role_id", required=True, metavar="ROLE",
              help="The role's id (its file name), e.g. sales-representative.")
@click.option("--start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The employee's first day.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "ics"]), default="table", show_default=True,
              help="table to read, csv for a spreadsheet, ics for a calendar.")
@click.pass_obj
def plan(root: Path, role_id: str, start, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """A role's schedule with real dates: every lesson, by when, and the refreshers of the first year."""
    from generator import export
    from generator.lookup import Messages
    from generator.schedule import plan as make_plan

    portal = _checked_portal(root)
    role = _find_role(portal, role_id)
    day = start.date()
    rows = export.rows(portal, make_plan(portal, role, day))
    if fmt == "csv":
        text = export.to_csv(rows)
    elif fmt == "ics":
        text = export.to_ics(portal, role, day, rows, Messages(portal.config.default_language))
    else:
        text = export.to_table(portal, role, day, rows)
    click.echo(text, nl=False)


@main.group(name="report", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table to read, csv (the roles-by-lessons matrix) for a spreadsheet, json for tools.")
@click.option("--check", is_flag=True, help="Exit with status 1 when the report finds any policy breach.")
@click.pass_context
def report_command(ctx: click.Context, fmt: str, check: bool) -> None:
    """Who learns what by when: per role, the roles-by-lessons matrix, gaps and policy breaches."""
    if ctx.invoked_subcommand is not None:
        return
    from generator import report as hr_report
    from generator.schedule import policy_problems

    root: Path = ctx.obj
    from generator.load import load_portal

    loaded, _ = load_portal(root)
    allowed = set(policy_problems(loaded).items) if loaded is not None else set()
    portal = _checked_portal(root, allow=allowed)
    result = hr_report.build_report(portal)
    if fmt == "json":
        click.echo(hr_report.as_json(result), nl=False)
    elif fmt == "csv":
        click.echo(hr_report.as_csv(result), nl=False)
        for breach in result.breaches:
            click.echo(breach.problem.format(source_line(root, breach.problem)), err=True)
    else:
        click.echo(hr_report.as_table(result), nl=False)
    if check and result.breaches:
        raise ContentProblems(f"report: {len(result.breaches)} policy breach(es)")


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the schemas (default: content/schemas/ in the repository root).")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when a schema file is missing or out of date.")
@click.pass_obj
def schema(root: Path, out_dir: Path | None, check: bool) -> None:
    """Write JSON Schemas (draft-07) of every content file type, for editors' completion and hover help.

    Also puts the line that names its schema at the top of every translation file in content/
    (run it after adding translation files).
    """
    from generator.schema_export import SCHEMA_DIR, stale_schemas, translation_schema_lines, write_schemas

    target = out_dir if out_dir is not None else root / SCHEMA_DIR
    shown = _shown(target, root)
    # The lines name the schemas in content/schemas/: only a run that writes there fixes them.
    lines = out_dir is None or target.resolve() == (root / SCHEMA_DIR).resolve()
    if check:
        stale = [f"{shown}/{name}: out of date" for name in stale_schemas(root, target)]
        if lines:
            stale += [f"{_shown(path, root)}: its first line does not name its translation schema"
                      for path in translation_schema_lines(root, write=False)]
        if stale:
            raise ContentProblems("\n".join(stale) + "\nrun `portal schema` and commit the result")
        click.echo(f"{shown}: schemas are up to date", err=True)
        return
    changed = write_schemas(root, target)
    click.echo(f"{shown}: {len(changed)} schema file(s) written, the others were up to date", err=True)
    if lines:
        fixed = translation_schema_lines(root, write=True)
        click.echo(f"{len(fixed)} translation file(s) given the line that names their schema", err=True)


def _shown(path: Path, root: Path) -> str:
    """``path`` as an editor would type it: relative to the repository root when inside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@main.command()
@click.argument("base")
@click.argument("head", required=False)
@click.option("--format", "output", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="Markdown for a pull-request comment, or JSON for tools.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="List at most this many changes (a comment has a size limit); the rest are counted.")
@click.pass_obj
def diff(root: Path, base: str, head: str | None, output: str, limit: int | None) -> None:
    """What changed in content/ from BASE to HEAD, in policy terms.

    BASE and HEAD are git revisions (a branch, a tag, HEAD~1, a commit id). Without HEAD,
    BASE is compared with the working tree: committed, uncommitted and untracked files
    under content/ alike, as `git diff BASE` does for tracked files.
    """
    import json

    from generator.diff import Wording, diff_revisions, wording_messages
    from generator.revisions import GitError

    try:
        comparison = diff_revisions(root, base, head)
    except GitError as error:
        raise click.ClickException(str(error)) from error
    t = wording_messages(root, comparison.language)
    plain, markdown = Wording(t), Wording(t, markdown=True, mention_safe=True)
    changes = comparison.changes
    shown = changes if limit is None else changes[:limit]
    if output == "json":
        data = {
            "base": comparison.base,
            "head": comparison.head,
            "changes": [c.as_json(plain, markdown) for c in shown],
            "more": len(changes) - len(shown),
            "outdated_translations": [
                {"file": o.path, "language": o.language, "source": o.source} for o in comparison.outdated
            ],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    base_label = f"`{comparison.base[:7]}`"
    head_label = f"`{comparison.head[:7]}`" if comparison.head else t("diff_working_tree")
    click.echo(f"### {t('diff_heading')}\n")
    if not changes:
        click.echo(t("diff_none", base=base_label, head=head_label))
    else:
        click.echo(t("diff_compared", base=base_label, head=head_label, n=len(changes)) + "\n")
        for line in markdown.lines(shown):
            click.echo(f"- {line}")
        if len(shown) < len(changes):
            click.echo(f"- {t('diff_more', n=len(changes) - len(shown))}")
    if comparison.outdated:
        click.echo("\n" + t("diff_outdated", n=len(comparison.outdated)) + "\n")
        for outdated in comparison.outdated:
            click.echo("- " + t("diff_outdated_line", file=f"`{outdated.path}`", lang=outdated.language,
                                item=markdown.value(outdated.subject)))


@report_command.command("translations")
@click.option("--check", is_flag=True, help="Exit 1 when a translation is outdated or has errors (for CI).")
@click.option("--require-all", is_flag=True, help="With --check, also exit 1 when a page has no translation.")
@click.option("--language", "-l", "only", multiple=True, metavar="CODE", help="Report on this language only.")
@click.option(
    "--stamp", type=click.Path(dir_okay=False, path_type=Path), multiple=True, metavar="FILE",
    help="Record the source's current fingerprint in this translation file (after bringing it up to date).",
)
@click.pass_obj
def report_translations(root: Path, check: bool, require_all: bool, only: tuple[str, ...],
                        stamp: tuple[Path, ...]) -> None:
    """Per language: pages not translated yet, and translations whose source changed since."""
    from generator.translations import status
    from generator.validate import validate as run_validation

    if stamp:
        _stamp(root, stamp)
        return
    portal, problems = run_validation(root)
    if portal is None:
        report(root, problems.items, 0)
        raise ContentProblems("cannot report: fix the content errors above")
    from generator.languages import codes, name_of

    unknown = [code for code in only if code not in codes(portal)[1:]]
    if unknown:
        raise click.BadParameter(f"not a translated language of this portal: {', '.join(unknown)}",
                                 param_hint="--language")
    pages = [page for page in status(portal) if not only or page.language in only]
    failing = False
    for language in [code for code in codes(portal)[1:] if not only or code in only]:
        mine = [page for page in pages if page.language == language]
        done = sum(page.state == "current" for page in mine)
        outdated = [page for page in mine if page.state == "outdated"]
        missing = [page for page in mine if page.state == "missing"]
        click.echo(f"{language} ({name_of(portal, language)}): {done} of {len(mine)} pages translated and "
                   f"current, {len(outdated)} outdated, {len(missing)} missing")
        for page in outdated:
            was = page.recorded or "nothing"
            click.echo(f"  outdated  {page.translation}  ({page.source} changed: recorded {was}, now {page.current})")
        for page in missing:
            click.echo(f"  missing   {page.translation}")
        failing = failing or bool(outdated) or (require_all and bool(missing))
    errors = [p for p in problems.errors if not only or any(f".{code}." in p.path for code in only)]
    if errors:
        click.echo(f"{len(errors)} content error(s): run `portal validate` to see them", err=True)
    if check and (failing or errors):
        raise ContentProblems("translations need attention (see above)")


def _stamp(root: Path, files: tuple[Path, ...]) -> None:
    from generator.schema_export import fix_schema_line
    from generator.translations import split_name, stamp

    for given in files:
        path = given if given.is_absolute() or not (root / given).exists() else root / given
        path = path.resolve()
        try:
            rel = path.relative_to(root / "content")
        except ValueError:
            raise click.BadParameter(f"{given}: not a file in {root / 'content'}", param_hint="--stamp") from None
        item_id, language = split_name(path.name, path.suffix)
        source = path.with_name(item_id + path.suffix)
        if language is None or not path.is_file() or not source.is_file():
            raise click.BadParameter(f"{given}: not a translation beside its source (like roles/ceo.sw.yml)",
                                     param_hint="--stamp")
        try:
            fingerprint = stamp(path, source)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        fix_schema_line(root, path)  # the translator's editor then offers the translatable fields
        click.echo(f"content/{rel.as_posix()}: source_fingerprint {fingerprint} "
                   f"(content/{source.relative_to(root / 'content').as_posix()})")


@main.command(name="export")
@click.argument("path_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["scorm12", "scorm2004", "cmi5"]), required=True,
              help="The LMS standard: SCORM 1.2, SCORM 2004 4th edition or cmi5.")
@click.option("--language", metavar="CODE", default=None,
              help="The language of the package (default: the portal's default language).")
@click.option("--all", "export_all", is_flag=True, help="Every path in every language, one zip each.")
@click.option("--fallback", metavar="CODE", default=None,
              help="Show lessons not translated yet in this language (the default one) instead of stopping.")
@click.option("--link-playbooks", metavar="URL", default=None,
              help="Link playbooks and role guides to the published portal at URL instead of packaging them.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="The zip to write (with --all: the folder for the zips). Default: the current folder.")
@click.pass_obj
def export_package(root: Path, path_id: str | None, fmt: str, language: str | None, export_all: bool,
                   fallback: str | None, link_playbooks: str | None, output: Path | None) -> None:
    """Package a learning path for a company's LMS: SCORM 1.2, SCORM 2004 or cmi5 (a zip per path
    and language). Lessons report their knowledge check's score, pass and completion to the LMS."""
    from generator import languages, lms
    from generator.build import BuildFailed

    if export_all == bool(path_id):
        raise click.UsageError("name one PATH_ID, or give --all")
    portal = _checked_portal(root)
    codes = languages.codes(portal)
    if export_all:
        wanted = [language] if language else codes
        requests = [(p, code) for code in wanted for p in sorted(portal.paths)]
        folder = output or Path.cwd()

        def out_for(path: str, code: str) -> Path:
            return folder / lms.default_name(path, code, fmt)
    else:
        assert path_id is not None
        requests = [(path_id, language or codes[0])]

        def out_for(path: str, code: str) -> Path:
            if output is None:
                return Path.cwd() / lms.default_name(path, code, fmt)
            return output / lms.default_name(path, code, fmt) if output.is_dir() else output
    try:
        written = lms.export(portal, requests, fmt, out_for, fallback=fallback, link_playbooks=link_playbooks)
    except lms.ExportError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        raise ContentProblems("export stopped: nothing was written") from error
    except BuildFailed as error:
        raise click.ClickException(f"{error}\nNothing was written.") from error
    for target, package in written:
        click.echo(f"{target} ({fmt}, {package.language}, {len(package.files)} files, "
                   f"content version {package.fingerprint})")
        untranslated = lms.fallback_lessons(portal, package.path_id, package.language)
        if untranslated:
            click.echo(f"  note: {len(untranslated)} lesson(s) not translated into {package.language} are in "
                       f"{codes[0]}: {', '.join(untranslated)}", err=True)
