"""Search: domain words stay whole, the index matches Material's, scripts rank first."""

import json
import re
import shutil

import jieba
from conftest import CONFIG, CONTENT, ROOT

from generator.build import build_site
from generator.finder import finder_entries, finder_script
from generator.load import load_handbook
from generator.vocabulary import domain_words, user_dictionary

HANDBOOK = load_handbook(CONTENT).handbook


def test_user_dictionary_keeps_domain_words_whole(tmp_path):
    dictionary = tmp_path / "user.txt"
    dictionary.write_text(user_dictionary(HANDBOOK), encoding="utf-8")
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
    assert "\\u" not in raw.replace("\\u200b", "")
    assert "投诉" in raw


def test_index_equals_materials_own(site, tmp_path):
    """Same entries and tokens as Material's stock search plugin on the same site."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    config = CONFIG.read_text(encoding="utf-8").replace("  - handbook/search:", "  - search:")
    config = config.replace("content_dir: content", f"content_dir: {CONTENT}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    stock = build_site(project / "mkdocs.yml", site_dir=tmp_path / "stock")
    ours = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    theirs = json.loads((stock / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert ours == theirs


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
