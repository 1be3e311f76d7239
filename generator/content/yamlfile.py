"""Read one YAML file safely, keeping the line and column of every value.

PyYAML's ``safe_load`` silently keeps the last of two equal keys and forgets
where each value came from. This reader builds plain data straight from the
parser's events (libyaml's parser when installed), in one pass: it refuses
what a handbook never needs (aliases, custom tags, deep nesting, huge files)
and reports duplicate keys; the position of each value is found when a
problem needs it. A merge key (``<<``) is an ordinary key here, so the schema
reports it as unknown.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Loc, Problem, field_path

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - libyaml is optional
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_STRING_TAG = "tag:yaml.org,2002:str"
_COLLECTION_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)


class YamlDocument:
    """A parsed file: its data, and the 1-based (line, column) of each value and key.

    Positions are needed only to report a problem, so they are found by a second
    pass over the text the first time one is asked for: a content folder of
    thousands of scripts loads faster and in less memory.
    """

    def __init__(self, path: str, data: Any, text: str):
        self.path, self.data, self._text = path, data, text

    @cached_property
    def _positions(self) -> _Builder:
        builder = _Builder(self.path, record_positions=True)
        builder.build(yaml.parse(self._text, Loader=SafeLoader))
        return builder

    def duplicate_key_problems(self) -> list[Problem]:
        """Each duplicate key of the file, where it is."""
        return self._positions.problems

    def position(self, loc: Loc) -> tuple[int, int]:
        """Position of ``loc``, or of its nearest ancestor that has one."""
        marks = self._positions.marks
        while loc not in marks and loc:
            loc = loc[:-1]
        return marks.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, *, at_key: bool = False, **kwargs: Any) -> Problem:
        """A problem at ``loc``: its value, or with ``at_key`` the key that names it."""
        key_marks = self._positions.key_marks
        line, column = key_marks[loc] if at_key and loc in key_marks else self.position(loc)
        return Problem(self.path, line, column, field_path(loc), message, **kwargs)


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str, loc: Loc = ()):
        self.mark, self.message, self.loc = mark, message, loc


def read_yaml(file: Path, display_path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse ``file``; on failure return ``None`` and the problems found."""

    def fail(line: int, column: int, message: str, loc: Loc = ()) -> tuple[None, list[Problem]]:
        return None, [Problem(display_path, line, column, field_path(loc), message)]

    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            limit = MAX_BYTES // 2**20
            return fail(1, 1, f"file is {size / 1e6:.1f} MB; the limit is {limit} MB")
        raw = file.read_bytes()
    except PermissionError:
        return fail(1, 1, "cannot read the file: permission denied; make it readable")
    except OSError as error:
        return fail(1, 1, f"cannot read the file: {error.strerror or error}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return fail(line, column, "file is not UTF-8 text; save it as UTF-8")

    control = _CONTROL_CHARACTER.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        return fail(line, column, f"contains {describe_character(control.group())}; remove it")

    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            return fail(number, indent.index("\t") + 1, "tab used for indentation; use spaces")

    try:
        builder = _Builder(display_path, record_positions=False)
        found, data = builder.build(yaml.parse(text, Loader=SafeLoader))
        if not found:
            return fail(1, 1, "file is empty")
        document = YamlDocument(display_path, data, text)
        if builder.duplicate_keys:
            return None, document.duplicate_key_problems()
    except _Refused as refused:
        line, column = _position(refused.mark)
        return fail(line, column, refused.message, refused.loc)
    except yaml.MarkedYAMLError as error:
        line, column = _position(error.problem_mark or error.context_mark)
        return fail(line, column, f"YAML syntax error: {error.problem or error.context}")
    except yaml.YAMLError as error:
        return fail(1, 1, f"YAML error: {error}")
    return document, []


_CONTROL_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
"""Characters no handbook text needs: control codes, and the bidirectional controls that
make text display differently from what it says (a BOM is allowed only at the start)."""


def describe_character(char: str) -> str:
    """``the control character U+0000 (NULL)``: an invisible character, named."""
    name = unicodedata.name(char, "") or _C0_NAMES.get(ord(char), "control character")
    return f"the invisible character U+{ord(char):04X} ({name})"


_C0_NAMES = {0: "NULL", 0x1B: "ESCAPE", 0x7F: "DELETE"}


def _position(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


class _Collection:
    """A mapping or list being built; a mapping also holds the key waiting for its value."""

    __slots__ = ("data", "loc", "is_mapping", "kept", "key", "key_kept")

    def __init__(self, data: dict | list, loc: Loc, *, kept: bool):
        self.data, self.loc = data, loc
        self.is_mapping = isinstance(data, dict)
        self.kept = kept
        """False inside the value of a duplicate key: read to the end, keep nothing."""
        self.key: str | None = None
        self.key_kept = kept

    def child_loc(self) -> Loc:
        return (*self.loc, self.key if self.is_mapping else len(self.data))

    def add(self, value: Any) -> None:
        if self.is_mapping:
            if self.key_kept:
                self.data[self.key] = value
            self.key, self.key_kept = None, self.kept
        elif self.kept:
            self.data.append(value)


class _Builder:
    """Build plain data straight from the parser's events, in one pass.

    Refuses aliases, tags and nesting deeper than ``MAX_DEPTH`` at the event
    that holds them, before anything is built from them, and notices duplicate
    keys; with ``record_positions``, also notes where each value and key is
    and reports each duplicate. Scalars are resolved as the safe loader would
    (``yes`` is a boolean, ``1`` a number).
    """

    def __init__(self, path: str, *, record_positions: bool):
        self.path = path
        self.record_positions = record_positions
        self.marks: dict[Loc, tuple[int, int]] = {}
        """Position of each value (when recording positions)."""
        self.key_marks: dict[Loc, tuple[int, int]] = {}
        """Position of each mapping key, for problems about the key itself."""
        self.duplicate_keys = False
        self.problems: list[Problem] = []
        """Each duplicate key, with its position (when recording positions)."""
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, events) -> tuple[bool, Any]:
        """(whether the stream held a document, its data)."""
        stack: list[_Collection] = []
        found, root, document_mark = False, None, None
        for event in events:
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                if found:
                    raise yaml.composer.ComposerError(
                        "expected a single document in the stream",
                        document_mark,
                        "but found another document",
                        event.start_mark,
                    )
                found, document_mark = True, event.start_mark
            elif kind is yaml.AliasEvent:
                message = "YAML aliases (*name) are not supported; write the text out"
                raise _Refused(event.start_mark, message)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                finished = stack.pop()
                if stack:
                    stack[-1].add(finished.data)
                else:
                    root = finished.data
            elif kind is yaml.ScalarEvent or kind in _COLLECTION_STARTS:
                parent = stack[-1] if stack else None
                if parent is not None and parent.is_mapping and parent.key is None:
                    self._key(event, parent)
                    continue
                loc = parent.child_loc() if parent is not None else ()
                kept = parent is None or (parent.key_kept if parent.is_mapping else parent.kept)
                if kept and self.record_positions:
                    self.marks.setdefault(loc, _position(event.start_mark))
                if kind is yaml.ScalarEvent:
                    value = self._scalar(event, loc)
                    if parent is not None:
                        parent.add(value)
                    else:
                        root = value
                else:
                    stack.append(self._collection(event, loc, len(stack), kept))
        return found, root

    def _collection(self, event, loc: Loc, depth: int, kept: bool) -> _Collection:
        if depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
        if event.tag not in (None, "!") and event.tag not in _PLAIN_COLLECTION_TAGS:
            # A tagged list or mapping (!!python/object/apply:…, !!set, !custom) is
            # refused, not silently built as a plain one.
            message = f"unsupported value: the tag '{event.tag}' is not allowed"
            raise _Refused(event.start_mark, message, loc)
        data: dict | list = {} if type(event) is yaml.MappingStartEvent else []
        return _Collection(data, loc, kept=kept)

    def _key(self, event, mapping: _Collection) -> None:
        if type(event) is not yaml.ScalarEvent:
            raise _Refused(event.start_mark, "a key must be plain text", mapping.loc)
        key = mapping.key = str(event.value)
        if not mapping.kept:
            return
        if key in mapping.data:
            self.duplicate_keys = True
            mapping.key_kept = False
        if not self.record_positions:
            return
        child = (*mapping.loc, key)
        line, column = _position(event.start_mark)
        if mapping.key_kept:
            self.key_marks[child] = (line, column)
            return
        first_line = self.key_marks[child][0]
        message = f"duplicate key '{key}' (first on line {first_line}); one value would be lost"
        self.problems.append(Problem(self.path, line, column, field_path(child), message))

    def _scalar(self, event: yaml.ScalarEvent, loc: Loc) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        elif tag != _STRING_TAG:
            # Only !!str is useful in a handbook; !!binary, !!int abc and the like are not.
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            message = (
                f"unsupported value: the tag '{shown}' is not allowed; remove it (quote the value)"
            )
            raise _Refused(event.start_mark, message, loc)
        if tag == _STRING_TAG:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node)
        except yaml.constructor.ConstructorError as error:
            raise _Refused(event.start_mark, f"unsupported value: {error.problem}", loc) from None
        except (ValueError, OverflowError):
            message = _UNREADABLE.get(tag, "cannot be read")
            raise _Refused(
                event.start_mark, f"{message}; put it in quotes if it is text", loc
            ) from None


_UNREADABLE = {
    "tag:yaml.org,2002:timestamp": "not a real date (write YYYY-MM-DD)",
    "tag:yaml.org,2002:int": "not a usable number (too long)",
    "tag:yaml.org,2002:float": "not a usable number",
}
