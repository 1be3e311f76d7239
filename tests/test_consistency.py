"""References (fact/std/role/task), shared tasks, and the consistency checks of ``handbook check``."""

from __future__ import annotations

import pytest
from conftest import edit, line_of

from generator.cli import main
from generator.content.checks import consistency, limit_figures
from generator.content.validate import validate
from generator.errors import CONSISTENCY, Severity


def errors(content) -> list[str]:
    return [str(p) for p in validate(content).problems if p.severity is Severity.error]


def warnings(content) -> list[str]:
    result = validate(content)
    assert result.ok, [str(p) for p in result.problems]
    return [str(p) for p in consistency(result)]


def test_the_shipped_content_has_no_consistency_warnings():
    result = validate("content")
    assert result.ok
    assert consistency(result) == []
    assert main(["check", "--strict"]) == 0


def test_unknown_references_of_each_kind_are_located_errors(content):
    posts = content / "posts" / "customer-service.yml"
    for kind, noun, plural, where in [
        ("fact", "project fact", "facts", "project.yml"),
        ("std", "service standard", "standards", "standards.yml"),
        ("role", "role", "roles", "organisation.yml"),
        ("task", "shared task", "tasks", "tasks.yml"),
    ]:
        edit(posts, "  intro: 每班上岗前对镜自检", f"  intro: 每班{{{kind}:no-such}}上岗前对镜自检")
        line = line_of(posts, "no-such")
        expected = (
            f"{posts}:{line}:10: grooming.intro: unknown {noun} '{{{kind}:no-such}}'; "
            f"{plural} are defined in {where}"
        )
        assert expected in errors(content)
        edit(posts, f"  intro: 每班{{{kind}:no-such}}上岗前对镜自检", "  intro: 每班上岗前对镜自检")


def test_references_show_values_names_and_standards(content):
    from generator.render.markdown import render

    pages = render(validate(content).handbook)
    page = pages["posts/customer-service.md"]
    assert "约15厘米" in page and "{std:" not in page and "{role:" not in page
    assert "服务标准一览" in pages["standards.md"] and "std-cup-placement" in pages["standards.md"]
    assert "**负责**" in pages["posts/division.md"]
    assert "本岗位负责" in page


def test_references_are_refused_in_the_handbooks_own_text(content):
    manager = content / "posts" / "manager.yml"
    edit(
        manager,
        "    - text: 全面负责销售案场管理工作",
        "    - text: 全面负责{role:site-manager}销售案场管理工作",
    )
    assert any("stays verbatim" in e for e in errors(content))


def test_a_task_needs_exactly_one_owner(content):
    tasks = content / "tasks.yml"
    edit(
        tasks,
        "posts: {environment: owner, customer-service: support}",
        "posts: {environment: owner, customer-service: owner}",
    )
    assert any(
        "needs exactly one owner post, found 2 (environment, customer-service)" in e
        for e in errors(content)
    )
    edit(
        tasks,
        "posts: {environment: owner, customer-service: owner}",
        "posts: {environment: support, customer-service: support}",
    )
    assert any("needs exactly one owner post, found 0" in e for e in errors(content))


def test_the_fallback_script_and_whom_to_ask_must_exist(content):
    handbook = content / "handbook.yml"
    edit(handbook, "  script: unknown-cannot-answer", "  script: no-such-script")
    edit(handbook, "  ask: [site-supervisor, site-manager]", "  ask: [site-supervisor, boss]")
    found = errors(content)
    script_line = line_of(handbook, "no-such-script")
    assert any(
        f"handbook.yml:{script_line}:" in e
        and "unanswered.script: no script with id 'no-such-script'" in e
        for e in found
    ), found
    assert any("unanswered.ask[1]: no role 'boss' in organisation.yml" in e for e in found), found


def test_a_task_names_existing_posts(content):
    tasks = content / "tasks.yml"
    edit(
        tasks,
        "posts: {order: owner, maintenance: support}",
        "posts: {order: owner, cleaners: support}",
    )
    assert any("no post with id 'cleaners'" in e for e in errors(content))


