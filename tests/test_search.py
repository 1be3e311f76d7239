"""Search: domain words stay whole, the index matches Material's, scripts rank first."""

import json
import re
import shutil
import subprocess
import sys

import jieba
from conftest import CONFIG, CONTENT, ROOT

from generator.build import build_site
from generator.finder import finder_entries, finder_script
from generator.load import load_handbook
from generator.vocabulary import domain_words, user_dictionary

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

    The stock build runs in its own process: jieba's dictionary is process-wide,
    and other tests' content adds words to it.
    """
    config = CONFIG.read_text(encoding="utf-8")
    config = config.replace("      content_dir: content", f"      content_dir: {CONTENT}")
    projects = {}
    for name, text in [
        ("ours", config),
        ("stock", config.replace("  - handbook:\n", "  - handbook:\n      fast_search: false\n")),
    ]:
        # Fresh folders: no segment cache from an earlier build is reused.
        projects[name] = tmp_path / name
        shutil.copytree(ROOT / "docs", projects[name] / "docs")
        (projects[name] / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert "fast_search: false" in (projects["stock"] / "mkdocs.yml").read_text(encoding="utf-8")
    ours = build_site(projects["ours"] / "mkdocs.yml", site_dir=tmp_path / "ours-site")
    stock = tmp_path / "stock-site"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", stock]
    subprocess.run(command, cwd=projects["stock"], check=True, capture_output=True)
    index = [
        json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
        for built in (ours, stock)
    ]
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


def test_segment_cache_is_reused_only_for_the_same_dictionary(tmp_path):
    from generator.search import SegmentCache

    path = tmp_path / "segments.json"
    cache = SegmentCache(path, "dictionary A")
    cache.put("案场服务", "案场\u200b服务")
    cache.save()
    assert SegmentCache(path, "dictionary A").get("案场服务") == "案场\u200b服务"
    assert SegmentCache(path, "dictionary B").get("案场服务") is None
    path.write_text("not json", encoding="utf-8")
    assert SegmentCache(path, "dictionary A").get("案场服务") is None
