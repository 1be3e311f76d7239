"""Builds are deterministic: the same content gives the same Markdown and the same site.

Only what MkDocs itself stamps with the build time (the sitemap) may differ.
Builds run in subprocesses with different ``PYTHONHASHSEED`` values, so any
output that depends on set or dict-of-set iteration order shows up here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import conftest
import pytest
from conftest import CONFIG, ROOT, tree_digest

from generator.content.load import load_handbook
from generator.render.markdown import render

TIME_STAMPED = {"sitemap.xml", "sitemap.xml.gz"}

RENDER = """\
import hashlib, json, sys
from generator.content.load import load_handbook
from generator.render.markdown import render
pages = render(load_handbook(sys.argv[1]).handbook)
print(hashlib.sha256(json.dumps(pages, ensure_ascii=False).encode()).hexdigest())
"""


def digest(pages: dict[str, str]) -> str:
    """One hash over every page and the order of the pages."""
    return hashlib.sha256(json.dumps(pages, ensure_ascii=False).encode()).hexdigest()


def environment(seed: str) -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": seed, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """One copy of the content, so that every build here reads exactly the same files."""
    content = tmp_path_factory.mktemp("determinism") / "content"
    shutil.copytree(conftest.CONTENT, content)
    result = load_handbook(content)
    assert result.ok, "the content copy must be valid (someone may be mid-edit: retry)"
    return content


def test_rendering_twice_gives_identical_markdown(snapshot):
    first = render(load_handbook(snapshot).handbook)
    second = render(load_handbook(snapshot).handbook)
    assert list(first) == list(second), "the same pages in the same order"
    assert first == second


@pytest.mark.parametrize("seed", ["0", "1", "2718281828"])
def test_markdown_does_not_depend_on_the_hash_seed(snapshot, seed):
    expected = digest(render(load_handbook(snapshot).handbook))
    result = subprocess.run(
        [sys.executable, "-c", RENDER, str(snapshot)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment(seed),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def build(content: Path, site: Path, seed: str, *options: str) -> None:
    command = ["build", "--content", str(content), "-d", str(site), *options]
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=environment(seed),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_two_builds_give_identical_sites(snapshot, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    build(snapshot, first, seed="0")
    build(snapshot, second, seed="31337")
    one, other = tree_digest(first), tree_digest(second)
    assert set(one) == set(other), "both builds write the same files"
    assert TIME_STAMPED <= set(one), "the sitemap is the only file allowed to differ"
    different = sorted(name for name in one if one[name] != other[name])
    assert [name for name in different if Path(name).name not in TIME_STAMPED] == []
    assert (first / "posts" / "manager" / "index.html").is_file()


def test_the_offline_zip_is_the_same_for_the_same_content(snapshot, tmp_path):
    """The zip's members, their bytes and their stamps: nothing depends on when it was built."""
    first, second = tmp_path / "first", tmp_path / "second"
    build(snapshot, first, "0", "--offline")
    time.sleep(2.1)  # zip stamps have a two-second resolution
    build(snapshot, second, "31337", "--offline")
    found = sorted(first.rglob("*.zip"))
    assert found, "an offline build writes a zip"
    for zipped in found:
        one, other = zipfile.ZipFile(zipped), zipfile.ZipFile(second / zipped.relative_to(first))
        assert one.namelist() == other.namelist()
        for member in one.infolist():
            if Path(member.filename).name in TIME_STAMPED:
                continue
            twin = other.getinfo(member.filename)
            assert one.read(member) == other.read(twin), member.filename
            assert member.date_time == twin.date_time, (
                f"{member.filename}: stamped with the build time in {zipped.name}"
            )


def test_the_real_project_passes_mkdocs_strict(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=environment("0"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").is_file()
    assert (site / "posts" / "manager" / "index.html").is_file()
