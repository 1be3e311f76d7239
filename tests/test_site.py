"""The real site, built once: pages, facts, local assets, a segmented search index."""

import json
import re

from conftest import CONTENT

from generator.content.load import load_handbook

HANDBOOK = load_handbook(CONTENT).handbook


def page(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """What a reader sees: tags removed (glossary tooltips wrap words in <abbr>)."""
    return re.sub(r"<[^>]+>", "", html)


def test_every_post_has_a_page_and_a_checklist(site):
    for post in HANDBOOK.posts:
        html = page(site, f"posts/{post.id}")
        assert post.name in html
        assert f'href="../../checklists/{post.id}/"' in html
        assert post.name in page(site, f"checklists/{post.id}")


def test_the_handbook_facts_are_on_the_pages(site):
    manager = text_of(page(site, "posts/manager"))
    assert "年龄35周岁以下" in manager
    assert "处理案场发生的重大投诉和突发事件。" in manager
    complaints = text_of(page(site, "posts/complaints"))
    for principle in HANDBOOK.complaints.principles:
        assert principle.name in complaints
    assert "客户投诉处理完毕后需将客户" in complaints
    assert "原文至此中断" in complaints


def test_supplement_is_marked_where_it_appears(site):
    manager = page(site, "posts/manager")
    assert 'class="hb-supplement"' in manager
    qualifications = manager.split("素质要求")[1].split("仪容仪表")[0]
    assert "hb-supplement" not in qualifications, "handbook text carries no supplement mark"


def test_each_script_is_its_own_heading_anchored_by_its_id(site):
    for script in HANDBOOK.scripts:
        html = page(site, f"scripts/{script.category}")
        assert re.search(rf'<h2 id="{script.id}"[^>]*>', html), script.id


def test_diagrams_are_drawn_at_build_time_and_no_page_loads_mermaid(site):
    goals = page(site, "goals")
    tree = goals.split('<div class="hb-org-tree">')[1].split("<table>")[0]
    units = HANDBOOK.organisation.organisation.units
    for unit in units:
        assert f'<span class="hb-tree-node">{unit.name}</span>' in tree, unit.name
        if unit.reports_to:
            head = next(u for u in units if u.id == unit.reports_to)
            # The unit's node sits inside its head's list item, after the head.
            after_head = tree.split(f'<span class="hb-tree-node">{head.name}</span>', 1)[1]
            assert f'<span class="hb-tree-node">{unit.name}</span>' in after_head
    flow = page(site, "posts/complaints").split('<ol class="hb-flow"')[1].split("</ol>")[0]
    steps = HANDBOOK.complaints.process
    positions = [flow.find(f'href="#{step.id}"') for step in steps]
    assert -1 not in positions and positions == sorted(positions)
    for file in site.rglob("*.html"):
        assert "mermaid.min.js" not in file.read_text(encoding="utf-8"), file


def test_no_request_leaves_the_site(site):
    for file in site.rglob("*.html"):
        html = file.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (file, tag)
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_search_index_is_segmented_into_chinese_words(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    entry = next(
        doc for doc in index["docs"] if "投诉处理原则" in doc["title"].replace("\u200b", "")
    )
    tokens = [token for token in separator.split(entry["text"]) if token]
    assert "及时" in tokens and "原则" in tokens
    chinese = [token for token in tokens if re.fullmatch(r"[\u4e00-\u9fff]+", token)]
    assert sum(map(len, chinese)) / len(chinese) < 3, "words, not one token per sentence"


def test_navigation_follows_the_handbook_outline(site):
    home = page(site, "")
    order = [
        home.find(title)
        for title in [
            "销售案场工作目标及架构",
            "销售案场各条线服务岗",
            "案场管理要求及规范",
            "案场服务语言要求及规范",
        ]
    ]
    assert -1 not in order and order == sorted(order)


def test_page_specific_scripts_load_only_where_used(site):
    """learn.js on the learning pages only; the search-index hold-back in every head."""
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}
    pages = {path: html for path, html in pages.items() if not path.startswith("download/")}
    learning = {path for path in pages if path.startswith("learn/")}
    assert len(learning) >= 3
    for path, html in pages.items():
        assert ("assets/learn.js" in html) == (path in learning), path
        head = html.split("</head>", 1)[0]
        assert "assets/search-on-demand.js" in head, path
        assert head.index("search-on-demand.js") < html.index("assets/javascripts/bundle.")
