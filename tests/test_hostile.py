"""Hostile and mistaken content: every mistake located, text never code, the site never lost.

Each broken content copy is run through ``handbook check`` and ``handbook build``
as real subprocesses: both must exit 1 with ``FILE:LINE:COL: field: message``
lines in file order and no traceback, and the previously built site must stay
byte-for-byte the same.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import conftest
import pytest
import yaml
from conftest import CONFIG, ROOT, edit, line_of, tree_digest

from generator.cli import main

LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$")
WARNING = re.compile(r"(?:\S+: )?warning: ")


# --- helpers ------------------------------------------------------------------


def start(*args: str) -> subprocess.Popen:
    """``handbook ARGS`` as a real process, the way a user runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def run(*args: str) -> subprocess.CompletedProcess:
    return finish(start(*args))


def copy_content(target: Path) -> Path:
    """A private copy of the content folder (read at call time, like the ``content`` fixture)."""
    shutil.copytree(conftest.CONTENT, target)
    return target


def located(
    file: Path,
    line: int,
    field: str | None,
    message: str | re.Pattern[str],
    column: int | tuple[int, ...] | None,
) -> re.Pattern[str]:
    """A whole report line: ``FILE:LINE:COL: field: message``.

    ``column`` may list the acceptable columns (the key's or the value's) or be
    ``None`` for any column; the file, line and field are exact, and so is the
    message unless it is given as a regular expression.
    """
    if column is None:
        columns = r"\d+"
    elif isinstance(column, int):
        columns = str(column)
    else:
        columns = "(?:" + "|".join(map(str, column)) + ")"
    field_part = re.escape(f" {field}:") if field else ""
    text = message.pattern if isinstance(message, re.Pattern) else re.escape(message)
    return re.compile(re.escape(f"{file}:{line}:") + columns + ":" + field_part + " " + text + "$")


