"""Counts that matter to the handbook's owner (``handbook stats``)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from generator import model
from generator.content import references
from generator.model import FACT_REFERENCE, Handbook, Source

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


def _strings(handbook: Handbook) -> Iterator[str]:
    for node in _walk(handbook):
        for value in node.__dict__.values():
            if isinstance(value, str):
                yield value
            elif isinstance(value, (list, tuple)):
                for element in value:
                    if isinstance(element, str):
                        yield element
                    elif isinstance(element, (list, tuple)):  # table rows
                        yield from (cell for cell in element if isinstance(cell, str))


def compute(handbook: Handbook, warnings: dict[str, int] | None = None) -> dict[str, Any]:
    """The counts of ``handbook stats``; ``warnings`` are the consistency warnings per
    check (``checks.counts``), shown when given."""
    refs = Counter(match.group(1) for text in _strings(handbook) for match in references.find(text))
    std_ids = {
        match.group(2)
        for text in _strings(handbook)
        for match in references.find(text)
        if match.group(1) == "std"
    }
    roles = handbook.roles
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
        "standards": len(handbook.standards.standards),
        "standards_used": len(std_ids & {std.id for std in handbook.standards.standards}),
        "references": {kind: refs[kind] for kind in references.KINDS},
        "roles": len(roles),
        "roles_outside": sum(1 for role in roles if role.outside),
        "shared_tasks": len(handbook.tasks.tasks),
        **({"warnings": warnings} if warnings is not None else {}),
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
    references_made = counts["references"]
    summary += [
        ("服务标准", counts["standards"]),
        ("被引用的服务标准", counts["standards_used"]),
        ("引用服务标准", references_made["std"]),
        ("引用项目信息", references_made["fact"]),
        ("引用角色", references_made["role"]),
        ("引用共同任务", references_made["task"]),
        ("角色", counts["roles"]),
        ("其中外部单位", counts["roles_outside"]),
        ("共同任务", counts["shared_tasks"]),
    ]
    lines.append("")
    lines += [_row([label, number], [20, 4]) for label, number in summary]
    if empty:
        lines.append("待填写: " + ", ".join(empty))
    if "warnings" in counts:
        labels = {
            "bare_figures": "未引用标准的数字",
            "near_duplicate_scripts": "近似重复的答客词",
            "unknown_role_names": "未定义的角色名",
            "sales_facts": "越权说明销售信息",
            "unused_standards": "未被引用的标准",
            "left_out_words": "手册用到的“不涉及”词",
        }
        lines += ["", _row(["一致性警告", "条数"], [20, 4])]
        lines += [
            _row([labels.get(kind, kind), number], [20, 4])
            for kind, number in counts["warnings"].items()
        ]
    return "\n".join(lines)
