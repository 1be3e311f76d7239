"""Sales centres: overlays on the base, the publish gate, and every centre's own site.

One ``--all-projects --draft`` build (shared by the module) covers the two
example centres, a half-filled centre and one whose own fields are hostile.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import CONFIG, CONTENT, ROOT

from generator import model
from generator.cli import main
from generator.content import projects
from generator.errors import Severity, errors_of

EXAMPLES = {"example-riverside": "400-000-0001", "example-plaza": "400-000-0002"}
ALL_FACTS = {
    "project-name": "测试花园",
    "project-address": "测试路 1 号",
    "developer": "测试置业",
    "property-company": "测试物业",
    "property-fee": "2 元/平方米·月",
    "parking-price": "10 万元起",
    "visitor-parking": "东侧停车场",
    "sales-opening": "待公告",
    "delivery-date": "以合同为准",
    "opening-hours": "9:00—18:00",
    "hotline": "400-000-0009",
    "wifi-name": "Test-Guest",
    "wifi-password": "00000000",
    "smoking-point": "未设",
    "children-area": "未设",
    "nursing-room": "未设",
    "accessible-facilities": "轮椅 1 台",
}
HOSTILE = '<img src=x onerror="window.__hb_trap=1">'


def centre_yaml(name: str, facts: dict[str, str], extra: str = "") -> str:
    lines = [f"name: {name!r}", "facts:"]
    lines += [f"  {key}: {value!r}" for key, value in facts.items()]
    return "\n".join(lines) + "\n" + textwrap.dedent(extra)


@pytest.fixture(scope="module")
def base():
    return projects.base(CONTENT)


def load(base, tmp_path: Path, text: str, centre_id: str = "test", *, draft: bool = False):
    folder = tmp_path / "projects" / centre_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / projects.CENTRE_FILE).write_text(text, encoding="utf-8")
    return projects.load_centre(base, tmp_path / "projects", centre_id, draft=draft)


def messages(result) -> list[str]:
    return [str(problem) for problem in errors_of(result.problems)]


ADDED_SCRIPT = """
add:
  scripts:
    - id: shuttle-test
      category: transport
      source: supplement
      question: 有接驳车吗？
      reply: 有，请拨打{fact:hotline}预约。
"""


# --- overlays ----------------------------------------------------------------


def test_a_centre_fills_the_facts_and_adds_a_script(base, tmp_path):
    result = load(base, tmp_path, centre_yaml("测试案场", ALL_FACTS, ADDED_SCRIPT))
    assert result.ok, messages(result)
    handbook = result.handbook
    assert handbook.centre == model.Centre(id="test", name="测试案场")
    assert {f.id: f.value for f in handbook.project.facts} == ALL_FACTS
    assert [s.id for s in handbook.scripts_in("transport")][-1] == "shuttle-test"
    assert len(handbook.scripts) == len(base.handbook.scripts) + 1
    assert base.handbook.centre is None and not base.handbook.project.facts[0].value


def test_a_centre_replaces_and_hides_supplement_items_by_id(base, tmp_path):
    order = base.handbook.post("order")
    kept_script, hidden_script = base.handbook.scripts[0], base.handbook.scripts[1]
    overlay = f"""
    replace:
      scripts:
        - id: {kept_script.id}
          category: {kept_script.category}
          source: supplement
          question: 本案场的问题？
          reply: 本案场的答复。
      standards:
        - id: sales-referral
          label: 销售问题转介话术
          value: 请稍等，我请置业顾问来为您介绍。
          source: supplement
    hide:
      scripts: [{hidden_script.id}]
      procedures:
        - post: order
          id: {order.procedures[-1].id}
    """
    result = load(base, tmp_path, centre_yaml("测试案场", ALL_FACTS, overlay))
    assert result.ok, messages(result)
    scripts = {s.id: s for s in result.handbook.scripts}
    assert scripts[kept_script.id].reply == "本案场的答复。"
    assert list(scripts).index(kept_script.id) == 0, "a replacement keeps its place"
    assert hidden_script.id not in scripts
    procedures = [p.id for p in result.handbook.post("order").procedures]
    assert procedures == [p.id for p in order.procedures[:-1]]
    standard = next(s for s in result.handbook.standards.standards if s.id == "sales-referral")
    assert standard.value.startswith("请稍等")


def test_a_centre_adds_a_procedure_and_a_category(base, tmp_path):
    overlay = """
    add:
      categories:
        - id: shops
          name: 商铺与经营
      scripts:
        - id: shops-test
          category: shops
          source: supplement
          question: 商铺能做餐饮吗？
          reply: 请置业顾问为您介绍。
      procedures:
        - post: order
          id: local-parking
          title: 本案场停车引导
          source: supplement
          items: ["车辆停到{fact:visitor-parking}。"]
    """
    result = load(base, tmp_path, centre_yaml("测试案场", ALL_FACTS, overlay))
    assert result.ok, messages(result)
    assert result.handbook.categories.categories[-1].id == "shops"
    assert [s.id for s in result.handbook.scripts_in("shops")] == ["shops-test"]
    assert result.handbook.post("order").procedures[-1].id == "local-parking"


def handbook_text_base(base):
    """The base with its first script and the order post's first procedure as the
    handbook's own text (the shipped content has no such script or procedure)."""
    handbook = base.handbook
    script = handbook.scripts[0].model_copy(update={"source": model.Source.handbook})
    order = handbook.post("order")
    procedure = order.procedures[0].model_copy(update={"source": model.Source.handbook})
    posts = [
        post.model_copy(update={"procedures": [procedure, *post.procedures[1:]]})
        if post.id == "order"
        else post
        for post in handbook.posts
    ]
    changed = handbook.model_copy(
        update={"scripts": [script, *handbook.scripts[1:]], "posts": posts}
    )
    return type(base)(changed, [], base.documents), script, procedure