def either(*patterns: re.Pattern[str]) -> re.Pattern[str]:
    """A report line matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))


def error_positions(stderr: str) -> list[tuple[str, int, int]]:
    """(file, line, column) of every located error line, in the order printed."""
    positions = []
    for text in stderr.splitlines():
        match = LOCATED.match(text)
        if match and not WARNING.match(match["rest"]):
            positions.append((match["path"], int(match["line"]), int(match["column"])))
    return positions


def assert_reported(result: subprocess.CompletedProcess, expected: list[re.Pattern[str]]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    lines = result.stderr.splitlines()
    for pattern in expected:
        assert any(pattern.match(text) for text in lines), (pattern.pattern, result.stderr)
    positions = error_positions(result.stderr)
    assert positions, result.stderr
    assert positions == sorted(positions), "errors are printed in file order"


def quote(text: str) -> str:
    """A YAML scalar for ``text``: single-quoted, or double-quoted when multi-line."""
    if "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"


def line_of_text(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def manager_yml(content: Path) -> Path:
    return content / "posts" / "manager.yml"


# --- the last good site ---------------------------------------------------------


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile-good")
    content = copy_content(base / "content")
    site = base / "site"
    code = main(["build", "-f", str(CONFIG), "--content", str(content), "-d", str(site)])
    assert code == 0, "the content copy must be valid (someone may be mid-edit: retry)"
    return site


def assert_refused(content: Path, site: Path, expected: list[re.Pattern[str]]) -> None:
    """``check`` and ``build`` both refuse ``content``, located; ``site`` is untouched."""
    before = tree_digest(site)
    check = start("check", "--content", str(content))
    build = finish(start("build", "--content", str(content), "-d", str(site)))
    assert_reported(finish(check), expected)
    assert_reported(build, expected)
    assert "nothing was built" in build.stderr
    assert tree_digest(site) == before, "a failed build must leave the last good site as it was"
    assert not list(site.parent.glob(f".{site.name}-new-*")), "staging folder cleaned up"


# --- every mistake is reported, precisely -------------------------------------


@dataclass(frozen=True)
class Mistake:
    name: str
    make: Callable[[Path], list[re.Pattern[str]]]

    def __str__(self) -> str:
        return self.name


def yaml_syntax_error(content: Path):
    file = content / "complaints.yml"
    edit(file, "title: 案场管理岗接待投诉处理", "title: 案场: 管理岗接待投诉处理")
    message = "YAML syntax error: mapping values are not allowed in this context"
    return [located(file, line_of(file, "title: 案场: "), None, message, 10)]


def unclosed_bracket(content: Path):
    file = content / "handbook.yml"
    edit(file, "posts:\n", "posts: [manager,\n")
    # libyaml notices the missing ']' at the first thing that cannot be in the list.
    message = "YAML syntax error: did not find expected node content"
    return [located(file, line_of(file, "posts: [") + 1, None, message, 3)]


def tab_indentation(content: Path):
    file = manager_yml(content)
    edit(file, "  title: 案场管理岗岗位职责", "\ttitle: 案场管理岗岗位职责")
    line = line_of(file, "\ttitle: 案场管理岗岗位职责")
    return [located(file, line, None, "tab used for indentation; use spaces", 1)]


def duplicate_key(content: Path):
    file = manager_yml(content)
    edit(file, "name: 案场管理岗\n", "name: 案场管理岗\nname: 案场经理\n")
    first, second = line_of(file, "name: 案场管理岗"), line_of(file, "name: 案场经理")
    message = f"duplicate key 'name' (first on line {first}); one value would be lost"
    return [located(file, second, "name", message, 1)]


def unknown_key(content: Path):
    file = content / "complaints.yml"
    edit(file, "overview_title:", "overveiw_title:")
    typo = line_of(file, "overveiw_title:")
    root = line_of(file, "title: 案场管理岗接待投诉处理")
    return [
        located(file, typo, "overveiw_title", "unknown field (check the spelling)", 1),
        located(file, root, "overview_title", "required field is missing", 1),
    ]


def unknown_nested_key(content: Path):
    file = manager_yml(content)
    edit(file, "      men: 短发", "      man: 短发")
    line = line_of(file, "man: 短发")
    return [located(file, line, "grooming.rules[0].man", "unknown field (check the spelling)", 7)]


def missing_field(content: Path):
    file = content / "complaints.yml"
    edit(file, "  name: 投诉处理宗旨\n", "")
    # At the key that holds the incomplete mapping, or where that mapping starts.
    key = line_of(file, "purpose:")
    return [
        either(
            located(file, key, "purpose.name", "required field is missing", 1),
            located(file, key + 1, "purpose.name", "required field is missing", 3),
        )
    ]


def missing_top_level_field(content: Path):
    file = manager_yml(content)
    edit(file, "line: 管理\n", "")
    return [located(file, line_of(file, "id: manager"), "line", "required field is missing", 1)]


def list_for_text(content: Path):
    file = manager_yml(content)
    edit(file, "line: 管理", "line: [管理, 客服]")
    line = line_of(file, "line: [")
    return [located(file, line, "line", "expected text, found a list", (1, 7))]


def number_for_text(content: Path):
    file = content / "handbook.yml"
    edit(file, 'version: "1.0"', "version: 1.0")
    line = line_of(file, "version: 1.0")
    message = "expected text, found a number (put it in quotes)"
    return [located(file, line, "version", message, (1, 10))]


def mapping_for_text(content: Path):
    file = content / "complaints.yml"
    edit(file, "post: manager", "post: {id: manager}")
    line = line_of(file, "post: {")
    return [located(file, line, "post", "expected text, found a mapping", (1, 7))]


def empty_file(content: Path):
    file = content / "complaints.yml"
    file.write_bytes(b"")
    return [located(file, 1, None, "file is empty", 1)]


def comments_only(content: Path):
    file = content / "complaints.yml"
    file.write_text("# yaml-language-server: $schema=../schema/complaints.schema.json\n", "utf-8")
    return [located(file, 1, None, "file is empty", 1)]


def gbk_file(content: Path):
    """Saved as GBK by a Chinese Windows editor: the first Chinese byte is refused."""
    file = content / "complaints.yml"
    text = file.read_text(encoding="utf-8")
    file.write_bytes(text.encode("gbk"))
    line = line_of_text(text, "title: 案场管理岗接待投诉处理")
    return [located(file, line, None, "file is not UTF-8 text; save it as UTF-8", 8)]


def utf16_file(content: Path):
    """Saved as "Unicode" by Notepad: UTF-16 with its byte-order mark."""
    file = content / "complaints.yml"
    file.write_bytes(file.read_text(encoding="utf-8").encode("utf-16"))
    return [located(file, 1, None, "file is not UTF-8 text; save it as UTF-8", 1)]


def duplicate_post_id(content: Path):
    source = manager_yml(content)
    copy = content / "posts" / "manager2.yml"
    shutil.copyfile(source, copy)
    line = line_of(copy, "id: manager")
    message = f"duplicate post id 'manager' (also in {source}:{line_of(source, 'id: manager')})"
    return [located(copy, line, "id", message, (1, 5))]


SCRIPT = """\
source: supplement
scripts:
  - id: {id}
    category: {category}
    question: 这是测试用的问题吗?
    reply: 是的,这是测试用的回答。
