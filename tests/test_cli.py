"""The handbook command: exit codes, located errors, and a site that survives bad content."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, ROOT, edit, tree_digest

from generator.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_passes_on_the_real_content(capsys):
    assert main(["check"]) == 0
    assert "content is valid" in capsys.readouterr().out


def test_check_reports_errors_and_exits_nonzero(content, capsys):
    edit(content / "complaints.yml", "post: manager", "post: nobody")
    assert main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "complaints.yml:3:7: post: no post with id 'nobody'" in err
    assert "Traceback" not in err


def test_check_json_lists_problems(content, capsys):
    import json

    edit(content / "complaints.yml", "post: manager", "post: nobody")
    assert main(["check", "--content", str(content), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert {"path", "line", "column", "field", "message", "severity"} <= set(problems[0])


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("cli") / "site"
    assert main(["build", "-f", str(CONFIG), "-d", str(site)]) == 0
    return site


def test_build_writes_a_site(good_site):
    assert (good_site / "index.html").is_file()
    assert (good_site / "posts" / "manager" / "index.html").is_file()


def test_failed_build_leaves_the_last_good_site_untouched(good_site, content):
    before = tree_digest(good_site)
    edit(content / "posts" / "manager.yml", "name: 案场管理岗", "nmae: 案场管理岗")
    result = run("build", "--content", str(content), "-d", str(good_site))
    assert result.returncode == 1
    assert "manager.yml:3:1: nmae: unknown field (check the spelling)" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_digest(good_site) == before
    assert not list(good_site.parent.glob(".site-new-*")), "staging folder cleaned up"


def test_unknown_command_is_a_usage_error(capsys):
    assert main(["frobnicate"]) == 2


def test_an_unreadable_file_is_located_and_json_stays_json(content, capsys, monkeypatch):
    import json
    import os
    import pathlib

    unreadable = content / "glossary.yml"
    unreadable.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user
        real = pathlib.Path.read_bytes

        def read_bytes(path):
            if path == unreadable:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    assert main(["check", "--content", str(content), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    mine = [p for p in problems if p["path"].endswith("glossary.yml")]
    assert mine and "permission denied; make it readable" in mine[0]["message"]
    unreadable.chmod(0o644)


def test_the_themes_html_tooltips_are_refused(tmp_path):
    config = tmp_path / "mkdocs.yml"
    text = CONFIG.read_text("utf-8").replace(
        "    - toc.follow\n", "    - toc.follow\n    - content.tooltips\n"
    )
    config.write_text(
        text.replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}").replace(
            "content_dir: content", f"content_dir: {ROOT / 'content'}"
        ),
        encoding="utf-8",
    )
    result = run("build", "-f", str(config), "-d", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "theme feature 'content.tooltips' shows titles as HTML" in result.stderr
    assert "Traceback" not in result.stderr
