"""Mermaid sources for the diagrams drawn from content.

The source goes into a fenced ``mermaid`` block, which is shown as literal
code until Mermaid draws it; labels are escaped with Mermaid's entity codes
so no content text can change the diagram's structure.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable

from .model import OrgUnit, ProcessStep

# Every ASCII punctuation character but a few harmless ones becomes Mermaid's
# entity code: quotes cannot end the label, "%%" cannot start a directive or a
# comment, and no HTML, Markdown string or click target can be formed.
_MERMAID_ENTITIES = {
    char: f"#{ord(char)};" for char in string.punctuation if char not in ".,-:()/?!"
} | {'"': "#quot;", "<": "#lt;", ">": "#gt;"}


def label(text: str) -> str:
    """A quoted Mermaid node label showing ``text`` literally."""
    escaped = "".join(_MERMAID_ENTITIES.get(char, char) for char in text)
    return '"' + " ".join(escaped.split()) + '"'


def organisation_chart(units: Iterable[OrgUnit], value: Callable[[str], str]) -> str:
    """Top-down chart: each unit a box, an arrow from each unit to those reporting to it."""
    units = list(units)
    node = {unit.id: f"u{index}" for index, unit in enumerate(units)}
    lines = ["flowchart TD"]
    for unit in units:
        if not unit.outside:
            lines.append(f"    {node[unit.id]}[{label(value(unit.name))}]")
    outside = [unit for unit in units if unit.outside]
    if outside:
        lines.append(f"    subgraph outside[{label('外部协作方')}]")
        for unit in outside:
            lines.append(f"        {node[unit.id]}([{label(value(unit.name))}])")
        lines.append("    end")
    for unit in units:
        if unit.reports_to:
            lines.append(f"    {node[unit.reports_to]} --> {node[unit.id]}")
    return "\n".join(lines)


def process_chart(steps: Iterable[ProcessStep], value: Callable[[str], str]) -> str:
    """Top-down flowchart of the complaint-handling steps, in order."""
    steps = list(steps)
    lines = ["flowchart TD"]
    for index, step in enumerate(steps):
        lines.append(f"    s{index}[{label(f'{index + 1}. {value(step.name)}')}]")
    for index in range(len(steps) - 1):
        lines.append(f"    s{index} --> s{index + 1}")
    return "\n".join(lines)