"""


def duplicate_script_id(content: Path):
    categories = yaml.safe_load((content / "scripts" / "categories.yml").read_text("utf-8"))
    category = categories["categories"][0]["id"]
    first, second = content / "scripts" / "zz-first.yml", content / "scripts" / "zz-second.yml"
    for file in (first, second):
        file.write_text(SCRIPT.format(id="zz-hostile-test", category=category), "utf-8")
    line = line_of(second, "id: zz-hostile-test")
    message = f"duplicate script id 'zz-hostile-test' (also in {first}:{line})"
    return [located(second, line, "scripts[0].id", message, (5, 9))]


def unknown_category(content: Path):
    file = content / "scripts" / "zz-hostile.yml"
    file.write_text(SCRIPT.format(id="zz-hostile-test", category="no-such-category"), "utf-8")
    line = line_of(file, "category: no-such-category")
    message = "no category 'no-such-category' in scripts/categories.yml"
    return [located(file, line, "scripts[0].category", message, (5, 15))]


def unknown_post(content: Path):
    complaints, handbook = content / "complaints.yml", content / "handbook.yml"
    edit(complaints, "post: manager", "post: nobody")
    edit(handbook, "posts:\n", "posts:\n  - cashier\n")
    nobody, cashier = line_of(complaints, "post: nobody"), line_of(handbook, "- cashier")
    return [
        located(complaints, nobody, "post", "no post with id 'nobody'", (1, 7)),
        located(handbook, cashier, "posts[0]", "no post with id 'cashier' in posts/", 5),
    ]


def unknown_fact(content: Path):
    file = content / "complaints.yml"
    edit(file, "  text: 站在客户角度", "  text: 请拨打{fact:no-such-fact},站在客户角度")
    line = line_of(file, "no-such-fact")
    message = "unknown project fact '{fact:no-such-fact}'; facts are defined in project.yml"
    return [located(file, line, "purpose.text", message, (3, 9))]


UNSAFE_ID = "not a safe id: use lower-case letters a-z, digits and single hyphens, e.g. parking-fee"


def unsafe_category_id(bad: str, message: str = UNSAFE_ID):
    def make(content: Path):
        file = content / "scripts" / "categories.yml"
        data = yaml.safe_load(file.read_text("utf-8"))
        index = [category["id"] for category in data["categories"]].index("price")
        edit(file, "  - id: price\n", f"  - id: {bad}\n")
        line = line_of(file, f"id: {bad}")
        return [located(file, line, f"categories[{index}].id", message, (5, 9))]

    return make


def unsafe_post_id(content: Path):
    file = manager_yml(content)
    edit(file, "id: manager\n", "id: ../../etc/manager\n")
    return [located(file, line_of(file, "id: ../"), "id", UNSAFE_ID, (1, 5))]


def effective_date(value: str, message: str, column: int = 17):
    """``effective_date: VALUE`` in handbook.yml, refused with ``message``."""

    def make(content: Path):
        file = content / "handbook.yml"
        edit(file, "effective_date:\n", f"effective_date: {value}\n")
        return [located(file, line_of(file, "effective_date:"), "effective_date", message, column)]

    return make


QUOTE_IT = "; put it in quotes if it is text"
TAG_REFUSED = "unsupported value: the tag '{}' is not allowed; remove it (quote the value)"


def boolean_for_text(content: Path):
    file = manager_yml(content)
    edit(file, "name: 案场管理岗\n", "name: no\n")
    message = (
        "expected text, found false (YAML reads yes, no, on and off as true or false; "
        "put the text in quotes)"
    )
    return [located(file, line_of(file, "name: no"), "name", message, 7)]


def date_for_text(content: Path):
    file = content / "handbook.yml"
    edit(file, "supplement_note: ", "supplement_note: 2026-01-01 #")
    message = "expected text, found a date (put it in quotes)"
    return [located(file, line_of(file, "supplement_note:"), "supplement_note", message, 18)]


def invisible_character(char: str, name: str):
    def make(content: Path):
        file = content / "glossary.yml"
        text = file.read_text("utf-8")
        lines = text.splitlines(keepends=True)
        lines[-1] = lines[-1].rstrip("\n") + char + "\n"
        file.write_text("".join(lines), encoding="utf-8")
        message = f"contains the invisible character U+{ord(char):04X} ({name}); remove it"
        return [located(file, len(lines), None, message, len(lines[-1]) - 1)]

    return make


def invisible_character_in_key(content: Path):
    file = manager_yml(content)
    edit(file, "name: 案场管理岗\n", "name: 案场管理岗\nna\u200bme: x\n")
    message = (
        "unknown field (check the spelling); the name contains the invisible character "
        "U+200B (ZERO WIDTH SPACE), remove it"
    )
    return [located(file, line_of(file, "na\u200bme"), "'na\\u200bme'", message, 1)]


def special_file(kind: str, message: str):
    """A post file that is a folder, a pipe, a link loop or a link out of the content folder."""

    def make(content: Path):
        file = content / "posts" / "order.yml"
        file.unlink()
        if kind == "folder":
            file.mkdir()
        elif kind == "fifo":
            os.mkfifo(file)
        elif kind == "loop":
            file.symlink_to(file.name)
        else:
            outside = content.parent / "outside.yml"
            shutil.copy(conftest.CONTENT / "posts" / "order.yml", outside)
            file.symlink_to(outside)
        return [located(file, 1, None, message, 1)]

    return make


def post_renamed(new_id: str, clashes_with: str, path: str):
    """The order post renamed to ``new_id``, everywhere it is referenced."""

    def make(content: Path):
        for file in [content / "handbook.yml", *content.rglob("*.yml")]:
            text = file.read_text("utf-8")
            text = re.sub(
                r"(post: |^id: |^  - |[{,\[] ?)order\b", rf"\g<1>{new_id}", text, flags=re.M
            )
            file.write_text(text, encoding="utf-8")
        file = content / "posts" / "order.yml"
        message = f"post id '{new_id}' would write {path}, which is also {clashes_with}; choose another id"
        return [located(file, line_of(file, f"id: {new_id}"), "id", message, 5)]

    return make


def category_index(content: Path):
    file = content / "scripts" / "categories.yml"
    for yml in content.rglob("*.yml"):
        text = yml.read_text("utf-8")
        yml.write_text(
            re.sub(r"(id: |category: |practise: )price\b", r"\g<1>index", text), encoding="utf-8"
        )
    message = "category id 'index' would write scripts/index.md, which is also 答客词索引; choose another id"
    return [located(file, line_of(file, "id: index"), "categories[0].id", message, 9)]


def crlf_bom(make: Callable[[Path], list[re.Pattern[str]]], *names: str):
    """Run ``make``, then save the files with a byte-order mark and Windows line endings."""

    def wrapped(content: Path):
        expected = make(content)
        for name in names:
            file = content / name
            text = file.read_text("utf-8")
            file.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
        return expected

    return wrapped


MISTAKES = [
    Mistake("yaml-syntax", yaml_syntax_error),
    Mistake("yaml-unclosed-bracket", unclosed_bracket),
    Mistake("tab-indentation", tab_indentation),
    Mistake("duplicate-key", duplicate_key),
    Mistake("unknown-key", unknown_key),
    Mistake("unknown-nested-key", unknown_nested_key),
    Mistake("missing-field", missing_field),
    Mistake("missing-top-level-field", missing_top_level_field),
    Mistake("list-for-text", list_for_text),
    Mistake("number-for-text", number_for_text),
    Mistake("mapping-for-text", mapping_for_text),
    Mistake("empty-file", empty_file),
    Mistake("comments-only-file", comments_only),
    Mistake("not-utf8-gbk", gbk_file),
    Mistake("not-utf8-utf16", utf16_file),
    Mistake("duplicate-post-id-across-files", duplicate_post_id),
    Mistake("duplicate-script-id-across-files", duplicate_script_id),
    Mistake("unknown-script-category", unknown_category),
    Mistake("unknown-post", unknown_post),
    Mistake("unknown-project-fact", unknown_fact),
    Mistake("unsafe-id-dotdot", unsafe_category_id("../x")),
    Mistake("unsafe-id-space", unsafe_category_id("'a b'")),
    Mistake("unsafe-id-uppercase", unsafe_category_id("Price")),
    Mistake("unsafe-id-empty", unsafe_category_id('""', "must not be empty")),
    Mistake("unsafe-post-id-path", unsafe_post_id),
    Mistake("bom-crlf-duplicate-key", crlf_bom(duplicate_key, "posts/manager.yml")),
    Mistake("bom-crlf-tab", crlf_bom(tab_indentation, "posts/manager.yml")),
    Mistake("bom-crlf-unknown-key", crlf_bom(unknown_key, "complaints.yml")),
    Mistake(
        "post-id-complaints", post_renamed("complaints", "接待投诉处理", "posts/complaints.md")
    ),
    Mistake("post-id-index", post_renamed("index", "全部岗位清单", "checklists/index.md")),
    Mistake("post-id-practice", post_renamed("practice", "答客词练习", "learn/practice.md")),
    Mistake("post-id-all", post_renamed("all", "全部岗位清单 PDF", "pdf/all.pdf")),
    Mistake("category-id-index", category_index),
    Mistake(
        "impossible-date",
        effective_date("2026-02-30", "not a real date (write YYYY-MM-DD)" + QUOTE_IT),
    ),
    Mistake(
        "date-not-a-date",
        effective_date("'1 March'", "expected a date written as YYYY-MM-DD, e.g. 2026-03-01"),
    ),
    Mistake("huge-number", effective_date("9" * 5000, "not a usable number (too long)" + QUOTE_IT)),
    *(
        Mistake(
            f"tagged-{tag[2:]}", effective_date(f"{tag} {value}".strip(), TAG_REFUSED.format(tag))
        )
        for tag, value in [
            ("!!int", "abc"),
            ("!!float", ""),
            ("!!bool", "maybe"),
            ("!!timestamp", "2026-13-45"),
            ("!!binary", "aGVsbG8="),
        ]
    ),
    Mistake("boolean-for-text", boolean_for_text),
    Mistake("date-for-text", date_for_text),
    Mistake("nul-byte", invisible_character("\x00", "NULL")),
    Mistake("bidi-override", invisible_character("\u202e", "RIGHT-TO-LEFT OVERRIDE")),
    Mistake("zero-width-space-in-key", invisible_character_in_key),
    Mistake(
        "yml-folder", special_file("folder", "is a folder, not a file; rename it or move its files")
    ),
    Mistake(
        "yml-fifo",
        special_file(
            "fifo", "is not a regular file (a pipe or device); replace it with a YAML file"
        ),
    ),
    Mistake(
        "yml-symlink-loop",
        special_file("loop", "symbolic link loop; replace the link with the file itself"),
    ),
    Mistake(
        "yml-symlink-outside",
        special_file(
            "outside",
            "symbolic link to a file outside the content folder; copy the file into the content folder instead (only the content folder is published)",
        ),
    ),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=str)
def test_mistake_is_located_and_the_site_survives(mistake, content, good_site):
    assert_refused(content, good_site, mistake.make(content))


def test_every_error_of_a_run_is_reported_in_file_order(content, good_site):
    expected = []
    for make in (number_for_text, unknown_key, duplicate_key, unsafe_category_id("../x")):
        expected += make(content)
    assert_refused(content, good_site, expected)
    check = run("check", "--content", str(content))
    assert len(error_positions(check.stderr)) == len(expected), check.stderr
    assert f"{len(expected)} error(s); nothing was built." in check.stderr


def test_byte_order_mark_and_windows_line_endings_are_accepted(content, tmp_path):
    for name in ("posts/manager.yml", "complaints.yml", "handbook.yml"):
        file = content / name
        text = file.read_text("utf-8")
        file.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    check = run("check", "--content", str(content))
    assert check.returncode == 0, check.stderr
    site = tmp_path / "site"
    build = run("build", "--content", str(content), "-d", str(site))
    assert build.returncode == 0, build.stderr
    page = (site / "posts" / "manager" / "index.html").read_text("utf-8")
    original = yaml.safe_load(manager_yml(conftest.CONTENT).read_text("utf-8"))
    assert li_texts(section_of(page, original["duties"]["title"])) == item_texts(original["duties"])
    assert "\ufeff" not in page and "\r" not in page


# --- hostile YAML is refused safely ---------------------------------------------


def alias_bomb(content: Path):
    """Billion laughs: ten levels of ten aliases, 10^10 strings if expanded."""
    file = content / "complaints.yml"
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)]
    lines.append("title: *lol9")
    file.write_text("\n".join(lines) + "\n", "utf-8")
    message = "YAML aliases (*name) are not supported; write the text out"
    return [located(file, 2, None, message, lines[1].index("*lol0") + 1)]


def merge_key_alias(content: Path):
    file = content / "complaints.yml"
    edit(file, "  - name: 诚信原则\n", "  - <<: *principle\n    name: 诚信原则\n")
    edit(file, "  - name: 及时原则\n", "  - &principle\n    name: 及时原则\n")
    message = "YAML aliases (*name) are not supported; write the text out"
    return [located(file, line_of(file, "<<: *principle"), None, message, 9)]


def deep_nesting(content: Path):
    file = content / "complaints.yml"
    edit(file, "title: 案场管理岗接待投诉处理", "title: " + "[" * 500 + "]" * 500)
    # The root mapping is level 1, so the 64th '[' opens level 65.
    column = len("title: ") + 64
    line = line_of(file, "title: [[")
    return [located(file, line, None, "nesting deeper than 64 levels", column)]


def extreme_nesting(content: Path):
    """100,000 levels: libyaml's own limit (1,000) may refuse it before ours does."""
    file = content / "complaints.yml"
    edit(file, "title: 案场管理岗接待投诉处理", "title: " + "[" * 100_000 + "]" * 100_000)
    message = re.compile(
        r"(?:nesting deeper than 64 levels|YAML syntax error: exceeded maximum nesting depth)"
    )
    return [located(file, line_of(file, "title: [["), None, message, None)]


