"""The handbook's name and version in the top margin of every printed page,
and 示例 / 草稿 at its centre on an example or draft centre's site.

A stylesheet of its own (``@page`` margin boxes), generated from ``handbook.yml``
and listed in ``extra_css``, so any engine that builds the site prints it.
"""

from __future__ import annotations

from generator.content import projects
from generator.model import Handbook
from generator.render.text import TextFormatter, escape_css_string

ASSET_URI = "assets/generated/print-margin.css"


def print_margin_css(handbook: Handbook, *, directory_urls: bool = True) -> str:
    """``directory_urls`` is unused: the stylesheet is the same for every URL style."""
    meta = handbook.meta
    plain = TextFormatter.for_handbook(handbook, glossary=False).plain_value
    label = escape_css_string(
        f"{plain(projects.site_title(handbook))} · 版本 {plain(meta.version)}"
    )
    mark = projects.edition_mark(handbook.centre)
    corner = f' @top-center {{ content: "{mark}"; font-weight: bold; }}' if mark else ""
    return f'@page {{ @top-left {{ content: "{label}"; font-size: 8pt; }}{corner} }}\n'