def test_a_bare_figure_in_supplement_text_is_warned_about(content):
    posts = content / "posts" / "customer-service.yml"
    edit(posts, "  intro: 每班上岗前对镜自检", "  intro: 每班上岗前5分钟对镜自检")
    line = line_of(posts, "每班上岗前5分钟")
    found = warnings(content)
    assert any(
        w.startswith(f"{posts}:{line}:10: grooming.intro: warning: bare figure '5分钟'")
        and "hint:" in w
        for w in found
    ), found


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # limits, intervals and lead times: service standards written bare
        ("客户离开后3分钟内撤杯", ["3分钟内"]),
        ("每30分钟巡视一次", ["每30分钟"]),
        ("每隔5分钟向客户致歉", ["5分钟"]),
        ("开放前60分钟到岗", ["60分钟"]),
        ("接班人员提前15分钟到岗", ["15分钟"]),
        ("交接时间一般不超过10分钟", ["10分钟"]),
        ("距前台约5米时起身", ["5米"]),
        ("距离较近（50米以内）时可引领", ["50米以内"]),
        ("只在上午9:00前使用", ["9:00前"]),
        ("铃响3声内接听", ["3声内"]),
        ("放在客户右前方约20厘米处", ["20厘米"]),
        ("走在客户左前方1至1.5米处", ["1至1.5米"]),
        # not standards: plain durations, ordinals, quoted speech, counts, references
        ("在门岗站岗观察30分钟", []),
        ("第1天：认识案场与岗位", []),
        ("不说“走路5分钟”之类的数字", []),
        ("前台接待2人、水吧2人", []),
        ("每日擦拭1次", []),
        ("帽檐右前约2厘米处", []),
        ("住宅一般为70年", []),
        ("客户离开后{std:table-reset}撤杯", []),
    ],
)
def test_what_counts_as_a_bare_standard(text, flagged):
    assert [written for _figure, written in limit_figures(text)] == flagged


def test_hiring_requirements_are_not_standards(content):
    # Age and height in a supplement post's qualifications are another matter.
    posts = content / "posts" / "customer-service.yml"
    assert "身高女1.60米以上" in posts.read_text(encoding="utf-8")
    assert not any("qualifications" in w for w in warnings(content))


def test_a_path_is_warned_about_only_where_it_restates_a_standard_of_its_post(content):
    path = content / "paths" / "customer-service.yml"
    step = "      - text: 阅读本岗位素质要求和岗位职责"
    edit(
        path,
        step,
        "      - text: 观察接待至少2小时，客户离开后3分钟内撤杯；阅读本岗位素质要求和岗位职责",
    )
    found = [w for w in warnings(content) if "paths/customer-service.yml" in w]
    assert len(found) == 1, found
    assert "bare figure '3分钟内'" in found[0] and "table-reset" in found[0], found
    # the plan itself (5天内熟悉, 第5天) is not warned about
    assert not any("intro" in w or "title" in w for w in found)


def test_a_standard_no_text_uses_is_warned_about(content):
    standards = content / "standards.yml"
    edit(
        standards,
        "  - id: greeting-distance\n",
        "  - id: spare-standard\n    label: 备用标准\n    value: 9分钟\n"
        "  - id: greeting-distance\n",
    )
    found = warnings(content)
    assert any(
        w.startswith(f"{standards}:{line_of(standards, 'spare-standard')}:")
        and "standard 'spare-standard' (备用标准) is not used by any text" in w
        for w in found
    ), found


def test_the_handbooks_own_figures_are_never_warned_about(content):
    # manager.yml qualifications are the handbook's words: 35周岁, 1.70米 stay bare.
    assert not any("manager.yml" in w and "qualifications" in w for w in warnings(content))


def test_an_undefined_role_name_is_warned_about(content):
    posts = content / "posts" / "customer-service.yml"
    edit(posts, "  intro: 每班上岗前对镜自检", "  intro: 每班上岗前由班长对镜检查")
    assert any(
        "role name '上岗前由班长' is not a role of organisation.yml" in w for w in warnings(content)
    )


def test_a_role_alias_is_a_defined_name(content):
    posts = content / "posts" / "customer-service.yml"
    edit(posts, "  intro: 每班上岗前对镜自检", "  intro: 每班上岗前由客户服务负责人检查")
    assert warnings(content) == []