def deep_block_nesting(content: Path):
    file = content / "complaints.yml"
    nested = "".join(f"\n{'  ' * (depth + 1)}k{depth}:" for depth in range(200)) + " x"
    edit(file, "title: 案场管理岗接待投诉处理", "title:" + nested)
    # Level 65 is the mapping that starts at key k63, indented 2 * 64 spaces.
    line = line_of(file, "k63:")
    return [located(file, line, None, "nesting deeper than 64 levels", 2 * 64 + 1)]


def huge_file(content: Path):
    file = content / "complaints.yml"
    with file.open("a", encoding="utf-8") as stream:
        stream.write("# " + "填" * (2 * 1024 * 1024) + "\n")
    size = file.stat().st_size
    assert size > 5 * 1024 * 1024
    return [located(file, 1, None, f"file is {size / 1e6:.1f} MB; the limit is 5 MB", 1)]


HOSTILE_YAML = [
    Mistake("alias-bomb", alias_bomb),
    Mistake("merge-key-alias", merge_key_alias),
    Mistake("deep-flow-nesting", deep_nesting),
    Mistake("extreme-flow-nesting", extreme_nesting),
    Mistake("deep-block-nesting", deep_block_nesting),
    Mistake("file-over-5mb", huge_file),
]


@pytest.mark.parametrize("mistake", HOSTILE_YAML, ids=str)
def test_hostile_yaml_is_refused_safely(mistake, content, good_site):
    assert_refused(content, good_site, mistake.make(content))


