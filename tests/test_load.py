"""Loading the content folder: every problem located by file, line, column and field."""

from pathlib import Path

from conftest import CONTENT, edit, line_of

from generator.content.load import load_handbook
from generator.errors import Severity


def errors(content: Path) -> list[str]:
    result = load_handbook(content)
    return [str(p) for p in result.problems if p.severity is Severity.error]


def test_the_real_content_is_valid():
    result = load_handbook(CONTENT)
    assert result.ok, "\n".join(map(str, result.problems))
    assert [post.id for post in result.handbook.posts] == [
        "manager",
        "customer-service",
        "order",
        "environment",
        "maintenance",
    ]


def test_only_empty_project_facts_are_warned_about():
    result = load_handbook(CONTENT)
    assert result.problems, "the shipped project.yml leaves facts to the company"
    for problem in result.problems:
        assert problem.severity is Severity.warning
        assert problem.path.endswith("project.yml")
        assert "待填写" in problem.message


def test_a_misspelt_field_is_an_error_at_its_line(content):
    post = content / "posts" / "manager.yml"
    edit(post, "duties:\n  title: 案场管理岗岗位职责", "dutes:\n  title: 案场管理岗岗位职责")
    line = line_of(post, "dutes:")
    assert f"{post}:{line}:1: dutes: unknown field (check the spelling)" in errors(content)
    # The real field is now missing, which is reported too.
    assert any(message.endswith("duties: required field is missing") for message in errors(content))


def test_wrong_types_are_named(content):
    post = content / "posts" / "manager.yml"
    edit(
        post,
        "    - text: 负责销售案场的服务策划和服务创新。\n      asked: [服务创新谁负责]",
        "    - 2024",
    )
    edit(post, "line: 管理", "line: [管理]")
    found = errors(content)
    assert (
        f"{post}:{line_of(post, '- 2024')}:7: duties.items[4]: "
        "expected text, found a number (put it in quotes)"
    ) in found
    assert f"{post}:{line_of(post, 'line: [')}:7: line: expected text, found a list" in found


def test_every_error_of_a_run_is_reported_in_file_order(content):
    edit(content / "complaints.yml", "  name: 投诉处理宗旨", "  name: [投诉处理宗旨]")
    edit(content / "posts" / "manager.yml", "name: 案场管理岗", "nmae: 案场管理岗")
    found = errors(content)
    assert len(found) >= 3
    assert found == sorted(found)
    assert any("complaints.yml" in message for message in found)
    assert any("nmae: unknown field" in message for message in found)


def test_unsafe_ids_are_refused(content):
    for bad in ["../x", "Parking", "a b", '""']:
        categories = content / "scripts" / "categories.yml"
        text = categories.read_text(encoding="utf-8")
        categories.write_text(text.replace("  - id: price\n", f"  - id: {bad}\n", 1), "utf-8")
        found = errors(content)
        line = line_of(categories, f"id: {bad}")
        assert any(
            message.startswith(f"{categories}:{line}:9: categories[0].id: ") for message in found
        ), (bad, found)
        categories.write_text(text, "utf-8")


def test_references_must_exist(content):
    edit(content / "complaints.yml", "post: manager", "post: nobody")
    edit(content / "handbook.yml", "  - maintenance\n", "  - maintenance\n  - cashier\n")
    found = errors(content)
    complaints, handbook = content / "complaints.yml", content / "handbook.yml"
    assert (
        f"{complaints}:{line_of(complaints, 'post: nobody')}:7: post: no post with id 'nobody'"
        in found
    )
    assert (
        f"{handbook}:{line_of(handbook, '- cashier')}:5: posts[5]: no post with id 'cashier' in posts/"
        in found
    )


def test_unknown_fact_reference_is_an_error(content):
    complaints = content / "complaints.yml"
    edit(complaints, "  text: 站在客户角度", "  text: 站在客户角度{fact:no-such-fact}")
    line = line_of(complaints, "no-such-fact")
    assert (
        f"{complaints}:{line}:9: purpose.text: unknown project fact '{{fact:no-such-fact}}'; "
        "facts are defined in project.yml"
    ) in errors(content)


def test_duplicate_ids_across_files_are_errors(content):
    source = content / "posts" / "manager.yml"
    copy = content / "posts" / "manager-copy.yml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    found = errors(content)
    assert any(
        message.startswith(
            f"{source}:{line_of(source, 'id: manager')}:5: id: duplicate post id 'manager'"
        )
        for message in found
    ), found


def test_missing_file_is_an_error(content):
    (content / "glossary.yml").unlink()
    assert f"{content / 'glossary.yml'}:1:1: required file is missing" in errors(content)


def test_example_files_are_never_read(content):
    (content / "project.example.yml").write_text("not: [valid", encoding="utf-8")
    assert errors(content) == []
