"""Problems found in content, and how they are reported.

A problem names the file, line, column and the field's path, so that a
trainer editing YAML knows exactly what to fix::

    content/posts/manager.yml:12:5: duties.items[2]: expected text
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum

Loc = tuple[str | int, ...]


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = Severity.error
    kind: str = ""
    """For warnings: ``todo`` (an empty project fact), ``consistency`` (the content
    contradicts itself or bypasses a definition; counted by ``check --strict``)."""
    hint: str = ""

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.warning else ""
        field = f" {self.field}:" if self.field else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.column}:{field} {prefix}{self.message}{hint}"


class ContentError(Exception):
    """Raised when content has errors; carries every problem of the run."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(format_text(self.problems))


def field_path(loc: Loc) -> str:
    """Render a location as ``duties.items[2].text``.

    A key with an invisible character (a zero-width space, a trailing space) is
    quoted with that character spelled out, ``'name\\u200b'``, so it does not read
    as the field it resembles.
    """
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            part = _visible_key(str(part))
            text += f".{part}" if text else part
    return text


def _visible_key(key: str) -> str:
    if key.isprintable() and " " not in key:
        return key
    shown = "".join(
        char if char.isprintable() and char != " " else f"\\u{ord(char):04x}" for char in key
    )
    return f"'{shown}'"


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity is Severity.error]


CONSISTENCY = "consistency"
TODO = "todo"


def consistency_warnings(problems: Iterable[Problem]) -> list[Problem]:
    """The warnings ``check --strict`` fails on: not 待填写 facts, which are empty by design."""
    return [
        problem
        for problem in problems
        if problem.severity is Severity.warning and problem.kind == CONSISTENCY
    ]


def format_text(problems: Iterable[Problem]) -> str:
    return "\n".join(str(problem) for problem in sorted(problems))


def format_json(problems: Iterable[Problem]) -> str:
    return json.dumps(
        [asdict(problem) for problem in sorted(problems)], ensure_ascii=False, indent=2
    )