UNSAFE_TAGS = {
    "sequence": "!!python/object/apply:os.system ['touch {marker}']",
    "mapping": "!!python/object/new:os.system {{args: ['touch {marker}']}}",
    "scalar": "!!python/name:os.system",
    "custom": "!include '{marker}'",
}


@pytest.mark.parametrize("kind", UNSAFE_TAGS)
def test_only_the_safe_loader_is_used(kind, content, good_site, tmp_path):
    marker = tmp_path / "pwned"
    file = content / "complaints.yml"
    edit(file, "post: manager", "post: " + UNSAFE_TAGS[kind].format(marker=marker))
    message = re.compile(re.escape("unsupported value: ") + ".*tag '.+'.*")
    assert_refused(
        content, good_site, [located(file, line_of(file, "post: !"), "post", message, 7)]
    )
    assert not marker.exists(), "a YAML tag must never run code"


MEASURE = """\
import re, resource, sys
limit = 1 << 30  # 1 GiB of address space: an expanding bomb dies instead of the machine
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from generator.content.load import load_handbook
result = load_handbook(sys.argv[1])
# VmHWM is this process's own peak (ru_maxrss would count the forking parent's pages).
print(re.search(r"VmHWM:\\s*(\\d+) kB", open("/proc/self/status").read()).group(1))
print(result.ok)
"""