def test_the_handbooks_own_text_is_neither_replaced_nor_hidden(base, tmp_path):
    own, script, procedure = handbook_text_base(base)
    overlay = f"""
    replace:
      scripts:
        - id: {script.id}
          category: {script.category}
          source: supplement
          question: 换掉？
          reply: 换掉。
    hide:
      procedures:
        - post: order
          id: {procedure.id}
    """
    result = load(own, tmp_path, centre_yaml("测试案场", ALL_FACTS, overlay))
    assert not result.ok
    found = messages(result)
    assert any(
        re.match(
            r".*projects/test/centre\.yml:\d+:\d+: replace\.scripts\[0\]\.id: .*handbook's own text",
            m,
        )
        for m in found
    ), found
    assert any("hide.procedures[0].id" in m and "handbook's own text" in m for m in found), found


def test_a_centre_cannot_write_as_the_handbook_or_reuse_an_id(base, tmp_path):
    taken = base.handbook.scripts[0]
    overlay = f"""
    add:
      scripts:
        - id: {taken.id}
          category: transport
          source: supplement
          question: 重复？
          reply: 重复。
        - id: claimed-handbook
          category: nowhere
          source: handbook
          question: 冒充手册？
          reply: 冒充{{fact:nosuch}}。
    hide:
      scripts: [no-such-script]
    """
    text = centre_yaml("测试案场", ALL_FACTS, overlay)
    result = load(base, tmp_path, text)
    found = "\n".join(messages(result))
    assert "add.scripts[0].id" in found and f"already has script '{taken.id}'" in found
    assert "add.scripts[1].source" in found and "source must be supplement" in found
    assert "add.scripts[1].category" in found and "no category 'nowhere'" in found
    assert "add.scripts[1].reply" in found and "{fact:nosuch}" in found
    assert "hide.scripts[0]" in found and "no script 'no-such-script'" in found
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "source: handbook" in row)
    assert re.search(rf"centre\.yml:{line}:\d+: add\.scripts\[1\]\.source", found), found


def test_an_overlay_is_validated_by_the_model_with_located_errors(base, tmp_path):
    text = "name: 测试案场\nfacts:\n  hotline: 4000000000\n  nosuch: x\ncolour: red\n"
    result = load(base, tmp_path, text)
    found = "\n".join(messages(result))
    assert "projects/test/centre.yml:3:12: facts.hotline: expected text, found a number" in found
    assert "projects/test/centre.yml:5:1: colour: unknown field" in found
    fixed = load(base, tmp_path, "name: 测试案场\nfacts:\n  hotline: '1'\n  nosuch: x\n")
    assert "projects/test/centre.yml:4:3: facts.nosuch: no fact 'nosuch'" in "\n".join(
        messages(fixed)
    )


# --- the publish gate -----------------------------------------------------------


