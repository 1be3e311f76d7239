"""Counts that matter to the handbook's owner (``handbook stats``)."""

from __future__ import annotations

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


def format_table(counts: dict[str, Any]) -> str:
    lines = ["岗位                 素质要求  仪容仪表  岗位职责  流程  流程条目"]
    for name, post in counts["posts"].items():
        lines.append(
            f"{name:<14}{post['qualifications']:>8}{post['grooming']:>10}{post['duties']:>10}"
            f"{post['procedures']:>6}{post['procedure_steps']:>10}"
        )
    lines.append("")
    lines.append("答客词类别              条数")
    for name, number in counts["scripts_per_category"].items():
        lines.append(f"{name:<16}{number:>6}")
    lines += [
        "",
        f"答客词总数        {counts['scripts']}",
        f"常见问法          {counts['phrasings']}",
        f"术语              {counts['glossary_terms']}",
        f"手册原文条目      {counts['items_handbook']}",
        f"补充条目          {counts['items_supplement']}",
        f"待填写项目信息    {len(counts['facts_empty'])}: {', '.join(counts['facts_empty']) or '—'}",
    ]
    return "\n".join(lines)
