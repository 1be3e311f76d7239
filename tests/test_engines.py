"""``handbook export`` built by engines without the plugin: MkDocs, ProperDocs, Zensical.

Each other engine has its own environment, pinned in ``engines/<name>.txt`` and
installed by the Makefile into ``.cache/engines/<name>`` (``make test`` does it
first; a test run without it installs on first use). The ProperDocs build must
pass the same page, search, diagram and checklist assertions as the MkDocs
build; what Zensical does is measured here and tabled in the README.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_browser
import test_search
import test_site
import yaml
from conftest import CONFIG, ROOT, edit, serving
from selenium.webdriver.common.by import By

from generator.site.build import build_site
from generator.site.export import EXPORT_MARKER, export_site
from generator.site.sitefiles import PLACEHOLDER_MARK

SITE_ASSERTIONS = [
    test_site.test_every_post_has_a_page_and_a_checklist,
    test_site.test_the_handbook_facts_are_on_the_pages,
    test_site.test_supplement_is_marked_where_it_appears,
    test_site.test_each_script_is_its_own_heading_anchored_by_its_id,
    test_site.test_diagrams_are_drawn_at_build_time_and_no_page_loads_mermaid,
    test_site.test_no_request_leaves_the_site,
    test_site.test_navigation_follows_the_handbook_outline,
    test_search.test_answer_index_holds_every_script_and_item_and_links_to_existing_anchors,
]
"""The site tests that hold for any engine's build of the export."""
MATERIAL_SEARCH_ASSERTIONS = [
    test_site.test_search_index_is_segmented_into_chinese_words,
    test_search.test_the_index_keeps_domain_words_whole,
]
"""Material's search index (``search/search_index.json``), Chinese cut into words."""


def engine(name: str) -> Path:
    """The ``bin`` folder of the engine's own environment, installed on first use."""
    stamp = f".cache/engines/{name}/.installed"
    done = subprocess.run(
        ["make", "-s", stamp, f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"cannot install {name} (make {stamp}):\n{done.stdout}{done.stderr}")
    return ROOT / ".cache" / "engines" / name / "bin"


def build_export(export: Path, command: list[str], folder: Path) -> Path:
    """A copy of ``export`` built by ``command`` in that folder (engines build into ./site)."""
    shutil.copytree(export, folder)
    done = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1"}
    )
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return folder / "site"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    return export_site(CONFIG, tmp_path_factory.mktemp("export") / "handbook")


@pytest.fixture(scope="module")
def properdocs_site(exported, tmp_path_factory) -> Path:
    properdocs = engine("properdocs") / "properdocs"
    folder = tmp_path_factory.mktemp("properdocs") / "export"
    return build_export(exported, [str(properdocs), "build", "-f", "mkdocs.yml"], folder)


@pytest.fixture(scope="module")
def zensical_site(exported, tmp_path_factory) -> Path:
    zensical = engine("zensical") / "zensical"
    folder = tmp_path_factory.mktemp("zensical") / "export"
    return build_export(exported, [str(zensical), "build"], folder)


# --- the export itself ----------------------------------------------------------------


def test_export_holds_pages_assets_data_and_no_plugin(exported):
    settings = (exported / "mkdocs.yml").read_text(encoding="utf-8")
    assert "handbook" not in re.findall(r"^- (\w+)", settings.split("plugins:")[1], re.M)
    assert "custom_dir: overrides" in settings and (exported / "overrides" / "main.html").is_file()
    docs = exported / "docs"
    for uri in [
        "index.md",
        "posts/manager.md",
        "checklists/order.md",
        "assets/answers.js",
        "assets/generated/answers-data.js",
        "assets/generated/print-margin.css",
        "assets/vendor/iframe-worker-shim.js",
    ]:
        assert (docs / uri).is_file(), uri
    assert PLACEHOLDER_MARK not in (docs / "index.md").read_text(encoding="utf-8")
    assert "<!-- hb:html -->" not in (docs / "goals.md").read_text(encoding="utf-8")