def test_missing_facts_are_located_errors_naming_the_unsayable_scripts(base, tmp_path):
    facts = {key: value for key, value in ALL_FACTS.items() if key != "visitor-parking"}
    result = load(base, tmp_path, centre_yaml("测试案场", facts))
    assert not result.ok
    (missing,) = errors_of(result.problems)
    assert missing.path.endswith("projects/test/centre.yml") and missing.line == 2
    assert "fact 'visitor-parking'" in missing.message
    assert "parking-visitor" in missing.message, "the script it leaves unsayable"
    draft = load(base, tmp_path, centre_yaml("测试案场", facts), draft=True)
    assert draft.ok and draft.handbook.centre.draft
    assert [p.severity for p in draft.problems if p.kind == projects.MISSING_FACT] == [
        Severity.warning
    ]


# --- every centre's site, built once -------------------------------------------


@pytest.fixture(scope="module")
def centres(tmp_path_factory) -> Path:
    """The examples, a half-filled centre and a hostile one, built with --all-projects."""
    work = tmp_path_factory.mktemp("centres")
    projects_dir = work / "projects"
    shutil.copytree(ROOT / "projects", projects_dir)
    (projects_dir / "half").mkdir()
    (projects_dir / "half" / "centre.yml").write_text(
        centre_yaml("半填案场", {"hotline": "400-000-0008"}), encoding="utf-8"
    )
    hostile = {key: f"{value}{HOSTILE}" for key, value in ALL_FACTS.items()}
    (projects_dir / "hostile").mkdir()
    (projects_dir / "hostile" / "centre.yml").write_text(
        centre_yaml(f"恶意{HOSTILE}案场", hostile, ADDED_SCRIPT.replace("有，", f"有{HOSTILE}，")),
        encoding="utf-8",
    )
    config = work / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {CONFIG}\ndocs_dir: {ROOT / 'docs'}\n"
        f"plugins:\n  handbook:\n    content_dir: {CONTENT}\n    projects_dir: {projects_dir}\n",
        encoding="utf-8",
    )
    refused = main(["build", "-f", str(config), "--all-projects", "-d", str(work / "refused")])
    assert refused == 1 and not (work / "refused").exists(), "half-filled: nothing is built"
    out = work / "sites"
    code = main(
        ["build", "-f", str(config), "--all-projects", "--draft", "-j", "2", "-d", str(out)]
    )
    assert code == 0
    return out


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def test_all_projects_builds_each_centre_into_its_folder(centres):
    assert sorted(p.name for p in centres.iterdir()) == sorted([*EXAMPLES, "half", "hostile"])
    for site in centres.iterdir():
        assert (site / ".handbook-site").is_file() and len(pages_of(site)) > 40


def test_a_centres_facts_appear_in_its_own_site_only(centres, site):
    for centre_id, hotline in EXAMPLES.items():
        own = centres / centre_id
        assert hotline in (own / "scripts" / "visit" / "index.html").read_text("utf-8")
        assert hotline in (own / "assets" / "generated" / "answers-data.js").read_text("utf-8")
        checklist = (own / "checklists" / "order" / "index.html").read_text("utf-8")
        assert "hb-generic" not in checklist and "hb-todo" not in checklist
        elsewhere = [centres / other for other in EXAMPLES if other != centre_id] + [site]
        for other in elsewhere:
            leaked = [
                p
                for p in other.rglob("*")
                if p.is_file()
                and p.suffix in {".html", ".js", ".json"}
                and hotline.encode() in p.read_bytes()
            ]
            assert not leaked, f"{centre_id}'s hotline in {leaked[:3]}"


def test_every_page_of_an_example_or_draft_says_so(centres, site):
    for centre_id, word in (*((c, "示例站点") for c in EXAMPLES), ("half", "草稿")):
        margin = centres / centre_id / "assets" / "generated" / "print-margin.css"
        assert re.search(r'@top-center \{ content: "[^"]*' + word[:2], margin.read_text("utf-8"))
        for page in pages_of(centres / centre_id):
            html = page.read_text("utf-8")
            assert word in html, f"{page} has no {word} banner"
            assert "assets/generated/print-margin.css" in html, f"{page} prints no margin"
    assert "hb-edition" not in (site / "index.html").read_text("utf-8")
    html = (centres / "half" / "checklists" / "order" / "index.html").read_text("utf-8")
    assert "草稿" in html and "hb-todo" in html, "a draft marks what is missing"


