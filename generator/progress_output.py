"""``portal progress`` output: a table for the terminal, CSV and JSON for other tools, one HTML file for HR."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import re
from collections import Counter
from typing import Any

from generator.progress import LedgerLine, PersonReport

# --- summaries ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Group:
    name: str
    people: int = 0
    finished: int = 0
    """Everyone whose required lessons are all done."""
    overdue: int = 0
    """People with at least one overdue lesson."""
    not_started: int = 0
    unacknowledged: int = 0


def summarise(reports: list[PersonReport], key: str) -> list[Group]:
    groups: dict[str, Group] = {}
    for report in reports:
        name = report.role_title if key == "role" else (report.person.manager or "-")
        group = groups.setdefault(name, Group(name))
        group.people += 1
        required = [row for row in report.lessons if row.required]
        group.finished += all(row.status == "done" for row in required)
        group.overdue += any(row.status == "overdue" for row in required)
        group.not_started += not report.started
        group.unacknowledged += any(ack.status != "acknowledged" for ack in report.acknowledgements)
    return sorted(groups.values(), key=lambda group: group.name.casefold())


def only_overdue(reports: list[PersonReport]) -> list[PersonReport]:
    """Each person with an overdue required lesson, showing only those lessons."""
    kept = []
    for report in reports:
        rows = [row for row in report.lessons if row.required and row.status == "overdue"]
        if rows:
            kept.append(dataclasses.replace(report, lessons=rows, acknowledgements=[]))
    return kept


# --- table ----------------------------------------------------------------------------------------


def _score(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def to_table(reports: list[PersonReport], today: dt.date, counts: dict[str, int],
             ledgers: dict[str, list[LedgerLine]] | None = None) -> str:
    out = io.StringIO()
    overdue = sum(1 for r in reports if any(row.status == "overdue" and row.required for row in r.lessons))
    never = sum(1 for r in reports if not r.started)
    out.write(f"Progress on {today.isoformat()}: {len(reports)} people, {overdue} with overdue lessons, "
              f"{never} never started ({counts['read']} statements read, {counts['ignored']} about other things"
              + (f", {counts['skipped']} malformed skipped" if counts.get("skipped") else "") + ")\n")
    for report in reports:
        person = report.person
        out.write(f"\n{person.name} <{person.email}> · {report.role_title}"
                  + (f" · manager {person.manager}" if person.manager else "")
                  + f" · started {person.start.isoformat()}"
                  + ("" if report.started else " · never started") + "\n")
        for row in report.lessons:
            when = f"done {row.completed}" if row.status == "done" else (
                f"done {row.completed}, changed since" if row.status == "redo" else f"due {row.due.isoformat()}")
            flags = ("" if row.required else " (optional)") + (" (refresher)" if row.refresher else "")
            score = f"  score {_score(row.score)}" if row.score is not None else ""
            out.write(f"  {row.status:<8} {when:<28} {row.title}{flags}{score}\n")
        for ack in report.acknowledgements:
            out.write(f"  {'ack ' + ack.status:<17} {ack.title} (version {ack.version})"
                      + (f", confirmed {ack.date}" if ack.date else "") + "\n")
        if ledgers is not None:
            lines = ledgers.get(person.email, [])
            out.write(f"  points: {sum(line.points for line in lines)}\n")
            for line in lines:
                out.write(f"    {line.date}  {line.points:>4}  {line.rule}: {line.what}"
                          + (f" ({line.note})" if line.note else "") + "\n")
    for title, key in (("By role", "role"), ("By manager", "manager")):
        groups = summarise(reports, key)
        if not groups:
            continue
        width = max(len(group.name) for group in groups)
        out.write(f"\n{title}\n  {'':<{width}}  people  all done  overdue  never started  not acknowledged\n")
        for group in groups:
            out.write(f"  {group.name:<{width}}  {group.people:>6}  {group.finished:>8}  {group.overdue:>7}"
                      f"  {group.not_started:>13}  {group.unacknowledged:>16}\n")
    return out.getvalue()


# --- CSV and JSON ---------------------------------------------------------------------------------

CSV_COLUMNS = ("email", "name", "role", "manager", "start_date", "kind", "item", "title", "path", "due", "status",
               "completed", "score")


_NEEDS_QUOTES = re.compile(r'[",\r\n]').search


def _cell(text: str) -> str:
    """One CSV field as :func:`csv.writer` writes it by default: quoted, with its quotes doubled, only when it
    holds a comma, a quote or a line break."""
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES(text) else text


def to_csv(reports: list[PersonReport], ledgers: dict[str, list[LedgerLine]] | None = None) -> str:
    """The rows ``csv.writer`` would write (tested against it), joined directly: a large company's report has
    tens of thousands of rows, most of them the same few lessons."""
    lines = [",".join(CSV_COLUMNS)]
    lesson_cells: dict[tuple[str, str, str], str] = {}
    for report in reports:
        p = report.person
        head = ",".join([_cell(p.email), _cell(p.name), _cell(p.role), _cell(p.manager), p.start.isoformat()])
        for row in report.lessons:
            kind = "refresher" if row.refresher else "lesson" if row.required else "optional lesson"
            key = (row.lesson, row.title, row.path)
            cells = lesson_cells.get(key)
            if cells is None:
                cells = lesson_cells[key] = ",".join(map(_cell, key))
            score = "" if row.score is None else f"{row.score:.2f}"
            lines.append(f"{head},{kind},{cells},{row.due.isoformat()},{row.status},{_cell(row.completed)},{score}")
        for ack in report.acknowledgements:
            lines.append(f"{head},acknowledgement,{_cell(ack.item)},{_cell(ack.title)},,{_cell(ack.version)},"
                         f"{ack.status},{_cell(ack.date)},")
        for line in (ledgers or {}).get(p.email, []):
            lines.append(f"{head},points,{_cell(line.rule)},{_cell(line.what)},,,{_cell(line.note)},"
                         f"{_cell(line.date)},{line.points}")
    lines.append("")
    return "\r\n".join(lines)


def as_data(reports: list[PersonReport], today: dt.date, counts: dict[str, int],
            ledgers: dict[str, list[LedgerLine]] | None = None) -> dict[str, Any]:
    people = []
    for report in reports:
        p = report.person
        entry: dict[str, Any] = {
            "email": p.email, "name": p.name, "role": p.role, "role_title": report.role_title,
            "manager": p.manager, "start_date": p.start.isoformat(), "language": p.language,
            "started": report.started, "last_seen": report.last_seen,
            "counts": {status: report.count(status) for status in ("done", "redo", "overdue", "due")},
            "lessons": [
                {"lesson": r.lesson, "title": r.title, "path": r.path, "due": r.due.isoformat(),
                 "required": r.required, "refresher": r.refresher, "status": r.status,
                 "completed": r.completed or None, "score": r.score}
                for r in report.lessons
            ],
            "acknowledgements": [dataclasses.asdict(ack) for ack in report.acknowledgements],
        }
        if ledgers is not None:
            lines = ledgers.get(p.email, [])
            entry["points"] = {"total": sum(line.points for line in lines),
                               "ledger": [dataclasses.asdict(line) for line in lines]}
        people.append(entry)
    return {
        "today": today.isoformat(),
        "statements": counts,
        "people": people,
        "roles": [dataclasses.asdict(group) for group in summarise(reports, "role")],
        "managers": [dataclasses.asdict(group) for group in summarise(reports, "manager")],
    }


def to_json(reports: list[PersonReport], today: dt.date, counts: dict[str, int],
            ledgers: dict[str, list[LedgerLine]] | None = None) -> str:
    return json.dumps(as_data(reports, today, counts, ledgers), ensure_ascii=False, indent=2) + "\n"


# --- HTML -----------------------------------------------------------------------------------------


def _chart(reports: list[PersonReport], today: dt.date) -> str:
    """Required lessons completed, counted up day by day, as an SVG line with a text alternative."""
    days = Counter(row.completed for r in reports for row in r.lessons if row.required and row.status == "done")
    total = sum(r.required for r in reports) or 1
    if not days:
        return "<p>No lesson has been completed yet.</p>"
    first = dt.date.fromisoformat(min(days))
    span = max((today - first).days, 1)
    width, height, pad = 640, 200, 36
    points, running = [], 0
    for offset in range(span + 1):
        day = (first + dt.timedelta(days=offset)).isoformat()
        running += days.get(day, 0)
        x = pad + (width - 2 * pad) * offset / span
        y = height - pad - (height - 2 * pad) * running / total
        points.append(f"{x:.1f},{y:.1f}")
    share = round(100 * running / total)
    desc = (f"From {first.isoformat()} to {today.isoformat()}, completed required lessons grew to {running} "
            f"of {total} ({share}%).")
    return (
        f'<figure class="chart"><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">Completion over time</title><desc id="chart-desc">{html.escape(desc)}</desc>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" class="axis"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" class="axis"/>'
        f'<polyline points="{" ".join(points)}" class="line"/>'
        f'<text x="{pad}" y="{height - 10}">{first.isoformat()}</text>'
        f'<text x="{width - pad}" y="{height - 10}" text-anchor="end">{today.isoformat()}</text>'
        f'<text x="{pad - 6}" y="{pad + 4}" text-anchor="end">{total}</text>'
        f'</svg><figcaption>{html.escape(desc)}</figcaption></figure>'
    )


_STYLE = """
:root{--ink:#1b1f23;--muted:#4f5a66;--line:#d0d7de;--accent:#00695c;--bad:#b3261e;--warn:#7a4f00;--ok:#1b5e20}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--ink);margin:0 auto;
max-width:72rem;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem}
.summary{color:var(--muted)}
.filters{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
label{display:flex;flex-direction:column;font-weight:600;font-size:.9rem}
select,input{font:inherit;padding:.3rem;border:1px solid var(--muted);border-radius:4px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:start;vertical-align:top}
th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:inherit}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.overdue{color:var(--bad);font-weight:700}.redo,.due{color:var(--warn)}.done{color:var(--ok)}
details summary{cursor:pointer}
.chart svg{max-width:100%;height:auto}.chart .axis{stroke:var(--muted)}
.chart .line{fill:none;stroke:var(--accent);stroke-width:3}.chart text{font-size:12px;fill:var(--muted)}
@media print{.filters{display:none}}
"""

_SCRIPT = """
(function(){
  var table=document.getElementById('people');var body=table.tBodies[0];
  var rows=Array.prototype.slice.call(body.rows);
  var role=document.getElementById('f-role'),manager=document.getElementById('f-manager'),
      state=document.getElementById('f-status'),text=document.getElementById('f-text'),
      count=document.getElementById('shown');
  function apply(){var n=0;rows.forEach(function(row){
    var ok=(!role.value||row.dataset.role===role.value)&&(!manager.value||row.dataset.manager===manager.value)&&
      (!state.value||row.dataset.state.split(' ').indexOf(state.value)>=0)&&
      (!text.value||row.textContent.toLowerCase().indexOf(text.value.toLowerCase())>=0);
    row.hidden=!ok;if(ok)n++;});count.textContent=count.dataset.template.replace('{n}',n);}
  [role,manager,state].forEach(function(s){s.addEventListener('change',apply);});
  text.addEventListener('input',apply);
  Array.prototype.forEach.call(table.tHead.querySelectorAll('button'),function(button,index){
    button.addEventListener('click',function(){
      var th=button.parentNode;var up=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',up?'ascending':'descending');
      rows.sort(function(a,b){var x=a.cells[index].dataset.sort||a.cells[index].textContent,
        y=b.cells[index].dataset.sort||b.cells[index].textContent;
        return (x<y?-1:x>y?1:0)*(up?1:-1);});
      rows.forEach(function(r){body.appendChild(r);});});});
  apply();
})();
"""


def to_html(reports: list[PersonReport], today: dt.date, counts: dict[str, int], organisation: str,
            ledgers: dict[str, list[LedgerLine]] | None = None) -> str:
    e = html.escape
    roles = sorted({r.role_title for r in reports}, key=str.casefold)
    managers = sorted({r.person.manager for r in reports if r.person.manager})
    body = []
    for report in reports:
        p = report.person
        states = {row.status for row in report.lessons if row.required}
        if not report.started:
            states.add("never-started")
        if any(ack.status != "acknowledged" for ack in report.acknowledgements):
            states.add("unacknowledged")
        details = "".join(
            f'<li><span class="{row.status}">{row.status}</span> {e(row.title)}'
            f'{" (refresher)" if row.refresher else ""}{"" if row.required else " (optional)"}: '
            + (f"completed {row.completed}" if row.completed else f"due {row.due.isoformat()}")
            + (f", score {_score(row.score)}" if row.score is not None else "") + "</li>"
            for row in report.lessons
        ) + "".join(
            f'<li><span class="{"done" if ack.status == "acknowledged" else "overdue"}">'
            f"acknowledgement {ack.status}</span> {e(ack.title)} (version {ack.version})</li>"
            for ack in report.acknowledgements
        )
        if ledgers is not None:
            lines = ledgers.get(p.email, [])
            details += f"<li>points: {sum(line.points for line in lines)}" + "".join(
                f"<br>{line.date}: {line.points} for {e(line.rule)} ({e(line.what)})"
                + (f", {e(line.note)}" if line.note else "") for line in lines) + "</li>"
        required = report.required
        done = report.count("done")
        body.append(
            f'<tr data-role="{e(report.role_title)}" data-manager="{e(p.manager)}" '
            f'data-state="{" ".join(sorted(states))}">'
            f'<th scope="row"><details><summary>{e(p.name)}</summary><ul>{details}</ul></details></th>'
            f"<td>{e(p.email)}</td><td>{e(report.role_title)}</td><td>{e(p.manager)}</td>"
            f'<td data-sort="{done / required if required else 1:.4f}">{done} / {required}</td>'
            f'<td data-sort="{report.count("overdue"):05d}" class="{"overdue" if report.count("overdue") else ""}">'
            f'{report.count("overdue")}</td>'
            f"<td>{report.last_seen or 'never started'}</td></tr>"
        )

    def options(values: list[str]) -> str:
        return '<option value="">All</option>' + "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in values)

    groups = "".join(
        f"<h2>{title}</h2><div class='scroll' tabindex='0' role='region' aria-label='{title}'><table><thead><tr>"
        f"<th scope='col'>{'Role' if key == 'role' else 'Manager'}</th><th scope='col'>People</th>"
        "<th scope='col'>All done</th><th scope='col'>Overdue</th><th scope='col'>Never started</th>"
        "<th scope='col'>Not acknowledged</th></tr></thead><tbody>"
        + "".join(f"<tr><th scope='row'>{e(g.name)}</th><td>{g.people}</td><td>{g.finished}</td><td>{g.overdue}</td>"
                  f"<td>{g.not_started}</td><td>{g.unacknowledged}</td></tr>" for g in summarise(reports, key))
        + "</tbody></table></div>"
        for title, key in (("By role", "role"), ("By manager", "manager"))
    )
    headers = ["Name", "E-mail", "Role", "Manager", "Done", "Overdue", "Last activity"]
    head = "".join(f'<th scope="col"><button type="button">{h}</button></th>' for h in headers)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">"
        f"<title>Learning progress, {e(organisation)}, {today.isoformat()}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Learning progress: {e(organisation)}</h1>"
        f'<p class="summary">On {today.isoformat()}, from {counts["read"]} learning records. Personal data: keep this '
        "file where only HR can read it.</p>"
        f"{_chart(reports, today)}"
        '<div class="filters" role="search">'
        f'<label for="f-role">Role<select id="f-role">{options(roles)}</select></label>'
        f'<label for="f-manager">Manager<select id="f-manager">{options(managers)}</select></label>'
        '<label for="f-status">Status<select id="f-status"><option value="">All</option>'
        '<option value="overdue">Overdue</option><option value="redo">To review (changed)</option>'
        '<option value="due">Due</option><option value="never-started">Never started</option>'
        '<option value="unacknowledged">Not acknowledged</option></select></label>'
        '<label for="f-text">Name or e-mail<input id="f-text" type="search"></label></div>'
        f'<p id="shown" role="status" data-template="{{n}} of {len(reports)} people shown"></p>'
        '<div class="scroll" tabindex="0" role="region" aria-label="People">'
        f'<table id="people"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
        f"{groups}<script>{_SCRIPT}</script></body></html>\n"
    )
