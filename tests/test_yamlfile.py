from pathlib import Path

import pytest

from generator.content.yamlfile import MAX_BYTES, read_yaml


def read(tmp_path: Path, data: bytes):
    file = tmp_path / "x.yml"
    file.write_bytes(data)
    return read_yaml(file, "x.yml")


def messages(problems):
    return [str(problem) for problem in problems]


def test_values_keep_their_positions(tmp_path):
    document, problems = read(tmp_path, b"a: 1\nb:\n  - x\n  - c: y\n")
    assert problems == []
    assert document.data == {"a": 1, "b": ["x", {"c": "y"}]}
    assert document.position(("b", 1, "c")) == (4, 8)
    assert document.position(("b", 0)) == (3, 5)
    # An unknown path falls back to its nearest known ancestor.
    assert document.position(("b", 1, "missing")) == (4, 5)


def test_duplicate_keys_are_reported_not_silently_dropped(tmp_path):
    document, problems = read(tmp_path, b"a: 1\nb: 2\na: 3\nb: 4\n")
    assert document is None
    assert messages(problems) == [
        "x.yml:3:1: a: duplicate key 'a' (first on line 1); one value would be lost",
        "x.yml:4:1: b: duplicate key 'b' (first on line 2); one value would be lost",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a:\n\t- b\n", "x.yml:2:1: tab used for indentation; use spaces"),
        (b"a: [1,\n", "x.yml:2:1: YAML syntax error: did not find expected node content"),
        (b"", "x.yml:1:1: file is empty"),
        (b"# only a comment\n", "x.yml:1:1: file is empty"),
        (b'a: "\xff"\n', "x.yml:1:5: file is not UTF-8 text; save it as UTF-8"),
        (
            b"a: &x [1]\nb: *x\n",
            "x.yml:2:4: YAML aliases (*name) are not supported; write the text out",
        ),
        (b"a: !!python/object:os.system x\n", "x.yml:1:4: a: unsupported value"),
    ],
)
def test_bad_files_are_refused_with_a_position(tmp_path, data, expected):
    document, problems = read(tmp_path, data)
    assert document is None
    assert len(problems) == 1
    assert str(problems[0]).startswith(expected)


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    document, problems = read(tmp_path, "\ufeffa: 文字\r\nb: [x, y]\r\n".encode())
    assert problems == []
    assert document.data == {"a": "文字", "b": ["x", "y"]}
    assert document.position(("b",)) == (2, 4)


def test_deep_nesting_is_refused(tmp_path):
    document, problems = read(tmp_path, b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    assert document is None
    assert "nesting" in problems[0].message


def test_alias_bomb_is_refused_before_expansion(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    document, problems = read(tmp_path, "\n".join(lines).encode())
    assert document is None
    assert "aliases" in problems[0].message


def test_huge_file_is_refused_without_parsing(tmp_path):
    document, problems = read(tmp_path, b"a: '" + b"x" * MAX_BYTES + b"'\n")
    assert document is None
    assert "the limit is 5 MB" in problems[0].message
