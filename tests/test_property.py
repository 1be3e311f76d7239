"""Property: whatever an edit does to a content file, loading reports it and never crashes.

A valid content file is mutated the way people break YAML (a key deleted or
typed twice, a value of the wrong type, pasted Unicode, HTML or Markdown); the
loader must either accept it, or return error problems located in that file
(line and column from 1). It must never raise, and whatever it accepts must
render.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import conftest
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.content.load import load_handbook
from generator.errors import Severity
from generator.render.markdown import render

FILES = ["posts/manager.yml", "complaints.yml"]
# Values other files refer to (posts, procedures as sections, steps): changing one may
# rightly be reported in the file that uses it.
REFERABLE_KEYS = {"id", "post"}

SNIPPETS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "| a | b |\n| --- | --- |",
    "# 标题",
    "*强调* __粗体__ `代码`",
    "{{ config }}",
    "{% raw %}",
    "{fact:hotline}",
    "{fact:no-such-fact}",
    "{fact:}",
    "{: onclick=alert(1) }",
    "<!--",
    "\\",
    "\t缩进",
    "\ufeff",
    "\r\n",
    "",
    " ",
    "a: b",
    "- x",
    "&amp;",
]
KEY_LINE = re.compile(r"^(?P<indent>\s*(?:- )?)(?P<key>[A-Za-z_][\w-]*):[ ]+(?P<value>[^|>\s].*)$")

settings.register_profile(
    "handbook-property",
    max_examples=60,
    deadline=None,
    database=None,  # write nothing into the project folder
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


@pytest.fixture(scope="module")
def valid_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("property") / "content"
    shutil.copytree(conftest.CONTENT, content)
    result = load_handbook(content)
    assert result.ok, "the content copy must be valid (someone may be mid-edit: retry)"
    return content


def locations(data: Any, loc: tuple = ()) -> list[tuple]:
    """Every path inside ``data`` (keys and list indices), the root excluded."""
    found = [loc] if loc else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += locations(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += locations(value, (*loc, index))
    return found


def get(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


def other_types() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
        st.lists(st.text(max_size=10), max_size=3),
        st.dictionaries(st.text(max_size=8), st.text(max_size=10), max_size=3),
    )


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(),
        st.sampled_from(SNIPPETS),
        st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=5)), max_size=4).map(
            "".join
        ),
    )


def duplicate_a_key(draw, text: str) -> tuple[str, int]:
    """Type a ``key: value`` line twice, as a second line right below the first."""
    lines = text.splitlines()

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    candidates = [
        number
        for number, line in enumerate(lines)
        if (match := KEY_LINE.match(line))
        # a one-line value: the next line is no deeper than the key itself
        and all(indent(after) <= len(match["indent"]) for after in lines[number + 1 : number + 2])
    ]
    number = draw(st.sampled_from(candidates))
    match = KEY_LINE.match(lines[number])
    value = draw(st.text(st.characters(categories=["L", "N"]), max_size=20))
    duplicate = (
        " " * len(match["indent"]) + f"{match['key']}: {json.dumps(value, ensure_ascii=False)}"
    )
    lines.insert(number + 1, duplicate)
    return "\n".join(lines) + "\n", number + 2


def mutate(draw, text: str) -> tuple[str, int | None]:
    """A mutated file text, and the line of the duplicated key if one was typed twice."""
    kind = draw(st.sampled_from(["delete", "retype", "text", "add-key", "duplicate-key"]))
    event(kind)
    if kind == "duplicate-key":
        return duplicate_a_key(draw, text)
    data = yaml.safe_load(text)
    everywhere = locations(data)
    if kind == "delete":
        loc = draw(st.sampled_from(everywhere))
        del get(data, loc[:-1])[loc[-1]]
    elif kind == "retype":
        loc = draw(st.sampled_from(everywhere))
        get(data, loc[:-1])[loc[-1]] = draw(other_types())
    elif kind == "text":
        loc = draw(
            st.sampled_from([where for where in everywhere if isinstance(get(data, where), str)])
        )
        parent, original, added = get(data, loc[:-1]), get(data, loc), draw(hostile_text())
        parent[loc[-1]] = draw(st.sampled_from([added, original + added, added + original]))
    else:  # add-key: a key the model does not know, in any mapping
        loc = draw(
            st.sampled_from(
                [()] + [where for where in everywhere if isinstance(get(data, where), dict)]
            )
        )
        get(data, loc)[draw(st.text(min_size=1, max_size=10))] = draw(hostile_text())
    mutated = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
    return mutated, None


def referable(data: Any) -> Counter[str]:
    """Every value under an ``id`` or ``post`` key, anywhere in ``data``."""
    found: Counter[str] = Counter()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in REFERABLE_KEYS:
                found[repr(value)] += 1
            found += referable(value)
    elif isinstance(data, list):
        for value in data:
            found += referable(value)
    return found


def check_result(
    content: Path, relative: str, ids_changed: bool, duplicate_line: int | None
) -> None:
    result = load_handbook(content)  # must never raise
    errors = [problem for problem in result.problems if problem.severity is Severity.error]
    event("accepted" if result.ok else "refused")
    if result.ok:
        assert result.handbook is not None and not errors
        pages = render(result.handbook)  # must never raise either
        assert pages
        for markdown in pages.values():
            assert "<script>alert" not in markdown and "<img src=x" not in markdown
        return
    mutated = (content / relative).resolve()
    assert errors, "a refused handbook names at least one error"
    for problem in errors:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert str(problem).startswith(f"{problem.path}:{problem.line}:{problem.column}:")
    in_file = [problem for problem in errors if Path(problem.path).resolve() == mutated]
    if not ids_changed:
        # Only a changed id or post may be reported elsewhere, where it is referred to.
        assert in_file == errors, ("errors must point at the changed file", list(map(str, errors)))
    if duplicate_line is not None:
        assert any(
            problem.line == duplicate_line and "duplicate key" in problem.message
            for problem in in_file
        ), [str(e) for e in errors]


@pytest.mark.parametrize("relative", FILES)
@settings(settings.get_profile("handbook-property"))
@given(data=st.data())
def test_a_mutated_file_is_accepted_or_reported_never_a_crash(valid_content, relative, data):
    file = valid_content / relative
    original = file.read_text(encoding="utf-8")
    text, duplicate_line = mutate(data.draw, original)
    ids_changed = duplicate_line is None and referable(yaml.safe_load(text)) != referable(
        yaml.safe_load(original)
    )
    try:
        file.write_text(text, encoding="utf-8")
        check_result(valid_content, relative, ids_changed, duplicate_line)
    finally:
        file.write_text(original, encoding="utf-8")
