"""The diagrams drawn from content, as HTML at build time.

Mermaid is 976 KB gzipped, four fifths of a first visit to a page, and shrinks a
wide chart's labels to 6 px on a phone. The two diagrams are a tree and a
sequence, which nested lists draw exactly; ``docs/assets/layout.css`` adds the
connecting lines and arrows. Text is escaped HTML: nothing in a label can change
the diagram, and labels keep the page's font size on a phone and in print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.model import OrgUnit, ProcessStep


def organisation_tree(units: Iterable[OrgUnit], name: Callable[[str], str]) -> str:
    """The organisation as a nested list: each unit above the units reporting to it.

    ``name`` turns a unit's name into escaped HTML. Outside parties (外部协作方) form
    a second tree beside the organisation's own.
    """
    units = list(units)
    children: dict[str | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.reports_to, []).append(unit)

    def branch(unit: OrgUnit, seen: frozenset[str]) -> str:
        below = [child for child in children.get(unit.id, []) if child.id not in seen]
        inner = "".join(branch(child, seen | {child.id}) for child in below)
        label = f'<span class="hb-tree-node">{name(unit.name)}</span>'
        return f"<li>{label}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>"

    known = {unit.id for unit in units}
    roots = [unit for unit in units if unit.reports_to is None or unit.reports_to not in known]
    own = "".join(branch(unit, frozenset({unit.id})) for unit in roots if not unit.outside)
    parts = [f'<ul class="hb-tree" aria-label="组织架构">{own}</ul>']
    outside = "".join(branch(unit, frozenset({unit.id})) for unit in roots if unit.outside)
    if outside:
        parts.append(
            '<div class="hb-tree-outside"><p class="hb-tree-outside-title">外部协作方</p>'
            f'<ul class="hb-tree" aria-label="外部协作方">{outside}</ul></div>'
        )
    return '<div class="hb-org-tree">' + "".join(parts) + "</div>"


def process_flow(steps: Iterable[ProcessStep], name: Callable[[str], str], anchor: str = "") -> str:
    """The steps as an ordered list drawn top-down with arrows, each linking to its section."""
    items = "".join(
        f'<li><a class="hb-flow-step" href="#{anchor}{step.id}">{index}. {name(step.name)}</a></li>'
        for index, step in enumerate(steps, start=1)
    )
    return f'<ol class="hb-flow" aria-label="处理流程">{items}</ol>'
