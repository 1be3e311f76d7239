"""Render the page plan to Markdown with Jinja2.

``render(handbook)`` returns ``{src_uri: markdown}`` and nothing else: it
knows neither MkDocs nor the file system. Templates live in
``generator/templates``; this module owns the one Jinja environment.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import jinja2

from generator import pages
from generator.model import Handbook, Item, PostFile, Source
from generator.render import diagrams, quiz, rawhtml
from generator.render.text import TextFormatter, escape_attribute, escape_css_string, escape_html

SUMMARY_LENGTH = 40
SUPPLEMENT_MARK = 'class="hb-supplement"'
"""The quiet mark on every supplement item (``partials/macros.md.j2`` ``badge``)."""
LEGEND_CLASS = "hb-supplement-legend"
"""The legend explaining the mark, put at the top of every page that has one."""


@dataclass(frozen=True)
class CheckItem:
    """One line of a printable checklist: rendered Markdown and its provenance."""

    text: str
    source: Source


def environment(bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; text is escaped by the filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(
    handbook: Handbook,
    *,
    pdf: bool = False,
    offline_zip: bool = False,
    directory_urls: bool = True,
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> dict[str, str]:
    """Render every page of the plan.

    ``pdf`` and ``offline_zip`` add links to the checklist PDFs and the offline
    copy, which ``handbook build`` writes beside the pages; ``bytecode_cache``
    keeps the compiled templates between builds.
    """
    formatter = TextFormatter.for_handbook(handbook)
    env = environment(bytecode_cache)
    env.filters.update(
        rich=formatter.rich,
        rich_html=formatter.rich_html,
        plain=formatter.plain,
        plain_html=formatter.plain_html,
        attribute=escape_attribute,
        css_string=escape_css_string,
        summary=partial(_summary, formatter),
    )
    env.globals.update(raw_html_start=rawhtml.START, raw_html_end=rawhtml.END)
    env.tests["containing"] = lambda values, value: value in values
    plan = pages.plan(handbook)
    shared = _shared_context(handbook, formatter)
    shared["pdf"] = pdf
    shared["offline_zip"] = pages.OFFLINE_ZIP if offline_zip else None
    shared["page_titles"] = {page.src_uri: page.title for page in plan}
    updates = _newest_changes(handbook)
    output = {}
    for page in plan:
        context = {**shared, **page.context, "link": partial(_relative_link, page.src_uri)}
        href = partial(_href, directory_urls, page.src_uri)
        context["download_href"] = href
        # Cached: the script index links every script, thousands of links to a few pages.
        context["page_href"] = cache(
            lambda src_uri, href=href: href(pages.page_url(src_uri, directory_urls))
        )
        markdown = env.get_template(page.template).render(context)
        if SUPPLEMENT_MARK in markdown and LEGEND_CLASS not in markdown:
            legend = env.get_template("partials/macros.md.j2").make_module(context)
            markdown = _after_title(markdown, str(legend.supplement_legend()) + "\n")
        if page.src_uri in updates:
            note = env.get_template("partials/update-note.md.j2").render(
                {
                    **context,
                    "revision": handbook.revisions.revisions[0],
                    "changes": updates[page.src_uri],
                }
            )
            markdown = _after_title(markdown, note)
        output[page.src_uri] = markdown
    return output


def _newest_changes(handbook: Handbook) -> dict[str, list[Any]]:
    """Page → the changes of the newest version that touch it.

    None in the first version: everything is new there, and nothing changed.
    """
    touched: dict[str, list[Any]] = {}
    if len(handbook.revisions.revisions) < 2:
        return touched
    for change in handbook.revisions.revisions[0].changes:
        for target in change.where:
            changes = touched.setdefault(pages.target_page(target), [])
            if change not in changes:
                changes.append(change)
    return touched


def _after_title(markdown: str, note: str) -> str:
    """Insert ``note`` after the page's first heading line."""
    head, separator, rest = markdown.partition("\n# ")
    if not separator:
        head, rest = "", markdown.removeprefix("# ")
    title, _, body = rest.partition("\n")
    return f"{head}\n# {title}\n\n{note}\n{body}".lstrip("\n")


def _shared_context(handbook: Handbook, formatter: TextFormatter) -> dict[str, Any]:
    units = handbook.organisation.organisation.units
    return {
        "meta": handbook.meta,
        "posts": handbook.posts,
        "post_names": {post.id: post.name for post in handbook.posts},
        "paths": handbook.paths,
        "organisation": handbook.organisation,
        "unit_names": {unit.id: unit.name for unit in units},
        "org_tree": diagrams.organisation_tree(units, formatter.plain_html),
        "norms": handbook.norms,
        "complaints": handbook.complaints,
        "process_flow": diagrams.process_flow(handbook.complaints.process, formatter.plain_html),
        "language": handbook.language,
        "categories": handbook.categories,
        "scripts": handbook.scripts,
        "scripts_in": handbook.scripts_in,
        "scripts_by_tag": _scripts_by_tag(handbook),
        "glossary": handbook.glossary,
        "supplement_note": handbook.meta.supplement_note,
        "checklist_sections": partial(_checklist_sections, formatter),
        "checklist_conditions": partial(_checklist_conditions, formatter),
        "pdf_file": pages.pdf_file,
        "post_page": pages.post_page,
        "script_page": pages.script_page,
        "checklist_page": pages.checklist_page,
        "complaints_page": pages.complaints_page,
        "path_page": pages.path_page,
        "path_posts": {path.post for path in handbook.paths},
        "quiz_page": pages.quiz_page,
        "practice_page": pages.PRACTICE_PAGE,
        "target_page": pages.target_page,
        "target_link": pages.target_link,
        "category_names": {c.id: c.name for c in handbook.categories.categories},
        "quiz": partial(quiz.quiz, handbook),
        "revisions": handbook.revisions,
        "standards": handbook.standards,
        "tasks": handbook.tasks,
        "division_page": pages.DIVISION_PAGE,
        "standard_uses": _standard_uses(handbook),
        "role_names": {role.id: role.name for role in handbook.roles},
        "applies_names": {
            **{line.id: line.name for line in handbook.norms.lines},
            **{post.id: post.name for post in handbook.posts},
        },
    }


