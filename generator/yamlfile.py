"""Read one YAML file safely, keeping the line and column of every value.

PyYAML's ``safe_load`` silently keeps the last of two equal keys and forgets
where each value came from. This reader composes the node tree with the safe
loader (libyaml's when installed), refuses what a handbook never needs
(aliases, custom tags, deep nesting, huge files), reports duplicate keys, and
returns plain data plus a map from each value's path to its position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Loc, Problem, field_path

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - libyaml is optional
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


@dataclass
class YamlDocument:
    """A parsed file: its data and the 1-based (line, column) of each value."""

    path: str
    data: Any
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Position of each value."""
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Position of each mapping key, for problems about the key itself."""

    def position(self, loc: Loc) -> tuple[int, int]:
        """Position of ``loc``, or of its nearest ancestor that has one."""
        while loc not in self.marks and loc:
            loc = loc[:-1]
        return self.marks.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, *, at_key: bool = False, **kwargs: Any) -> Problem:
        """A problem at ``loc``: its value, or with ``at_key`` the key that names it."""
        line, column = (
            self.key_marks.get(loc) if at_key and loc in self.key_marks else self.position(loc)
        )
        return Problem(self.path, line, column, field_path(loc), message, **kwargs)


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str, loc: Loc = ()):
        self.mark, self.message, self.loc = mark, message, loc


def read_yaml(file: Path, display_path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse ``file``; on failure return ``None`` and the problems found."""

    def fail(line: int, column: int, message: str, loc: Loc = ()) -> tuple[None, list[Problem]]:
        return None, [Problem(display_path, line, column, field_path(loc), message)]

    size = file.stat().st_size
    if size > MAX_BYTES:
        return fail(1, 1, f"file is {size / 1e6:.1f} MB; the limit is {MAX_BYTES // 2**20} MB")
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return fail(line, column, "file is not UTF-8 text; save it as UTF-8")

    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            return fail(number, indent.index("\t") + 1, "tab used for indentation; use spaces")

    document = YamlDocument(display_path, None)
    try:
        _check_events(text)
        root = yaml.compose(text, Loader=SafeLoader)
        if root is None:
            return fail(1, 1, "file is empty")
        builder = _Builder(document)
        document.data = builder.build(root)
        if builder.problems:
            return None, builder.problems
    except _Refused as refused:
        line, column = _position(refused.mark)
        return fail(line, column, refused.message, refused.loc)
    except yaml.MarkedYAMLError as error:
        line, column = _position(error.problem_mark or error.context_mark)
        return fail(line, column, f"YAML syntax error: {error.problem or error.context}")
    except yaml.YAMLError as error:
        return fail(1, 1, f"YAML error: {error}")
    return document, []


def _position(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _check_events(text: str) -> None:
    """Refuse aliases and deep nesting while streaming, before building anything."""
    depth = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark, "YAML aliases (*name) are not supported; write the text out"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Builder:
    """Turn a node tree into plain data, recording positions and duplicate keys."""

    def __init__(self, document: YamlDocument):
        self.document = document
        self.marks = document.marks
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, loc: Loc = ()) -> Any:
        self.marks.setdefault(loc, _position(node.start_mark))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_COLLECTION_TAGS:
            # A tagged list or mapping (!!python/object/apply:…, !!set, !custom) is refused,
            # not silently built as a plain one.
            message = f"unsupported value: the tag '{node.tag}' is not allowed"
            raise _Refused(node.start_mark, message, loc)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*loc, index)) for index, child in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node)
        except yaml.constructor.ConstructorError as error:
            raise _Refused(node.start_mark, f"unsupported value: {error.problem}", loc) from None

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        self.constructor.flatten_mapping(node)
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark, "a key must be plain text", loc)
            key = str(key_node.value)
            child = (*loc, key)
            if key in data:
                first_line = self.document.key_marks[child][0]
                line, column = _position(key_node.start_mark)
                self.problems.append(
                    Problem(
                        self.document.path,
                        line,
                        column,
                        field_path(child),
                        f"duplicate key '{key}' (first on line {first_line}); one value would be lost",
                    )
                )
                continue
            self.document.key_marks[child] = _position(key_node.start_mark)
            data[key] = self.build(value_node, child)
        return data