def test_near_duplicate_scripts_are_warned_about_naming_both(content):
    visit = content / "scripts" / "visit.yml"
    edit(visit, "    question: 有什么喝的？", "    question: 能看看预售证吗？五证齐全吗？")
    edit(
        visit,
        "      - 有水喝吗\n",
        "".join(
            f"      - {p}\n" for p in ["五证给我看看", "有预售证没有", "证件全吗", "五证齐了吗"]
        ),
    )
    found = warnings(content)
    assert any(
        "nearly repeats script 'developer-licences'" in w or "'visit-drinks'" in w for w in found
    ), found


def test_a_phrasing_two_scripts_list_is_warned_about_naming_both(content):
    visit = content / "scripts" / "visit.yml"
    edit(visit, "      - 有水喝吗\n", "      - 五证齐全吗？能看看预售证吗\n")
    found = warnings(content)
    assert any(
        "script 'visit-drinks' lists '五证齐全吗？能看看预售证吗', which script "
        "'developer-licences' lists too" in w
        for w in found
    ), found


def test_a_left_out_topic_word_the_handbook_uses_is_warned_about(content):
    loan = content / "scripts" / "loan.yml"
    # 工资卡 (a phrasing of loan-banks) is a word of its own; 工资 in 我工资一个月八千 is the word itself.
    edit(
        loan,
        "      - 办安揭得准备啥\n",
        "      - 办安揭得准备啥\n      - 我工资一个月八千能贷多少\n",
    )
    found = warnings(content)
    (warning,) = [w for w in found if "topic the handbook leaves out" in w]
    handbook = content / "handbook.yml"
    assert warning.startswith(f"{handbook}:{line_of(handbook, 'not_covered:') + 2}:")
    assert "not_covered[0].words[0]: warning: '工资'" in warning, warning


def test_a_sales_fact_outside_the_sales_side_is_warned_about(content):
    parking = content / "scripts" / "parking.yml"
    text = parking.read_text(encoding="utf-8")
    parking.write_text(text.replace("    answered_by: sales-consultant\n", "", 1), encoding="utf-8")
    found = warnings(content)
    assert any("states the sales fact parking-price" in w for w in found), found


def test_strict_fails_on_consistency_warnings_but_not_on_empty_facts(content):
    assert main(["check", "--content", str(content), "--strict"]) == 0  # 待填写 warnings only
    posts = content / "posts" / "customer-service.yml"
    edit(posts, "  intro: 每班上岗前对镜自检", "  intro: 每班上岗前5分钟对镜自检")
    assert main(["check", "--content", str(content)]) == 0
    assert main(["check", "--content", str(content), "--strict"]) == 1


def test_consistency_warnings_have_a_kind():
    result = validate("content")
    assert all(p.kind in ("todo", "") for p in result.problems)
    assert CONSISTENCY == "consistency"


def test_the_standards_page_lists_each_standard_by_area_with_the_pages_using_it(content):
    from generator.render.markdown import render

    handbook = validate(content).handbook
    page = render(handbook)["standards.md"]
    areas = [f"## {area.name}" for area in handbook.standards.areas]
    assert all(heading in page for heading in areas)
    assert [page.index(h) for h in areas] == sorted(page.index(h) for h in areas)
    row = next(line for line in page.splitlines() if "std-table-reset" in line)
    assert "客户离座后撤杯、擦桌、椅子复位" in row and "3分钟" in row
    assert "案场客服岗" in row and "案场环境服务岗" in row  # the pages that use it
    assert "…" not in page


def test_a_standard_names_a_defined_area(content):
    standards = content / "standards.yml"
    edit(
        standards,
        "    area: water-bar\n    label: 入座后递上饮品单",
        "    area: bar\n    label: 入座后递上饮品单",
    )
    assert any("standards[" in e and "no area 'bar'" in e for e in errors(content))


def test_a_script_page_shows_who_answers(content):
    from generator.render.markdown import render

    handbook = validate(content).handbook
    script = next(s for s in handbook.scripts if s.answered_by)
    role = next(r for r in handbook.roles if r.id == script.answered_by)
    page = render(handbook)[f"scripts/{script.category}.md"]
    assert f'<span class="hb-answered-by-label">由{role.name}答复</span>' in page
