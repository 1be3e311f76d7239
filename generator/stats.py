"""Counts that matter to the handbook's owner (``handbook stats``)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from . import model
from .model import FACT_REFERENCE, Handbook, Source

# The statements a reader sees one by one; blocks and pages only group them.
STATEMENTS = (
    model.Item,
    model.GroomingRule,
    model.NamedText,
    model.ForbiddenPhrase,
    model.Script,
    model.Term,
    model.OrgUnit,
)


def _walk(value: Any) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for element in value:
            yield from _walk(element)


def compute(handbook: Handbook) -> dict[str, Any]:
    provenance = Counter(
        node.source.value for node in _walk(handbook) if isinstance(node, STATEMENTS)
    )
    empty = {fact.id for fact in handbook.project.facts if not fact.value}
    used = {
        match.group(1)
        for node in _walk(handbook)
        for value in node.__dict__.values()
        if isinstance(value, str)
        for match in FACT_REFERENCE.finditer(value)
    }
    return {
        "posts": {
            post.name: {
                "qualifications": len(post.qualifications.items),
                "grooming": len(post.grooming.rules),
                "duties": len(post.duties.items),
                "procedures": len(post.procedures),
                "procedure_steps": sum(
                    len(p.items) + (len(p.table.rows) if p.table else 0) for p in post.procedures
                ),
            }
            for post in handbook.posts
        },
        "scripts_per_category": {
            category.name: len(handbook.scripts_in(category.id))
            for category in handbook.categories.categories
        },
        "scripts": len(handbook.scripts),
        "phrasings": sum(len(script.phrasings) for script in handbook.scripts),
        "glossary_terms": len(handbook.glossary.terms),
        "items_handbook": provenance[Source.handbook.value],
        "items_supplement": provenance[Source.supplement.value],
        "facts_empty": sorted(empty),
        "facts_empty_in_use": sorted(empty & used),
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _row(cells: list[object], widths: list[int]) -> str:
    """Cells padded to display width (CJK characters count double); numbers right-aligned."""
    out = []
    for cell, width in zip(cells, widths, strict=True):
        text = str(cell)
        pad = " " * max(0, width - _width(text))
        out.append(pad + text if isinstance(cell, int) else text + pad)
    return "  ".join(out).rstrip()


def format_table(counts: dict[str, Any]) -> str:
    post_widths = [16, 8, 8, 8, 4, 8]
    lines = [_row(["岗位", "素质要求", "仪容仪表", "岗位职责", "流程", "流程条目"], post_widths)]
    for name, post in counts["posts"].items():
        lines.append(_row([name, *post.values()], post_widths))
    lines += ["", _row(["答客词类别", "条数"], [20, 4])]
    for name, number in counts["scripts_per_category"].items():
        lines.append(_row([name, number], [20, 4]))
    empty = counts["facts_empty"]
    summary = [
        ("答客词总数", counts["scripts"]),
        ("常见问法", counts["phrasings"]),
        ("术语", counts["glossary_terms"]),
        ("手册原文条目", counts["items_handbook"]),
        ("补充条目", counts["items_supplement"]),
        ("待填写项目信息", len(empty)),
    ]
    lines.append("")
    lines += [_row([label, number], [20, 4]) for label, number in summary]
    if empty:
        lines.append("待填写: " + ", ".join(empty))
    return "\n".join(lines)
