"""Search: domain words stay whole, the index matches Material's, scripts rank first."""

import json
import re
import shutil
import subprocess
import sys

import jieba
from conftest import CONFIG, CONTENT, ROOT

from generator.content.load import load_handbook
from generator.content.vocabulary import domain_words, user_dictionary
from generator.render.answers import answer_entries, answers_data, answers_script
from generator.render.finder import finder_entries, finder_script
from generator.site.build import build_site

HANDBOOK = load_handbook(CONTENT).handbook


def test_user_dictionary_keeps_domain_words_whole(tmp_path):
    dictionary = tmp_path / "user.txt"
    dictionary.write_text(user_dictionary(domain_words(HANDBOOK)), encoding="utf-8")
    stock, tuned = jieba.Tokenizer(), jieba.Tokenizer()
    tuned.load_userdict(str(dictionary))
    for word in ["答客词", "秩序维护"]:
        assert word in domain_words(HANDBOOK)
        assert list(stock.cut(f"请查看{word}规范")).count(word) == 0, "stock jieba splits it"
        assert word in list(tuned.cut(f"请查看{word}规范"))


def test_the_index_keeps_domain_words_whole(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    tokens = {token for doc in index["docs"] for token in separator.split(doc["text"])}
    assert "秩序维护" in tokens


def test_index_is_utf8_not_escaped(site):
    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    documents = raw[raw.index('"docs"') :]
    assert "\\u" not in documents
    assert "投诉" in raw


def test_index_equals_materials_own(tmp_path):
    """Same entries and tokens as Material's stock search index (jieba) on the same site.

    Each build runs in its own process, from its own folder: the segmenters'
    dictionaries are process-wide and other tests' content adds words to them,
    and no search cache of an earlier build is reused.
    """
    config = CONFIG.read_text(encoding="utf-8")
    config = config.replace("      content_dir: content", f"      content_dir: {CONTENT}")
    stock_config = config.replace("  - handbook:\n", "  - handbook:\n      fast_search: false\n")
    assert stock_config != config
    index = []
    for name, text in [("ours", config), ("stock", stock_config)]:
        project = tmp_path / name
        shutil.copytree(ROOT / "docs", project / "docs")
        (project / "mkdocs.yml").write_text(text, encoding="utf-8")
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", project / "site"]
        subprocess.run(command, cwd=project, check=True, capture_output=True)
        data = (project / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
        index.append(json.loads(data))
    assert index[0] == index[1]
    assert len(index[0]["docs"]) > 100


def test_script_pages_are_boosted_over_other_pages(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    boosts = {doc["location"].split("#")[0]: doc.get("boost", 1) for doc in index["docs"]}
    script_page = f"scripts/{HANDBOOK.scripts[0].category}/"
    assert boosts[script_page] > boosts["posts/manager/"]


def test_finder_data_covers_every_script_and_cannot_break_out():
    entries = finder_entries(HANDBOOK)
    assert len(entries) == len(HANDBOOK.scripts)
    first = HANDBOOK.scripts[0]
    assert entries[0]["url"] == f"scripts/{first.category}/#{first.id}"
    assert entries[0]["phrasings"] == list(first.phrasings)
    assert "</" not in finder_script(HANDBOOK)


def test_page_cache_is_reused_only_for_the_same_page_and_identity(tmp_path):
    from types import SimpleNamespace

    from generator.site.search import PageCache

    path = tmp_path / "search.json"
    page = SimpleNamespace(url="a/", title="甲", meta={}, content="<h1>案场服务</h1>")
    entries = [{"location": "a/", "title": "案场\u200b服务", "text": ""}]
    cache = PageCache(path, "identity A")
    key = cache.key(page)
    cache.put(key, entries)
    cache.end_build()
    cache.save()
    assert PageCache(path, "identity A").get(key) == entries
    assert PageCache(path, "identity B").get(key) is None
    for change in ({"content": "<h1>案场</h1>"}, {"url": "b/"}, {"meta": {"search": {"boost": 2}}}):
        assert PageCache.key(SimpleNamespace(**{**vars(page), **change})) != key, change
    wrong_shape = json.dumps({"identity": "identity A", "pages": {key: 5}})
    for damaged in ("not json", wrong_shape):
        path.write_text(damaged, encoding="utf-8")
        assert PageCache(path, "identity A").get(key) is None


def test_a_build_from_the_cache_indexes_what_a_fresh_build_does(content, tmp_path):
    """Unchanged pages come from the cache; an edited script is indexed anew."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    config = CONFIG.read_text(encoding="utf-8")
    config = config.replace("      content_dir: content", f"      content_dir: {content}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")

    def index(name: str) -> dict:
        site = build_site(project / "mkdocs.yml", site_dir=tmp_path / name)
        return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))

    cold = index("cold")
    assert (project / ".cache" / "handbook" / "search.json").is_file()
    assert index("warm") == cold
    script = content / "scripts" / "parking.yml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("reply: ", "reply: 新停车须知。", 1), encoding="utf-8")
    edited = index("edited")
    shutil.rmtree(project / ".cache")
    assert index("edited-fresh") == edited != cold
    assert any("新" in doc["text"] and "停车" in doc["text"] for doc in edited["docs"])


def test_answer_index_holds_every_script_and_item_and_links_to_existing_anchors(site):
    entries = answer_entries(HANDBOOK)
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    assert {s.id for s in HANDBOOK.scripts} <= set(ids)
    grooming = next(e for e in entries if e["id"] == "customer-service.grooming.1")
    assert "男士：" in grooming["text"] and "女士：" in grooming["text"]
    assert "{" not in "".join(e["text"] for e in entries), "references show their values"
    for entry in entries:
        page, _, anchor = entry["url"].partition("#")
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, entry["url"]
    assert "</" not in answers_script(HANDBOOK)


def _asked(data) -> list[str]:
    """Every ``asked`` question anywhere in a model dump."""
    if isinstance(data, dict):
        return [*data.get("asked", []), *(q for v in data.values() for q in _asked(v))]
    if isinstance(data, list):
        return [q for v in data for q in _asked(v)]
    return []


def test_asked_questions_are_search_words_of_their_own_answers():
    entries = {entry["id"]: entry for entry in answer_entries(HANDBOOK)}
    words = " ".join(entry["words"] for entry in entries.values())
    asked = _asked(HANDBOOK.model_dump())
    assert asked, "the content has asked questions"
    assert [q for q in asked if q not in words] == []
    post = HANDBOOK.posts[0]
    for n, rule in enumerate(post.grooming.rules, start=1):
        for question in rule.asked:
            assert question in entries[f"{post.id}.grooming.{n}"]["words"].split("\n")


def test_a_standards_answer_states_its_figure_once():
    """2小时内, not 2小时内（2小时）: the wording and the figure once each, the longer
    where one holds the other; both where they differ (开放前 is not 60分钟)."""
    entries = {entry["id"]: entry for entry in answer_entries(HANDBOOK)}
    plain = [
        std for std in HANDBOOK.standards.standards if "{" not in std.value + (std.wording or "")
    ]
    assert any(std.wording and std.value in std.wording for std in plain)
    for std in plain:
        text = entries[f"std.{std.id}"]["text"]
        assert text.count(std.value) == 1, (std.id, text)
        assert std.text in text, (std.id, text)


def test_a_post_is_known_by_its_roles_names_and_their_stems():
    """做保洁的, 当保安的: staff name a post by a role's name less 员 or 工."""
    posts = answers_data(HANDBOOK)["posts"]
    assert {"保洁员", "保洁", "绿化"} <= set(posts["environment"])
    assert "秩序维护" in posts["order"] and "维修" in posts["maintenance"]
    entries = answer_entries(HANDBOOK)
    assert {e["post"] for e in entries if e["id"].startswith("order.")} == {"order"}
    assert {e["post"] for e in entries if e["kind"] == "script"} == {""}


def test_the_fallback_and_whom_to_ask_come_from_the_content():
    names = {unit.id: unit.name for unit in HANDBOOK.roles}
    unanswered = HANDBOOK.meta.unanswered
    data = answers_data(HANDBOOK)
    assert data["fallback"] == unanswered.script == "unknown-cannot-answer"
    assert data["supervisors"] == "或".join(names[role] for role in unanswered.ask)
    assert names["site-supervisor"] in data["supervisors"]
    # Another company's handbook may say nothing of it: the search then only says so.
    meta = HANDBOOK.meta.model_copy(update={"unanswered": None})
    without = answers_data(HANDBOOK.model_copy(update={"meta": meta}))
    assert without["fallback"] == without["supervisors"] == ""
