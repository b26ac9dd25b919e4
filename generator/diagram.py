"""Diagrams drawn at build time as SVG files, so that pages need no script or CDN to show them."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

SEVERITY_COLOURS = {"low": "#2e7d32", "medium": "#8a6d00", "high": "#c2410c", "critical": "#b91c1c"}
"""Severity stripes; each passes 4.5:1 against white, like the text beside it."""

_ROW, _GAP, _BOX_H = 64, 16, 48
_COLUMNS = (24, 244, 484, 724)
_WIDTHS = (180, 200, 200, 200)


def _fit(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _box(x: int, y: int, w: int, lines: list[str], *, stripe: str | None = None, rtl: bool = False) -> str:
    parts = [f'<rect x="{x}" y="{y}" width="{w}" height="{_BOX_H}" rx="6" fill="#ffffff" stroke="#455a64"/>']
    if stripe:
        parts.append(f'<rect x="{x + w - 6 if rtl else x}" y="{y}" width="6" height="{_BOX_H}" rx="2" '
                     f'fill="{stripe}"/>')
    first = y + (_BOX_H // 2) - (8 * (len(lines) - 1)) + 5
    # Right-to-left text starts at the box's right edge.
    anchor = f'x="{x + w - 14}" text-anchor="start" direction="rtl"' if rtl else f'x="{x + 14}"'
    for i, line in enumerate(lines):
        weight = ' font-weight="600"' if i == 0 else ""
        parts.append(
            f'<text {anchor} y="{first + 16 * i}" font-size="13"{weight} fill="#1a1a1a">'
            f"{html.escape(_fit(line))}</text>"
        )
    return "".join(parts)


def _arrow(x1: int, y1: int, x2: int, y2: int) -> str:
    mid = (x1 + x2) // 2
    end = x2 - 6 if x2 > x1 else x2 + 6
    return (
        f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {end},{y2}" fill="none" stroke="#455a64" '
        f'stroke-width="1.5" marker-end="url(#arrow)"/>'
    )


def negativity_flow(
    playbook: Any, portal: Any, t: Callable[..., str], *, rtl: bool = False
) -> tuple[str, str, tuple[int, int]]:
    """The response flow of a negativity playbook: (SVG text, text alternative, (width, height)).

    With ``rtl`` (a right-to-left language) the flow runs from right to left, like the page.
    """
    situations = playbook.situations
    height = max(len(situations) * _ROW + _GAP, _ROW + _GAP)
    width = _COLUMNS[-1] + _WIDTHS[-1] + 24

    def place(x: int, w: int = 0) -> int:
        """The x of something at ``x`` (``w`` wide) in a left-to-right flow, mirrored for ``rtl``."""
        return width - x - w if rtl else x

    def box(x: int, y: int, w: int, lines: list[str], stripe: str | None = None) -> str:
        return _box(place(x, w), y, w, lines, stripe=stripe, rtl=rtl)

    def arrow(x1: int, y1: int, x2: int, y2: int) -> str:
        return _arrow(place(x1), y1, place(x2), y2)

    def role_title(role_id: str | None) -> str:
        role = portal.roles.get(role_id) if role_id else None
        return role.data.title if role else (role_id or "")

    start_y = height // 2 - _BOX_H // 2
    body = [box(_COLUMNS[0], start_y, _WIDTHS[0], [t("neg_spotted")])]
    alt_parts = []
    for index, s in enumerate(situations):
        y = _GAP // 2 + index * _ROW + (_ROW - _BOX_H) // 2
        centre = y + _BOX_H // 2
        body.append(arrow(_COLUMNS[0] + _WIDTHS[0], start_y + _BOX_H // 2, _COLUMNS[1], centre))
        body.append(box(_COLUMNS[1], y, _WIDTHS[1], [s.name, t("severity_" + s.severity)],
                       stripe=SEVERITY_COLOURS[s.severity]))
        body.append(arrow(_COLUMNS[1] + _WIDTHS[1], centre, _COLUMNS[2], centre))
        respond = t("minutes", n=s.first_response_minutes)
        body.append(box(_COLUMNS[2], y, _WIDTHS[2], [f"{t('neg_first_response')} {respond}", role_title(s.owner)]))
        alt = f"{s.name} ({t('severity_' + s.severity)}): {respond}, {role_title(s.owner)}"
        if s.escalate_to:
            body.append(arrow(_COLUMNS[2] + _WIDTHS[2], centre, _COLUMNS[3], centre))
            body.append(box(_COLUMNS[3], y, _WIDTHS[3], [t("neg_escalate_to"), role_title(s.escalate_to)]))
            alt += f" → {t('neg_escalate_to')} {role_title(s.escalate_to)}"
        alt_parts.append(alt)
    summary = "; ".join(alt_parts)
    title = html.escape(t("neg_flow"))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{title}" font-family="system-ui, sans-serif">'
        f"<title>{title}</title><desc>{html.escape(summary)}</desc>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#455a64"/></marker></defs>'
        f'<rect width="{width}" height="{height}" fill="#f7f9fa"/>' + "".join(body) + "</svg>\n"
    )
    return svg, t("neg_flow_alt", summary=summary), (width, height)


REQUIRED_COLOUR, OPTIONAL_COLOUR = "#1f5f3f", "#b86a1f"
"""Bar colours; each has at least 3:1 contrast against the chart's background, and optional
minutes are also hatched, so the two never differ by colour alone."""


def minutes_chart(
    rows: list[tuple[str, int, int]], t: Callable[..., str]
) -> tuple[str, str, tuple[int, int]]:
    """Horizontal bars of minutes per role, required then optional: (SVG text, text alternative, size).

    ``rows`` holds (role title, required minutes, optional minutes), top to bottom.
    """
    label_w, bar_max, bar_h, row_h, top = 220, 400, 20, 30, 44
    width = label_w + bar_max + 150
    height = top + len(rows) * row_h + 12
    most = max((req + opt for _, req, opt in rows), default=0) or 1
    title = html.escape(t("hr_chart_title"))
    legend_required, legend_optional = html.escape(t("hr_chart_required")), html.escape(t("hr_chart_optional"))
    body = [
        f'<rect x="{label_w}" y="12" width="14" height="14" fill="{REQUIRED_COLOUR}"/>',
        f'<text x="{label_w + 20}" y="24" font-size="13" fill="#1a1a1a">{legend_required}</text>',
        f'<rect x="{label_w + 140}" y="12" width="14" height="14" fill="url(#optional)" stroke="{OPTIONAL_COLOUR}"/>',
        f'<text x="{label_w + 160}" y="24" font-size="13" fill="#1a1a1a">{legend_optional}</text>',
    ]
    alt_parts = []
    for index, (role, required, optional) in enumerate(rows):
        y = top + index * row_h
        req_w = round(bar_max * required / most)
        opt_w = round(bar_max * optional / most)
        body.append(
            f'<text x="{label_w - 10}" y="{y + 15}" font-size="13" text-anchor="end" fill="#1a1a1a">'
            f"{html.escape(_fit(role, 30))}</text>"
        )
        if req_w:
            body.append(f'<rect x="{label_w}" y="{y}" width="{req_w}" height="{bar_h}" fill="{REQUIRED_COLOUR}"/>')
        if opt_w:
            body.append(
                f'<rect x="{label_w + req_w}" y="{y}" width="{opt_w}" height="{bar_h}" fill="url(#optional)" '
                f'stroke="{OPTIONAL_COLOUR}"/>'
            )
        value = t("minutes", n=required) + (f" + {optional}" if optional else "")
        body.append(
            f'<text x="{label_w + req_w + opt_w + 8}" y="{y + 15}" font-size="13" fill="#1a1a1a">'
            f"{html.escape(value)}</text>"
        )
        alt_parts.append(t("hr_chart_row", role=role, required=required, optional=optional))
    summary = "; ".join(alt_parts)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{title}" font-family="system-ui, sans-serif">'
        f"<title>{title}</title><desc>{html.escape(summary)}</desc>"
        '<defs><pattern id="optional" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{OPTIONAL_COLOUR}"/></pattern></defs>'
        f'<rect width="{width}" height="{height}" fill="#f7f9fa"/>' + "".join(body) + "</svg>\n"
    )
    return svg, t("hr_chart_alt", summary=summary), (width, height)