def peak_memory_kb(content: Path) -> tuple[int, bool]:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    peak, ok = result.stdout.split()
    return int(peak), ok == "True"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_hostile_yaml_is_refused_without_a_memory_spike(tmp_path):
    baseline, ok = peak_memory_kb(copy_content(tmp_path / "good"))
    assert ok
    for make in (alias_bomb, deep_nesting, extreme_nesting, deep_block_nesting, huge_file):
        content = copy_content(tmp_path / make.__name__)
        make(content)
        peak, ok = peak_memory_kb(content)
        assert not ok, make.__name__
        assert peak - baseline < 20 * 1024, (make.__name__, peak, baseline)
    # A file far over the limit is refused by its size, before it is read.
    content = copy_content(tmp_path / "very-huge")
    with (content / "complaints.yml").open("a", encoding="utf-8") as file:
        file.write("# ")
        for _ in range(64):
            file.write("x" * 1024 * 1024)
    peak, ok = peak_memory_kb(content)
    assert not ok
    assert peak - baseline < 20 * 1024, ("64 MB file", peak, baseline)


# --- content is text, never code ------------------------------------------------

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[点我](javascript:alert(3))",
    "<a href='javascript:alert(4)'>链接</a>",
    "| 列一 | 列二 |",
    "*强调* __粗体__ `代码` ~~删除~~",
    "# 不是标题",
    "- 不是列表",
    "{{ config }}",
    "{% raw %}{{ 7 * 7 }}{% endraw %}",
    "{%- include 'base.html' %}",
    "<!-- 注释吞掉后文",
    '文字{: onclick="alert(5)" }',
    ":material-alert: :smile:",
    "&amp; &lt; &#x3C;script&#x3E; \\* \\<",
    "第一行\n# 第二行\n| a | b |\n| --- | --- |\n</li></ol><script>alert(6)</script>",
    "<!-- /hb:html -->\n<script>alert(7)</script>\n<!-- hb:html -->",
]
FACT_VALUE = "400-800 <b>{{ config }}</b>"


