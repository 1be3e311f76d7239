"""References in content text: one mechanism for every kind.

Text names something defined once elsewhere as ``{kind:id}``:

- ``{fact:hotline}``: a project fact (``project.yml``), shown as its value;
- ``{std:greeting-distance}``: a service standard (``standards.yml``), shown as its wording;
- ``{role:site-manager}``: a role of the organisation chart (``organisation.yml``),
  shown as the role's name;
- ``{task:lost-property}``: a task shared by several posts (``tasks.yml``), shown
  as its name.

The pattern, the lookup and the check for unknown ids live here once; the text
formatter and ``handbook check`` use them. A standard's wording may itself name
facts and roles (one level deep: a standard never names another standard).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

KINDS: dict[str, str] = {
    "fact": "project.yml",
    "std": "standards.yml",
    "role": "organisation.yml",
    "task": "tasks.yml",
}
"""Each kind of reference and where its ids are defined (for messages)."""

NOUNS = {"fact": "project fact", "std": "service standard", "role": "role", "task": "shared task"}
PLURALS = {"fact": "facts", "std": "standards", "role": "roles", "task": "tasks"}

REFERENCE = re.compile(r"\{(fact|std|role|task):([^{}]*)\}")
"""``{kind:id}``; group 1 is the kind, group 2 the id."""


@dataclass(frozen=True)
class Target:
    """What a reference shows: its text (empty = 待填写) and a label for the 待填写 marker."""

    text: str
    label: str


@dataclass
class Definitions:
    """Every id a reference can name, by kind."""

    by_kind: dict[str, dict[str, Target]] = field(default_factory=dict)

    def add(self, kind: str, entries: Iterable[tuple[str, str, str]]) -> None:
        """Add ``(id, text, label)`` entries of ``kind``."""
        table = self.by_kind.setdefault(kind, {})
        for entry_id, text, label in entries:
            table.setdefault(entry_id, Target(text, label))

    def get(self, kind: str, entry_id: str) -> Target | None:
        return self.by_kind.get(kind, {}).get(entry_id)

    def knows(self, kind: str) -> bool:
        return kind in self.by_kind


def find(text: str) -> Iterator[re.Match[str]]:
    return REFERENCE.finditer(text)


def unknown_message(kind: str, entry_id: str) -> str:
    return (
        f"unknown {NOUNS[kind]} '{{{kind}:{entry_id}}}'; "
        f"{PLURALS[kind]} are defined in {KINDS[kind]}"
    )


def unknown(definitions: Definitions, text: str) -> Iterator[tuple[str, str]]:
    """``(kind, id)`` of each reference in ``text`` that names nothing defined.

    Kinds ``definitions`` knows nothing about (their file failed to load) are
    not reported: the file's own error says what is wrong.
    """
    for match in find(text):
        kind, entry_id = match.group(1), match.group(2)
        if definitions.knows(kind) and definitions.get(kind, entry_id) is None:
            yield kind, entry_id


def ids_in(text: str, kind: str | None = None) -> list[str]:
    """The ids referenced in ``text`` (of one kind, or ``kind:id`` strings for all)."""
    if kind is None:
        return [f"{m.group(1)}:{m.group(2)}" for m in find(text)]
    return [m.group(2) for m in find(text) if m.group(1) == kind]


def strip(text: str) -> str:
    """``text`` with every reference removed (for checks on the remaining words)."""
    return REFERENCE.sub("\u3000", text)
