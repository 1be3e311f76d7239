"""Render the page plan to Markdown with Jinja2.

``render(handbook)`` returns ``{src_uri: markdown}`` and nothing else: it
knows neither MkDocs nor the file system. Templates live in
``generator/templates``; this module owns the one Jinja environment.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2

from . import diagrams, pages
from .model import Handbook, Item, PostFile, Source
from .text import TextFormatter, escape_attribute, escape_css_string

SUMMARY_LENGTH = 40


@dataclass(frozen=True)
class CheckItem:
    """One line of a printable checklist: rendered Markdown and its provenance."""

    text: str
    source: Source


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; text is escaped by the filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(handbook: Handbook, *, pdf: bool = False, directory_urls: bool = True) -> dict[str, str]:
    """Render every page of the plan; ``pdf`` adds links to the checklist PDFs."""
    formatter = TextFormatter(handbook.project.facts, handbook.glossary.terms)
    env = environment()
    env.filters.update(
        rich=formatter.rich,
        plain=formatter.plain,
        attribute=escape_attribute,
        css_string=escape_css_string,
        summary=partial(_summary, formatter),
    )
    shared = _shared_context(handbook, formatter, pdf)
    output = {}
    for page in pages.plan(handbook):
        context = {**shared, **page.context, "link": partial(_relative_link, page.src_uri)}
        context["pdf_href"] = partial(_pdf_href, directory_urls, page.src_uri)
        output[page.src_uri] = env.get_template(page.template).render(context)
    return output


def _shared_context(handbook: Handbook, formatter: TextFormatter, pdf: bool) -> dict[str, Any]:
    units = handbook.organisation.organisation.units
    return {
        "meta": handbook.meta,
        "posts": handbook.posts,
        "organisation": handbook.organisation,
        "unit_names": {unit.id: unit.name for unit in units},
        "org_chart": diagrams.organisation_chart(units, formatter.plain_value),
        "norms": handbook.norms,
        "complaints": handbook.complaints,
        "process_chart": diagrams.process_chart(handbook.complaints.process),
        "language": handbook.language,
        "categories": handbook.categories,
        "scripts": handbook.scripts,
        "scripts_in": handbook.scripts_in,
        "scripts_by_tag": _scripts_by_tag(handbook),
        "glossary": handbook.glossary,
        "supplement_note": handbook.meta.supplement_note,
        "checklist_sections": partial(_checklist_sections, formatter),
        "pdf": pdf,
        "post_page": pages.post_page,
        "script_page": pages.script_page,
        "checklist_page": pages.checklist_page,
        "complaints_page": pages.complaints_page,
    }


def _relative_link(current: str, target: str) -> str:
    """A Markdown link from page ``current`` to page ``target`` (both src_uris)."""
    return posixpath.relpath(target, posixpath.dirname(current) or ".")


def _pdf_href(directory_urls: bool, current: str, name: str) -> str:
    """An HTML link to a checklist PDF, relative to the page's built file."""
    page_dir = posixpath.dirname(pages.built_path(current, directory_urls))
    return posixpath.relpath(pages.pdf_file(name), page_dir or ".")


def _summary(formatter: TextFormatter, text: str) -> str:
    """The first sentence of a reply, cut to a phone-friendly length."""
    value = formatter.plain_value(text)
    first = value.split("。")[0]
    if len(first) > SUMMARY_LENGTH:
        first = first[:SUMMARY_LENGTH] + "…"
    elif first != value.rstrip("。"):
        first += "。"
    return formatter.plain(first)


def _scripts_by_tag(handbook: Handbook) -> list[tuple[str, list[Any]]]:
    tagged: dict[str, list[Any]] = {}
    for script in handbook.scripts:
        for tag in script.tags:
            tagged.setdefault(tag, []).append(script)
    return sorted(tagged.items())


def _checklist_sections(
    formatter: TextFormatter, post: PostFile
) -> list[tuple[str, list[CheckItem]]]:
    """The post's content as check items, grouped as on the post page."""

    def from_items(items: list[Item]) -> list[CheckItem]:
        return [CheckItem(_item_markdown(formatter, item), item.source) for item in items]

    grooming = []
    for rule in post.grooming.rules:
        parts = [formatter.rich(rule.text)] if rule.text else []
        if rule.men:
            parts.append("男士:" + formatter.rich(rule.men))
        if rule.women:
            parts.append("女士:" + formatter.rich(rule.women))
        grooming.append(
            CheckItem(f"**{formatter.plain(rule.area)}**:" + ";".join(parts), rule.source)
        )

    procedures = []
    for procedure in post.procedures:
        steps = [_item_markdown(formatter, item) for item in procedure.items]
        if procedure.table:
            steps += [formatter.rich(":".join(row)) for row in procedure.table.rows]
        procedures.append(
            CheckItem(
                f"**{formatter.plain(procedure.title)}**:"
                + " ".join(f"({number}){step}" for number, step in enumerate(steps, start=1)),
                procedure.source,
            )
        )
    sections = [
        ("素质要求", from_items(post.qualifications.items)),
        ("仪容仪表", grooming),
        ("岗位职责", from_items(post.duties.items)),
    ]
    if procedures:
        sections.append(("工作流程与标准", procedures))
    return sections


def _item_markdown(formatter: TextFormatter, item: Item) -> str:
    text = formatter.rich(item.text)
    if item.broken_off:
        text += "(原文至此中断)"
    if item.items:
        text += "".join(
            f"({number}){formatter.rich(sub.text)}"
            for number, sub in enumerate(item.items, start=1)
        )
    return text
