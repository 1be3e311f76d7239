"""Made for a phone and a clipboard (issue 18): marks, notes, navigation, the company's look,
and, in headless Chromium at 390×844, tables, tap targets and the jump list."""

import re
import shutil

import pytest
from conftest import CONTENT, chromium_or_skip, edit
from selenium.webdriver.common.by import By

from generator.content.load import load_handbook
from generator.pages import navigation, plan
from generator.render.markdown import LEGEND_CLASS, SUPPLEMENT_MARK, render
from generator.render.printmargin import ASSET_URI as PRINT_MARGIN_URI

HANDBOOK = load_handbook(CONTENT).handbook
RENDERED = render(HANDBOOK)


def page(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# --- provenance -------------------------------------------------------------


def test_every_page_with_a_supplement_mark_explains_it_once_at_the_top():
    marked = [uri for uri, markdown in RENDERED.items() if SUPPLEMENT_MARK in markdown]
    assert len(marked) > 20
    for uri in marked:
        markdown = RENDERED[uri]
        assert markdown.count(LEGEND_CLASS) >= 1, uri
        # At the top: before the first section heading.
        assert markdown.index(LEGEND_CLASS) < markdown.find("\n## ") or "\n## " not in markdown
    for uri, markdown in RENDERED.items():
        if SUPPLEMENT_MARK not in markdown and "hb-sheet" not in markdown:
            assert LEGEND_CLASS not in markdown, f"{uri}: a legend without a mark"


def test_the_mark_is_quiet_one_character_and_every_supplement_item_has_it(site):
    order = page(site, "posts/order")
    marks = re.findall(r'<span class="hb-supplement"[^>]*>(.*?)</span>', order)
    post = HANDBOOK.post("order")
    supplement_items = sum(1 for item in post.duties.items if item.source == "supplement")
    assert supplement_items and len(marks) >= supplement_items
    assert set(marks) == {"补"}, "one quiet character, not a 补充 badge"
    assert "补充：" in re.search(r'<span class="hb-supplement" title="([^"]*)"', order).group(1)


# --- the update note --------------------------------------------------------


def test_no_update_note_in_the_first_version():
    assert len(HANDBOOK.revisions.revisions) == 1
    assert not [uri for uri, markdown in RENDERED.items() if "hb-update" in markdown]


def test_the_update_note_returns_with_a_second_version(content):
    edit(content / "handbook.yml", 'version: "1.0"', 'version: "1.1"')
    edit(
        content / "revisions.yml",
        "revisions:\n",
        'revisions:\n  - version: "1.1"\n    date: 2026-12-01\n    changes:\n'
        "      - text: 修订秩序维护岗。\n        where:\n          - post: order\n",
    )
    result = load_handbook(content)
    assert result.handbook is not None, result.problems
    rendered = render(result.handbook)
    noted = [uri for uri, markdown in rendered.items() if "hb-update" in markdown]
    assert noted == ["posts/order.md"]


# --- navigation and the company's look ---------------------------------------


def test_script_categories_fold_into_one_group_so_learning_and_checklists_stay_in_view():
    nav = navigation(plan(HANDBOOK), str)
    sections = {next(iter(entry)): next(iter(entry.values())) for entry in nav}
    language = sections["案场服务语言要求及规范(答客词)"]
    groups = [entry for entry in language if isinstance(next(iter(entry.values())), list)]
    assert len(groups) == 1 and "答客词分类" in groups[0]
    categories = [c for c in HANDBOOK.categories.categories if HANDBOOK.scripts_in(c.id)]
    assert len(groups[0]["答客词分类"]) == len(categories)
    assert len(language) <= 4
    assert "新员工学习" in sections and "岗位培训清单" in sections


def test_the_footer_names_the_handbook_not_the_template(site):
    home = page(site, "")
    assert "Made with" not in home and "Material for MkDocs" not in home
    footer = home.split('class="md-copyright"')[1].split("</div>")[0]
    assert HANDBOOK.meta.title in footer and HANDBOOK.meta.version in footer


def test_home_has_one_contents_heading_and_post_cards(site):
    home = page(site, "")
    assert not re.search(r"<h2[^>]*>目录", home), "the sidebar is already called 目录"
    cards = home.split('<ul class="hb-post-cards">')[1].split("</ul>")[0]
    for post in HANDBOOK.posts:
        assert f'href="posts/{post.id}/"' in cards


def test_organisation_logo_and_favicon_come_from_handbook_yml(content, tmp_path):
    from generator.site.build import build_site

    edit(content / "handbook.yml", 'organisation: ""', "organisation: 某某物业服务有限公司")
    edit(
        content / "handbook.yml",
        "effective_date:\n",
        "effective_date:\nlogo: assets/company-logo.svg\nfavicon: assets/company-logo.svg\n",
    )
    project = tmp_path / "project"
    shutil.copytree(CONTENT.parent / "docs", project / "docs")
    (project / "docs" / "assets" / "company-logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>', encoding="utf-8"
    )
    config = (CONTENT.parent / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("content_dir: content", f"content_dir: {content}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = project / "site"
    build_site(project / "mkdocs.yml", site_dir=site)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<img src="assets/company-logo.svg"' in home
    assert re.search(r'<link rel="icon" href="assets/company-logo.svg"', home)
    assert "某某物业服务有限公司" in home.split('class="md-copyright"')[1]


def test_printed_pages_carry_the_handbook_name_and_version(site):
    label = f"{HANDBOOK.meta.title} · 版本 {HANDBOOK.meta.version}"
    margin = (site / PRINT_MARGIN_URI).read_text(encoding="utf-8")
    assert re.search(r"@page \{ @top-left \{ content: \"" + re.escape(label), margin)
    for path in ["", "posts/order", "goals", "checklists/order"]:
        html = page(site, path)
        assert re.search(r'<link rel="stylesheet" href="[./]*' + PRINT_MARGIN_URI, html), path
    css = (CONTENT.parent / "docs" / "assets" / "layout.css").read_text(encoding="utf-8")
    assert re.search(r"h2,\s*\n\s*\.md-typeset h3,[^}]*break-after: avoid", css)


# --- in the browser, at 390 × 844 ---------------------------------------------


@pytest.fixture(scope="module")
def phone(browser):
    chromium_or_skip()
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


VISIBLE_CELLS = """
return [...document.querySelectorAll(arguments[0])].map((cell) => {
  const box = cell.getBoundingClientRect();
  let clipped = false;
  for (let e = cell.parentElement; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.overflowX !== "visible" && e.scrollWidth > e.clientWidth + 1) clipped = true;
  }
  return [cell.innerText.slice(0, 20), box.left, box.right, clipped];
});
"""


@pytest.mark.parametrize("post", ["order", "manager"])
def test_procedure_tables_fit_a_phone_column_by_column(phone, served, post):
    phone.get(f"{served}posts/{post}/")
    cells = phone.execute_script(VISIBLE_CELLS, ".hb-table-cards td")
    assert cells, "the post has procedure tables"
    for text, left, right, clipped in cells:
        assert left >= 0 and right <= 390 and not clipped, text
    label = phone.execute_script(
        "return getComputedStyle(document.querySelector('.hb-table-cards td'), '::before').content"
    )
    assert label.strip('"'), "each cell names its column on a phone"


def test_fire_row_of_the_emergency_table_says_what_to_tell_customers(phone, served):
    phone.get(f"{served}posts/order/")
    cells = phone.execute_script(VISIBLE_CELLS, ".hb-table-cards tr td:last-child")
    fire = [c for c in cells if "“" in c[0]]
    assert fire and all(right <= 390 for _, _, right, _ in fire)


def tap_sizes(driver, selector: str) -> list[tuple[float, float]]:
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((e) => {"
        "const b = e.getBoundingClientRect(); return [b.width, b.height]; });",
        selector,
    )


def test_tap_targets_are_at_least_44_px(phone, served):
    post = HANDBOOK.paths[0].post
    phone.get(f"{served}learn/{post}/")
    assert all(h >= 44 and w >= 44 for w, h in tap_sizes(phone, ".hb-path-step"))
    phone.get(f"{served}checklists/{post}/")
    boxes = tap_sizes(phone, ".hb-check-table .hb-check-box")
    assert boxes and all(w >= 44 and h >= 44 for w, h in boxes)
    phone.get(served)
    cards = tap_sizes(phone, ".hb-post-cards a")
    assert len(cards) == len(HANDBOOK.posts) and all(h >= 44 for _, h in cards)


def test_tapping_a_path_steps_text_ticks_it(phone, served):
    post = HANDBOOK.paths[0].post
    phone.get(f"{served}learn/{post}/")
    phone.find_element(By.CSS_SELECTOR, ".hb-path-reset").click()
    step = phone.find_elements(By.CSS_SELECTOR, ".hb-path-step")[0]
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", step)
    text = step.find_element(By.CSS_SELECTOR, ".hb-path-text")
    phone.execute_script(
        "const b = arguments[0].getBoundingClientRect();"
        "document.elementFromPoint(b.left + 5, b.top + 5).click();",
        text,
    )
    assert step.find_element(By.CSS_SELECTOR, "input").is_selected()
    phone.find_element(By.CSS_SELECTOR, ".hb-path-reset").click()


def test_long_post_pages_open_with_a_jump_list_on_a_phone(phone, served):
    phone.get(f"{served}posts/order/")
    jump = phone.find_element(By.CSS_SELECTOR, ".hb-jump")
    assert jump.is_displayed() and jump.location["y"] < 844
    targets = [a.get_attribute("href").split("#")[1] for a in jump.find_elements(By.TAG_NAME, "a")]
    post = HANDBOOK.post("order")
    assert len(targets) == 3 + len(post.procedures)
    for target in targets:
        assert phone.find_elements(By.ID, target), target
    assert (
        phone.find_element(By.CSS_SELECTOR, ".hb-back-to-top a").get_attribute("href").endswith("#")
    )


def test_diagram_labels_are_at_least_12_px_on_a_phone(phone, served):
    for path, selector in [("goals/", ".hb-tree-node"), ("posts/complaints/", ".hb-flow-step")]:
        phone.get(served + path)
        sizes = phone.execute_script(
            "return [...document.querySelectorAll(arguments[0])].map((e) => {"
            "const b = e.getBoundingClientRect();"
            "return [parseFloat(getComputedStyle(e).fontSize), b.right]; });",
            selector,
        )
        assert sizes
        for size, right in sizes:
            assert size >= 12 and right <= 390, (path, size, right)


# --- the quiz -------------------------------------------------------------------


@pytest.mark.parametrize("post", HANDBOOK.posts, ids=lambda post: post.id)
def test_quiz_distractors_are_of_the_answers_kind(post):
    from generator.render.quiz import _grooming_body, quiz

    grooming = {_grooming_body(rule) for p in HANDBOOK.posts for rule in p.grooming.rules}
    requirements = {item.text for p in HANDBOOK.posts for item in p.qualifications.items}
    duties = {item.text for p in HANDBOOK.posts for item in p.duties.items}
    kinds = {"仪容仪表": grooming, "素质要求": requirements, "岗位职责": duties}
    asked = set()
    for question in quiz(HANDBOOK, post):
        for section, kind in kinds.items():
            if section in question.prompt:
                asked.add(section)
                assert set(question.options) <= kind, (question.prompt, question.options)
    assert asked == set(kinds)


def test_the_quiz_can_be_taken_again(phone, served):
    post = HANDBOOK.posts[0].id
    phone.get(f"{served}learn/quiz-{post}/")
    retry = phone.find_element(By.CSS_SELECTOR, ".hb-quiz-retry")
    assert not retry.is_displayed()
    for question in phone.find_elements(By.CSS_SELECTOR, ".hb-quiz-question"):
        phone.execute_script(
            "arguments[0].click()", question.find_element(By.CSS_SELECTOR, "button")
        )
    assert retry.is_displayed()
    phone.execute_script("arguments[0].click()", retry)
    for question in phone.find_elements(By.CSS_SELECTOR, ".hb-quiz-question"):
        assert question.get_attribute("data-chosen") is None
        assert "hb-right" not in question.get_attribute("class")
        assert "hb-wrong" not in question.get_attribute("class")
    assert not phone.find_element(By.CSS_SELECTOR, ".hb-quiz-score").is_displayed()


# --- accessibility ----------------------------------------------------------------

AXE_RUN = """
const done = arguments[0];
axe.run(document, { resultTypes: ["violations"] }).then((result) => done(
  result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}) × ${v.nodes.length}: ${v.nodes[0].target.join(" ")}`)
));
"""

# Colours switch at once (Material eases them in), and every section is rendered, so the
# contrast rules see the whole page, not only what the browser drew on screen.
SETTLED = """
const style = document.createElement("style");
style.textContent = "*, *::before, *::after { transition: none !important; "
  + "content-visibility: visible !important; }";
document.head.append(style);
"""


def test_no_serious_accessibility_violation_on_any_page_in_light_or_dark_mode(phone, served, site):
    from generator.site import assets

    axe = assets.local_path(assets.AXE).read_text(encoding="utf-8")
    paths = sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if "download" not in p.parts
    )
    assert len(paths) > 50 and "posts/order/" in paths and "checklists/" in paths
    problems = []
    phone.set_script_timeout(120)

    def check(where: str) -> None:
        phone.execute_script(SETTLED + axe)
        for scheme in ("default", "slate"):
            phone.execute_script(
                "document.body.setAttribute('data-md-color-scheme', arguments[0])", scheme
            )
            problems.extend(f"{where} [{scheme}] {v}" for v in phone.execute_async_script(AXE_RUN))

    for path in paths:
        phone.get(served + path)
        check(f"/{path}")
    # The search open, with answers and with nothing found.
    for query in ("车子停哪里", "年终奖有多少"):
        phone.get(served)
        phone.find_element(By.CSS_SELECTOR, 'label[for="__search"]').click()
        phone.find_element(By.CSS_SELECTOR, '[data-md-component="search-query"]').send_keys(query)
        phone.execute_script("return new Promise((done) => setTimeout(done, 1500))")
        assert phone.find_element(By.CSS_SELECTOR, ".hb-answers").get_attribute("data-state")
        check(f"search {query}")
    assert not problems, "\n".join(problems)
