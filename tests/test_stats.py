"""The handbook is complete: the counts an owner relies on hold for the shipped content."""

import json

from conftest import CONTENT

from generator.cli import main
from generator.content.checks import consistency, counts
from generator.content.validate import validate
from generator.stats import compute

RESULT = validate(CONTENT)
HANDBOOK = RESULT.handbook
COUNTS = compute(HANDBOOK, counts(consistency(RESULT)))


def test_every_post_is_complete():
    for name, post in COUNTS["posts"].items():
        assert post["qualifications"] >= 3, name
        assert post["grooming"] >= 8, name
        assert post["duties"] >= 6, name
        assert post["procedures"] >= 3, name


def test_grooming_covers_the_body_areas_with_mens_and_womens_rules():
    for post in HANDBOOK.posts:
        areas = "".join(rule.area for rule in post.grooming.rules)
        for area in ["发", "制服", "工牌", "指甲", "鞋"]:
            assert area in areas or (area == "制服" and "工服" in areas), (post.id, area)
        assert any(rule.men and rule.women for rule in post.grooming.rules), post.id


def test_reply_scripts_are_many_and_varied():
    assert COUNTS["scripts"] >= 100
    assert sum(1 for number in COUNTS["scripts_per_category"].values() if number) >= 12
    for script in HANDBOOK.scripts:
        assert len(script.phrasings) >= 3, script.id
        assert all(p != script.question for p in script.phrasings), script.id


def test_glossary_and_norms_are_filled():
    assert COUNTS["glossary_terms"] >= 25
    assert [line.name for line in HANDBOOK.norms.lines] == [
        "案场客服服务",
        "秩序维护",
        "保洁服务",
        "绿化",
    ]
    for line in HANDBOOK.norms.lines:
        assert len(line.sections) >= 4, line.id


def test_project_facts_ship_empty_and_are_used_by_reference():
    assert COUNTS["facts_empty"] == sorted(fact.id for fact in HANDBOOK.project.facts)
    assert set(COUNTS["facts_empty_in_use"]) >= {"hotline", "property-fee", "parking-price"}


def test_stats_command_prints_table_and_json(capsys):
    assert main(["stats"]) == 0
    table = capsys.readouterr().out
    assert "答客词总数" in table and str(COUNTS["scripts"]) in table
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == COUNTS


def test_stats_count_standards_references_roles_tasks_and_warnings():
    assert 60 <= COUNTS["standards"] <= 160
    assert COUNTS["standards_used"] == COUNTS["standards"]
    assert COUNTS["references"]["std"] > COUNTS["standards"]  # shared rules are reused
    assert COUNTS["roles"] > COUNTS["roles_outside"] > 0
    assert COUNTS["shared_tasks"] >= 6
    assert set(COUNTS["warnings"]) >= {"bare_figures", "unused_standards"}
    assert sum(COUNTS["warnings"].values()) == 0