def _standard_uses(handbook: Handbook) -> dict[str, list[str]]:
    """Standard id → the pages whose text references it, in page order."""
    from pydantic import BaseModel

    from generator.content.references import ids_in

    def strings(value: Any):
        if isinstance(value, str):
            yield value
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from strings(getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for element in value:
                yield from strings(element)
        elif isinstance(value, dict):
            for element in value.values():
                yield from strings(element)

    via_task = {t.id: ids_in(t.text, "std") for t in handbook.tasks.tasks}
    uses: dict[str, list[str]] = {}
    for page, part in pages.content_pages(handbook):
        for text in strings(part):
            found = ids_in(text, "std") + [s for t in ids_in(text, "task") for s in via_task[t]]
            for std_id in found:
                if page not in uses.setdefault(std_id, []):
                    uses[std_id].append(page)
    return uses


def _relative_link(current: str, target: str) -> str:
    """A Markdown link from page ``current`` to page ``target`` (both src_uris)."""
    return posixpath.relpath(target, posixpath.dirname(current) or ".")


def _href(directory_urls: bool, current: str, target: str) -> str:
    """An HTML link from page ``current`` to a site path: a page's URL or a file.

    For raw HTML, where MkDocs does not rewrite links; relative, so the offline copy works.
    """
    page_dir = posixpath.dirname(pages.built_path(current, directory_urls))
    relative = posixpath.relpath(target or ".", page_dir or ".")
    return relative + "/" if target.endswith("/") or not target else relative


def _summary(formatter: TextFormatter, text: str) -> str:
    """The first sentence of a reply, cut to a phone-friendly length, for raw HTML."""
    value = formatter.plain_value(text)
    first = value.split("。")[0]
    if len(first) > SUMMARY_LENGTH:
        first = first[:SUMMARY_LENGTH] + "…"
    elif first != value.rstrip("。"):
        first += "。"
    return escape_html(first)


def _scripts_by_tag(handbook: Handbook) -> list[tuple[str, list[Any]]]:
    tagged: dict[str, list[Any]] = {}
    for script in handbook.scripts:
        for tag in script.tags:
            tagged.setdefault(tag, []).append(script)
    return sorted(tagged.items())


@dataclass(frozen=True)
class CheckSection:
    """One section of a printable checklist: its rows are taught and signed off together."""

    title: str
    items: list[CheckItem]


def _checklist_sections(formatter: TextFormatter, post: PostFile) -> list[CheckSection]:
    """The post's trainable content as check rows (raw HTML), one section per procedure.

    Qualifications are hiring requirements, not training: see ``_checklist_conditions``.
    """

    def from_items(items: list[Item]) -> list[CheckItem]:
        return [CheckItem(_item_html(formatter, item), item.source) for item in items]

    grooming = []
    for rule in post.grooming.rules:
        parts = [formatter.rich_html(rule.text)] if rule.text else []
        if rule.men:
            parts.append("男士：" + formatter.rich_html(rule.men))
        if rule.women:
            parts.append("女士：" + formatter.rich_html(rule.women))
        area = f"<strong>{formatter.plain_html(rule.area)}</strong>："
        grooming.append(CheckItem(area + " ".join(parts), rule.source))
    sections = [
        CheckSection(formatter.plain_html(post.grooming.title or "仪容仪表"), grooming),
        CheckSection(
            formatter.plain_html(post.duties.title or "岗位职责"), from_items(post.duties.items)
        ),
    ]
    for procedure in post.procedures:
        rows = from_items(procedure.items)
        if procedure.table:
            columns = procedure.table.columns
            for row in procedure.table.rows:
                cells = [
                    (f"{formatter.plain_html(columns[n])}：" if n < len(columns) else "")
                    + formatter.rich_html(cell)
                    for n, cell in enumerate(row)
                ]
                rows.append(CheckItem("；".join(cells), procedure.source))
        if not rows:
            rows = [
                CheckItem(formatter.rich_html(procedure.intro or procedure.title), procedure.source)
            ]
        sections.append(CheckSection("流程：" + formatter.plain_html(procedure.title), rows))
    return [section for section in sections if section.items]


def _checklist_conditions(formatter: TextFormatter, post: PostFile) -> list[CheckItem]:
    """The post's hiring requirements, checked once before training (上岗条件核对)."""
    return [
        CheckItem(_item_html(formatter, item), item.source) for item in post.qualifications.items
    ]


def _item_html(formatter: TextFormatter, item: Item) -> str:
    text = formatter.rich_html(item.text)
    if item.broken_off:
        text += "(原文至此中断)"
    if item.items:
        text += "".join(
            f"({number}){formatter.rich_html(sub.text)}"
            for number, sub in enumerate(item.items, start=1)
        )
    return text