def test_export_replaces_only_a_previous_export(exported, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    from generator.site.build import UnsafeTarget

    with pytest.raises(UnsafeTarget, match="is not an export this command built"):
        export_site(CONFIG, notes)
    assert (notes / "todo.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(UnsafeTarget, match="would delete"):
        export_site(CONFIG, ROOT / "docs")
    again = tmp_path / "again"
    export_site(CONFIG, again)
    (again / "docs" / "stale.md").write_text("old", encoding="utf-8")
    export_site(CONFIG, again)
    assert (again / EXPORT_MARKER).is_file() and not (again / "docs" / "stale.md").exists()


def test_export_names_content_errors_and_keeps_the_previous_export(content, tmp_path):
    target = tmp_path / "export"
    export_site(CONFIG, target, content_dir=content)
    before = (target / "mkdocs.yml").read_text(encoding="utf-8")
    manager = content / "posts" / "manager.yml"
    manager.write_text(manager.read_text(encoding="utf-8") + "\nbogus_field: 1\n", "utf-8")
    from generator.site.build import BuildError

    with pytest.raises(BuildError, match=r"manager\.yml:\d+:\d+: bogus_field"):
        export_site(CONFIG, target, content_dir=content)
    assert (target / "mkdocs.yml").read_text(encoding="utf-8") == before


def test_a_hand_written_home_page_clashes_but_the_placeholder_is_replaced(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(CONFIG, project / "mkdocs.yml")
    export_site(project / "mkdocs.yml", tmp_path / "export", content_dir=ROOT / "content")
    (project / "docs" / "index.md").write_text("# 我的首页\n", encoding="utf-8")
    from generator.site.build import BuildError

    with pytest.raises(BuildError, match=r"docs/index\.md clashes with a generated page"):
        export_site(project / "mkdocs.yml", tmp_path / "export", content_dir=ROOT / "content")


def test_exported_site_name_and_footer_are_escaped_text(content, tmp_path):
    hostile = '<img src=x onerror="alert(1)"> & 手册'
    edit(content / "handbook.yml", "title: 销售案场服务工作手册", f"title: '{hostile}'")
    target = export_site(CONFIG, tmp_path / "export", content_dir=content)
    settings = yaml.safe_load(
        re.sub(r"!!python/name:\S+", "", (target / "mkdocs.yml").read_text(encoding="utf-8"))
    )
    assert settings["site_name"] == html.escape(hostile)
    assert html.escape(hostile) in settings["copyright"]
    assert "<img" not in (target / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_handbook_cli_exports(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "export", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "docs" / "posts" / "manager.md").is_file()


# --- MkDocs without the plugin: the same pages ----------------------------------------


def _pages(site: Path) -> dict[str, str]:
    """Every HTML page, whitespace-only lines dropped: Python-Markdown's raw-HTML parser
    ends a block with a blank line, the plugin's stash (generator/render/rawhtml.py) does not."""
    return {
        path.relative_to(site).as_posix(): re.sub(
            r"\n\s*\n", "\n", path.read_text(encoding="utf-8")
        )
        for path in sorted(site.rglob("*.html"))
    }


def test_mkdocs_builds_the_export_into_the_plugins_pages(exported, tmp_path):
    plugin_site = build_site(CONFIG, site_dir=tmp_path / "plugin")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    plain_site = build_export(exported, mkdocs, tmp_path / "plain")
    plugin, plain = _pages(plugin_site), _pages(plain_site)
    assert sorted(plain) == sorted(plugin)
    for path, page in plugin.items():
        assert plain[path] == page, path


# --- ProperDocs: the same assertions as the MkDocs build ------------------------------


@pytest.mark.parametrize(
    "assertion",
    SITE_ASSERTIONS + MATERIAL_SEARCH_ASSERTIONS,
    ids=lambda f: f.__name__.removeprefix("test_"),
)
def test_properdocs_site(properdocs_site, assertion):
    assertion(properdocs_site)


def test_properdocs_site_answers_and_searches_full_text(properdocs_site, browser):
    with serving(properdocs_site) as url:
        assert test_browser.search(browser, url, "车子停哪里")[0] == "parking-visitor"
        browser.find_element(By.CSS_SELECTOR, ".hb-answers__fulltext").click()
        test_browser.wait(browser).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
        )
        browser.get(url + "checklists/order/")
        assert browser.find_elements(By.CSS_SELECTOR, ".hb-print-filled-toggle")


# --- Zensical: builds, and what works (README, "Other engines") -----------------------


@pytest.mark.parametrize(
    "assertion", SITE_ASSERTIONS, ids=lambda f: f.__name__.removeprefix("test_")
)
def test_zensical_site(zensical_site, assertion):
    assertion(zensical_site)


def test_zensical_site_answers_in_its_search_dialog(zensical_site, browser):
    with serving(zensical_site) as url:
        state, ids = test_browser.search_state(browser, url, "车子停哪里")
        assert state == "found" and ids[0] == "parking-visitor"
        # The engine's own list, in the same shadow root, is there on request only.
        assert browser.execute_script(OWN_LIST_DISPLAY) == "none"
        state, ids = test_browser.search_state(browser, url, "股票代码是多少")
        assert state == "none" and not ids


OWN_LIST_DISPLAY = """
const host = [...document.querySelectorAll("body *")].find((e) => e.shadowRoot);
return getComputedStyle(host.shadowRoot.querySelector('[role="listbox"]')).display;
"""


def test_properdocs_refuses_the_project_without_its_plugin(tmp_path):
    properdocs = engine("properdocs") / "properdocs"
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    done = subprocess.run(
        [str(properdocs), "build", "-f", "mkdocs.yml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert 'The "handbook" plugin is not installed' in done.stdout + done.stderr


def test_a_plain_engine_build_of_the_project_fails_loudly(tmp_path):
    """Zensical skips the plugin: the placeholder home page links to a generated page, so
    the strict build fails instead of publishing a site without the handbook."""
    zensical = engine("zensical") / "zensical"
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    done = subprocess.run([str(zensical), "build"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0
    assert "index.md:" in done.stdout + done.stderr
    assert "page does not exist" in done.stdout + done.stderr


LEARNING = [
    test_browser.test_path_tick_survives_a_reload,
    test_browser.test_practice_reveal_mark_and_unknown_returns_first,
    test_browser.test_quiz_marks_right_and_wrong,
]


@pytest.mark.parametrize("name", ["properdocs", "zensical"])
@pytest.mark.parametrize("assertion", LEARNING, ids=lambda f: f.__name__.removeprefix("test_"))
def test_learning_pages_work_under_the_engine(name, assertion, browser, request):
    with serving(request.getfixturevalue(f"{name}_site")) as url:
        assertion(browser, url)