def test_the_plaza_example_has_its_local_additions(centres):
    plaza, riverside = centres / "example-plaza", centres / "example-riverside"
    assert "有没有接驳车" in (plaza / "scripts" / "transport" / "index.html").read_text("utf-8")
    assert "有没有看房班车或接送" in (riverside / "scripts" / "transport" / "index.html").read_text(
        "utf-8"
    )
    assert "有没有接驳车" not in (riverside / "scripts" / "transport" / "index.html").read_text(
        "utf-8"
    )
    assert (plaza / "scripts" / "shops" / "index.html").is_file()
    assert not (riverside / "scripts" / "shops").exists()
    assert "广场地下停车引导" in (plaza / "posts" / "order" / "index.html").read_text("utf-8")


def test_hostile_centre_fields_stay_text(centres):
    """centre.yml's items are the base's own models (Script, Procedure, ScriptCategory,
    Standard), rendered by the same templates, so tests/test_every_field.py covers
    their fields; what only a centre has, its name and its fact values, is checked
    here on every page of a centre whose name, facts and added script are hostile."""
    # Pages only: the answer data holds the text as JSON strings, which the answer
    # search shows as text (tests/test_every_field.py covers the same fields).
    site = centres / "hostile"
    for path in pages_of(site):
        assert "<img src=x" not in path.read_text("utf-8"), path
    home = (site / "index.html").read_text("utf-8")
    assert "恶意&lt;img src=x" in home, "the name shows as typed"


def test_check_and_stats_report_completeness_per_centre(capsys):
    assert main(["check", "--all-projects"]) == 0
    out = capsys.readouterr().out
    assert all(f"{c}" in out for c in EXAMPLES) and out.count("17/17") == 2
    assert main(["stats", "--projects"]) == 0
    out = capsys.readouterr().out
    plaza = next(line for line in out.splitlines() if line.startswith("example-plaza"))
    assert "17/17" in plaza and "3/1/0" in plaza


def test_check_fails_a_centre_with_facts_missing(tmp_path, capsys):
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "projects" / "half").mkdir(parents=True)
    (tmp_path / "projects" / "half" / "centre.yml").write_text(
        centre_yaml("半填案场", {"hotline": "400-000-0008"}), encoding="utf-8"
    )
    assert main(["check", "--all-projects", "--content", str(tmp_path / "content")]) == 1
    captured = capsys.readouterr()
    assert "projects/half/centre.yml:2:1: facts: 待填写: fact 'visitor-parking'" in captured.err
    assert re.search(r"half\s+半填案场\s+1/17", captured.out)


def test_a_procedure_a_first_week_path_points_at_cannot_be_hidden(base, tmp_path):
    post, section = next(
        (path.post, step.read.section)
        for path in base.handbook.paths
        for day in path.days
        for step in day.steps
        if step.read is not None
        and step.read.section in {p.id for p in base.handbook.post(path.post).procedures}
    )
    overlay = f"hide:\n  procedures:\n    - post: {post}\n      id: {section}\n"
    result = load(base, tmp_path, centre_yaml("测试案场", ALL_FACTS, overlay))
    found = "\n".join(messages(result))
    assert re.search(rf"centre\.yml:\d+:\d+: hide\.procedures\[0\]: .*'{section}'", found), found
    assert "cannot be hidden" in found


def test_a_centre_exports_as_its_site_builds(tmp_path, capsys):
    """`handbook export --project` writes the centre's handbook, not the base: its facts,
    its name, and the example banner on every page, after the page's front matter."""
    centre_id, hotline = next(iter(EXAMPLES.items()))
    folder = tmp_path / "export"
    assert main(["export", "-f", str(CONFIG), "--project", centre_id, str(folder)]) == 0
    docs = folder / "docs"
    assert hotline in (docs / "scripts" / "visit.md").read_text("utf-8")
    assert hotline in (docs / "assets" / "generated" / "answers-data.js").read_text("utf-8")
    name = projects.load_centre(projects.base(CONTENT), ROOT / "projects", centre_id)
    assert f"site_name: {name.handbook.centre.name}" in (folder / "mkdocs.yml").read_text("utf-8")
    for page in docs.rglob("*.md"):
        text = page.read_text("utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        assert body.lstrip().startswith('<div class="hb-edition"'), page
    # An unknown centre: a located error naming the centres there are, nothing written.
    capsys.readouterr()
    assert main(["export", "-f", str(CONFIG), "--project", "nowhere", str(tmp_path / "x")]) == 1
    assert "no centre 'nowhere'" in capsys.readouterr().err and not (tmp_path / "x").exists()