def item_texts(block: dict) -> list[str]:
    """The texts of a block's items as YAML has them: plain strings or ``text:`` mappings."""
    return [item if isinstance(item, str) else item["text"] for item in block["items"]]


def li_texts(section: str) -> list[str]:
    """What a reader sees in each list item of ``section``."""
    texts = []
    for inner in re.findall(r"<li>(.*?)</li>", section, flags=re.S):
        inner = re.sub(r'<span class="hb-supplement".*?</span>', "", inner, flags=re.S)
        inner = re.sub(r"<br\s*/?>", "\n", inner)
        texts.append(html.unescape(re.sub(r"<[^>]+>", "", inner)).strip())
    return texts


def section_of(page: str, title: str) -> str:
    """The HTML from the ``<h2>`` titled ``title`` to the next ``<h2>``."""
    start = re.search(rf"<h2\b[^>]*>\s*{re.escape(title)}", page).end()
    end = page.find("<h2", start)
    return page[start : end if end != -1 else len(page)]


@pytest.fixture(scope="module")
def hostile_content(tmp_path_factory) -> Path:
    """Every hostile string as a duty and as a grooming rule of the manager post."""
    content = copy_content(tmp_path_factory.mktemp("hostile-text") / "content")
    post = manager_yml(content)
    duties = "".join(f"    - {quote(text)}\n" for text in HOSTILE_TEXT)
    # A reference belongs in supplement text: the handbook's own duties stay verbatim.
    duties += f"    - text: {quote('拨打{fact:hotline}咨询')}\n      source: supplement\n"
    # The duties list is followed by the procedures: the hostile duties go last in it.
    edit(post, "\nprocedures:\n", "\n" + duties + "procedures:\n")
    rules = "".join(
        f"    - area: {quote(f'规则{number}')}\n      text: {quote(text)}\n"
        for number, text in enumerate(HOSTILE_TEXT, start=1)
    )
    edit(post, "duties:\n", rules + "duties:\n")
    scripts = "".join(
        f"  - id: hostile-{number}\n    category: price\n    question: {quote(text)}\n"
        f"    reply: {quote(text + '{fact:hotline}')}\n    phrasings: [{quote(text)}]\n"
        f"    notes: [{quote(text)}]\n    tags: [{quote(text)}]\n    source: supplement\n"
        for number, text in enumerate(HOSTILE_TEXT, start=1)
    )
    (content / "scripts" / "hostile.yml").write_text("scripts:\n" + scripts, encoding="utf-8")
    hotline = "    label: 案场咨询电话\n"
    edit(content / "project.yml", hotline, f"{hotline}    value: {quote(FACT_VALUE)}\n")
    return content


@pytest.fixture(scope="module")
def hostile_site(hostile_content, tmp_path_factory) -> Path:
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("hostile-site") / "site"
    build_site(CONFIG, content_dir=hostile_content, site_dir=site)
    return site


@pytest.fixture(scope="module")
def manager_page(hostile_site) -> str:
    return (hostile_site / "posts" / "manager" / "index.html").read_text("utf-8")


def test_hostile_text_is_shown_exactly_as_typed(manager_page):
    original = yaml.safe_load(manager_yml(conftest.CONTENT).read_text("utf-8"))
    duties = li_texts(section_of(manager_page, original["duties"]["title"]))
    expected = [*item_texts(original["duties"]), *HOSTILE_TEXT, f"拨打{FACT_VALUE}咨询"]
    assert duties == expected, "every duty is its own list item, exactly as typed"
    grooming = li_texts(section_of(manager_page, original["grooming"]["title"]))
    assert len(grooming) == len(original["grooming"]["rules"]) + len(HOSTILE_TEXT)
    rules = grooming[-len(HOSTILE_TEXT) :]
    for number, (text, hostile) in enumerate(zip(rules, HOSTILE_TEXT, strict=True), start=1):
        assert text.startswith(f"规则{number}") and text.endswith(hostile), (text, hostile)


@pytest.mark.parametrize("hostile", HOSTILE_TEXT)
def test_hostile_text_is_html_escaped(hostile, manager_page):
    page = manager_page.replace("&#39;", "'").replace("&quot;", '"')
    for line in hostile.split("\n"):
        assert html.escape(line, quote=False) in page, line


def test_no_markup_from_content_reaches_the_page(manager_page):
    page = manager_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script>alert" not in page
    assert not re.search(r"<img\b[^>]*\bsrc=\"?x\b", page)
    assert not re.search(r"""<[a-z][^<>]*\bhref\s*=\s*["']?\s*javascript:""", page, flags=re.I)
    assert not re.search(r"<[a-z][^<>]*\bon(?:click|error)\s*=", page, flags=re.I)
    assert "{{ config }}" in page, "Jinja in content is never evaluated"
    assert "{% raw %}{{ 7 * 7 }}{% endraw %}" in page
    assert "<!-- 注释" not in page
    assert "&lt;b&gt;{{ config }}&lt;/b&gt;" in page, "a fact's value is text too"
    article = page[page.index("<article") : page.index("</article>")]
    assert not re.search(r"<t[hd]>\s*(?:列一|a)\s*</t[hd]>", article), "pipes never make a table"
    assert not re.search(r"<h\d[^>]*>[^<]*不是标题", article), "# never makes a heading"
    original = yaml.safe_load(manager_yml(conftest.CONTENT).read_text("utf-8"))
    duties = section_of(page, original["duties"]["title"])
    for tag in ("em", "strong", "code", "del", "ul", "h1", "table"):
        assert f"<{tag}" not in duties, f"no <{tag}> made from Markdown in content"


def test_no_page_of_the_site_carries_injected_markup(hostile_site):
    """Checklists, scripts (which show the fact) and every other page: still only text."""
    pages = sorted(hostile_site.rglob("*.html"))
    assert pages
    for file in pages:
        page = file.read_text("utf-8")
        assert "<script>alert" not in page, file
        assert "<b>{{ config }}</b>" not in page, file
        assert not re.search(r"<img\b[^>]*\bsrc=\"?x\b", page), file
        assert not re.search(r"""<[a-z][^<>]*\bhref\s*=\s*["']?\s*javascript:""", page, re.I), file
    checklist = (hostile_site / "checklists" / "manager" / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in checklist


def test_hostile_scripts_are_text_on_the_script_pages(hostile_site):
    """Script bodies are raw HTML blocks: every field is escaped, nothing ends a block early."""
    page = (hostile_site / "scripts" / "price" / "index.html").read_text("utf-8")
    index = (hostile_site / "scripts" / "index.html").read_text("utf-8")
    for number, hostile in enumerate(HOSTILE_TEXT, start=1):
        section = page[page.index(f'id="hostile-{number}"') :]
        section = section[: section.find("<h2", 1)]
        reply = re.search(r'<p class="hb-reply">(.*?)</p>', section, flags=re.S).group(1)
        reply = re.sub(r'<span class="hb-supplement".*?</span>', "", reply, flags=re.S)
        shown = html.unescape(re.sub(r"<[^>]+>", "", reply.replace("<br>", "\n")))
        assert shown.strip() == f"答：{hostile}{FACT_VALUE}", number
        for field in ('<p class="hb-phrasings">', '<div class="admonition warning">'):
            assert field in section, (number, field)
        assert '<p class="hb-tags">' in section, number
        assert f'#hostile-{number}"' in index
    for text in (page, index):
        assert "<script>alert" not in text and "<!-- hb:html" not in text


# --- a real browser: nothing runs -------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def hostile_server(hostile_site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=hostile_site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_no_script_runs_in_a_real_browser(browser, hostile_server):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    # Record every alert() call, even one that might be dismissed before we look.
    browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {
            "source": "window.__alerts = []; const original = window.alert;"
            "window.alert = function (m) { window.__alerts.push(String(m));"
            " return original.call(window, m); };"
        },
    )
    browser.get(f"{hostile_server}/posts/manager/")
    deadline = time.monotonic() + 10
    while browser.execute_script("return document.readyState") != "complete":
        assert time.monotonic() < deadline, "page did not finish loading"
        time.sleep(0.1)
    time.sleep(1)  # time for an injected onerror handler to fire
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert  # noqa: B018 - reading the property raises when there is none
    assert browser.execute_script("return window.__alerts") == []
    assert browser.find_elements(By.CSS_SELECTOR, "article img[src='x']") == []
    assert browser.find_elements(By.XPATH, "//article//table[contains(., '列一')]") == []
    text = browser.find_element(By.TAG_NAME, "article").text
    for hostile in HOSTILE_TEXT:
        for line in hostile.split("\n"):
            assert line in text, line
    assert f"拨打{FACT_VALUE}咨询" in text
