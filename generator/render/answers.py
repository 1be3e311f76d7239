"""The answer index: everything someone may look up, one answer per item.

Built from the content model at build time (never scraped from the pages):
every reply script, and every handbook item as its own answer with its
context: grooming rules (with the men's and women's text), qualifications,
duties, procedures and their steps, service standards, shared tasks,
complaint principles and steps, norms, polite phrases, forbidden phrases with
their replacement, glossary terms and first-week steps. References show their
values (the text formatter's ``plain_value``). Each answer links to the
anchor of the section it stands in, an anchor the page template writes.

The browser side (``docs/assets/answers.js``) ranks answers by the
characters and character pairs they share with the query, weighted by
rarity; it loads this data as a ``.js`` file so it works from ``file://``.
Synonyms come from the content (role aliases, script phrasings and the
``asked`` questions of items, one per line of an answer's ``words``) and from
the short hand-kept list ``generator/render/synonyms.yml``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pypinyin
import rjieba
import yaml

from generator import pages
from generator.content.references import REFERENCE
from generator.content.vocabulary import SEGMENTER, WORD_FREQUENCY, domain_words, jieba_dictionary
from generator.model import Block, Handbook, Item
from generator.render.text import TextFormatter, javascript_data

ASSET_URI = "assets/generated/answers-data.js"
SYNONYMS = Path(__file__).with_name("synonyms.yml")

# A run of Chinese characters: what jieba is given to cut.
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def synonyms() -> list[list[str]]:
    """Groups of words meaning the same here: the hand-kept list."""
    data = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or {}
    return [[str(word) for word in group] for group in data.get("groups", [])]


def post_names(handbook: Handbook, plain) -> dict[str, list[str]]:
    """What staff call each post: its line and the names of every role in it (保洁员, 客服主管 …)."""
    names = {post.id: [plain(post.line)] for post in handbook.posts}
    for unit in handbook.roles:
        if unit.post:
            names[unit.post] += [plain(unit.name), *(plain(a) for a in unit.aliases)]
    return names


# A role name less the ending that says "a person of" (保洁员 → 保洁, 绿化工 → 绿化): how staff
# name a post in a question (做保洁的, 当保安的).
PERSON_ENDING = re.compile(r"(专员|领班|负责人|员|工)$")


def post_words(handbook: Handbook, plain) -> dict[str, list[str]]:
    """Each post's names and their stems, for the answer search to see which post a question names."""
    found = {}
    for post, names in post_names(handbook, plain).items():
        stems = (PERSON_ENDING.sub("", name) for name in names)
        found[post] = sorted({*names, *(stem for stem in stems if len(stem) >= 2)})
    return found


def answer_entries(handbook: Handbook, *, directory_urls: bool = True) -> list[dict]:
    """One dict per answer: id, kind, title, text, never-say, label, url, and search-only
    words: ``words``, its questions one per line (phrasings, asked), and ``keys``, the
    words it is filed under (tags, its post's line and role names); and ``rules``, the
    standards and shared tasks it states (``std:id``, ``task:id``)."""
    format_plain = TextFormatter.for_handbook(handbook, glossary=False).plain_value
    entries: list[dict] = []
    # The standards and shared tasks ({std:id}, {task:id}) of the text formatted since the
    # last answer was added: the answer states them, so another answer stating one of them
    # is the same rule, no rival.
    stated: set[str] = set()

    def plain(text: str) -> str:
        stated.update(
            f"{kind}:{i}" for kind, i in REFERENCE.findall(text) if kind in ("std", "task")
        )
        return format_plain(text)

    def url(src_uri: str, anchor: str | None = None) -> str:
        page = pages.page_url(src_uri, directory_urls)
        return page + ("#" + anchor if anchor else "")

    # What staff call each post: a post's answers are filed under these words.
    names_of_post = post_names(handbook, format_plain)

    def add(kind, answer_id, title, text, label, link, *, avoid="", words=(), keys=(), post=""):
        """``post``: the post the answer belongs to; its names are the answer's keys."""
        if post:
            keys = names_of_post[post]
        entries.append(
            {
                "id": answer_id,
                "kind": kind,
                "title": title,
                "text": text,
                "avoid": avoid,
                "label": label,
                "url": link,
                "words": "\n".join(words),
                "keys": " ".join(keys),
                "rules": " ".join(sorted(stated)),
                "post": post,
            }
        )
        stated.clear()

    def block(prefix, block: Block, label, link, default_title, post=""):
        title = plain(block.title or default_title)
        for n, item in enumerate(block.items, start=1):
            add(
                "rule",
                f"{prefix}.{n}",
                title,
                _item_text_p(item),
                label,
                link,
                words=[*asked(block), *item_asked(item)],
                post=post,
            )

    def _item_text_p(item: Item) -> str:
        text = plain(item.text)
        for sub in item.items:
            text += "\n· " + _item_text_p(sub)
        return text

    def asked(thing) -> list[str]:
        return [plain(question) for question in thing.asked]

    def item_asked(item: Item) -> list[str]:
        return [*asked(item), *(q for sub in item.items for q in item_asked(sub))]

    names = {c.id: plain(c.name) for c in handbook.categories.categories}
    for script in handbook.scripts:
        add(
            "script",
            script.id,
            plain(script.question),
            plain(script.reply),
            "答客词 · " + names[script.category],
            url(pages.script_page(script.category), script.id),
            avoid="\n".join(plain(note) for note in script.notes),
            words=[plain(p) for p in script.phrasings],
            keys=[plain(t) for t in script.tags],
        )

    for post in handbook.posts:
        page = pages.post_page(post.id)
        name = plain(post.name)
        block(
            f"{post.id}.qualifications",
            post.qualifications,
            f"{name} · 素质要求",
            url(page, "qualifications"),
            "素质要求",
            post=post.id,
        )
        for n, rule in enumerate(post.grooming.rules, start=1):
            parts = []
            if rule.text:
                parts.append(plain(rule.text))
            if rule.men:
                parts.append("男士：" + plain(rule.men))
            if rule.women:
                parts.append("女士：" + plain(rule.women))
            add(
                "rule",
                f"{post.id}.grooming.{n}",
                plain(rule.area),
                "\n".join(parts),
                f"{name} · 仪容仪表",
                url(page, "grooming"),
                words=asked(rule),
                post=post.id,
            )
        block(
            f"{post.id}.duties",
            post.duties,
            f"{name} · 岗位职责",
            url(page, "duties"),
            "岗位职责",
            post=post.id,
        )
        for procedure in post.procedures:
            title = plain(procedure.title)
            link = url(page, procedure.id)
            if procedure.intro:
                add(
                    "rule",
                    f"{post.id}.{procedure.id}",
                    title,
                    plain(procedure.intro),
                    f"{name} · 工作流程",
                    link,
                    words=asked(procedure),
                    post=post.id,
                )
            for n, item in enumerate(procedure.items, start=1):
                add(
                    "rule",
                    f"{post.id}.{procedure.id}.{n}",
                    title,
                    _item_text_p(item),
                    f"{name} · 工作流程",
                    link,
                    words=[*asked(procedure), *item_asked(item)],
                    post=post.id,
                )
            if procedure.table:
                columns = [plain(c) for c in procedure.table.columns]
                for n, row in enumerate(procedure.table.rows, start=1):
                    text = "；".join(
                        f"{c}：{plain(cell)}" for c, cell in zip(columns, row, strict=False)
                    )
                    add(
                        "rule",
                        f"{post.id}.{procedure.id}.table.{n}",
                        title,
                        text,
                        f"{name} · 工作流程",
                        link,
                        words=asked(procedure),
                        post=post.id,
                    )

    areas = {a.id: plain(a.name) for a in handbook.standards.areas}
    for std in handbook.standards.standards:
        stated.add(f"std:{std.id}")
        # The wording and the figure, once: the longer where one holds the other (2小时内
        # says 2小时; 每2周 says 2周), both where they differ.
        wording, value = std.wording or std.value, std.value
        if value in wording:
            text = plain(wording)
        elif wording in value:
            text = plain(value)
        else:
            text = plain(wording) + "（" + plain(value) + "）"
        add(
            "rule",
            f"std.{std.id}",
            "服务标准 · " + plain(std.label),
            text,
            "服务标准 · " + areas.get(std.area or "", "其他"),
            url(pages.STANDARDS_PAGE, "std-" + std.id),
            words=asked(std),
        )
    for task in handbook.tasks.tasks:
        stated.add(f"task:{task.id}")
        add(
            "rule",
            f"task.{task.id}",
            plain(task.name),
            plain(task.text),
            "岗位分工",
            url(pages.DIVISION_PAGE, "task-" + task.id),
            words=asked(task),
        )

    complaints = handbook.complaints
    cpage = pages.complaints_page()
    add(
        "rule",
        "complaints.purpose",
        plain(complaints.purpose.name),
        plain(complaints.purpose.text),
        "投诉处理",
        url(cpage, "purpose"),
        words=asked(complaints.purpose),
    )
    for n, p in enumerate(complaints.principles, start=1):
        add(
            "rule",
            f"complaints.principle.{n}",
            plain(p.name),
            plain(p.text),
            "投诉处理 · " + plain(complaints.principles_title),
            url(cpage, "principles"),
            words=asked(p),
        )
    for n, p in enumerate(complaints.key_points, start=1):
        add(
            "rule",
            f"complaints.key-point.{n}",
            plain(p.name),
            plain(p.text),
            "投诉处理 · " + plain(complaints.key_points_title),
            url(cpage, "key-points"),
            words=asked(p),
        )
    for step in complaints.process:
        for n, item in enumerate(step.items, start=1):
            add(
                "rule",
                f"complaints.{step.id}.{n}",
                plain(step.name),
                _item_text_p(item),
                "投诉处理 · " + plain(complaints.process_title),
                url(cpage, step.id),
                words=[*asked(step), *item_asked(item)],
            )

    for line in handbook.norms.lines:
        for s, section in enumerate(line.sections, start=1):
            block(
                f"norms.{line.id}.{s}",
                section,
                f"服务规范 · {plain(line.name)}",
                url(pages.TOPIC_PAGES[pages.Topic.norms], f"{line.id}-{s}"),
                "规范",
            )
    lpage = pages.TOPIC_PAGES[pages.Topic.language]
    for s, section in enumerate(handbook.language.sections, start=1):
        block(f"language.{s}", section, "服务语言", url(lpage, f"language-{s}"), "规范")
    for n, phrase in enumerate(handbook.language.forbidden, start=1):
        add(
            "rule",
            f"forbidden.{n}",
            "服务忌语",
            plain(phrase.instead),
            "服务语言 · " + plain(handbook.language.forbidden_title),
            url(lpage, "forbidden"),
            avoid=plain(phrase.avoid),
            words=[plain(q) for q in handbook.language.forbidden_asked],
        )
    for n, term in enumerate(handbook.glossary.terms, start=1):
        add(
            "term",
            f"glossary.{n}",
            plain(term.term),
            plain(term.definition),
            "术语表",
            url(pages.TOPIC_PAGES[pages.Topic.glossary]),
        )
    for path in handbook.paths:
        post = handbook.post(path.post)
        name = plain(post.name)
        for d, day in enumerate(path.days, start=1):
            for n, step in enumerate(day.steps, start=1):
                add(
                    "rule",
                    f"path.{path.post}.{d}.{n}",
                    plain(day.title),
                    plain(step.text),
                    f"{name} · 第一周学习路径",
                    url(pages.path_page(path.post), f"day-{d}"),
                    words=asked(path),
                    post=post.id,
                )
    return entries


COMMON_WORD_FREQUENCY = 50
"""How common (in jieba's dictionary) a word must be to count as a known word."""
LONGEST_WORD = 4
TOPIC_TAGS = {"n", "v", "vn", "nz", "an"}
"""jieba's parts of speech that name a topic: nouns and verbs, not names, places or particles."""
FUNCTION_TAGS = {"d", "c", "p", "u", "y", "e", "o"}
"""jieba's parts of speech of words that say nothing about a topic: adverbs, conjunctions,
prepositions, particles, interjections and sound words (not pronouns: 本人, 每天 are asked about)."""


def _corpus(entries: list[dict]) -> str:
    return "\n".join(
        " ".join(str(entry[key]) for key in ("title", "text", "avoid", "label", "words", "keys"))
        for entry in entries
    ).lower()


def vocabulary(corpus: str) -> set[str]:
    """The words of the answers (jieba's cut for search).

    The browser cuts a query into these words, so "停车场在哪" is 停车场 + 在哪,
    not the pairs 停车, 车场, 场在 …; a query word is then looked up whole.
    """
    words = set()
    for run in set(HAN_RUN.findall(corpus)):
        words.update(word for word in rjieba.cut_for_search(run) if len(word) >= 2)
    return words


def absent_words(corpus: str, known: set[str], groups: list[list[str]]) -> str:
    """Common words the handbook never uses, space-separated.

    A query naming one of them (工资, 年会, 五险一金 …) asks about something the
    handbook does not cover, unless a synonym group maps it to words it does
    use; the browser counts such a word as unanswered by every answer. Only
    words made of characters the handbook has are listed: a word with any
    other character cannot be matched anyway. jieba's dictionary is the
    source of "common words".
    """
    explained = {word for group in groups for word in group}
    characters = set(corpus)
    return " ".join(
        word
        for word in common_words()
        if word not in explained and word not in known and all(c in characters for c in word)
    )


@cache
def _dictionary_words() -> tuple[tuple[str, str], ...]:
    """jieba's common Chinese words of 2 to 4 characters and their part of speech; read once."""
    found = []
    with jieba_dictionary().open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, tag = line.split()
            if (
                2 <= len(word) <= LONGEST_WORD
                and int(frequency) >= COMMON_WORD_FREQUENCY
                and all("\u4e00" <= char <= "\u9fff" for char in word)
            ):
                found.append((word, tag))
    return tuple(sorted(found))


def common_words() -> tuple[str, ...]:
    """jieba's common topic words (nouns and verbs), sorted."""
    return tuple(word for word, tag in _dictionary_words() if tag in TOPIC_TAGS)


def filler_words(groups: list[list[str]], entries: list[dict]) -> str:
    """Common function words (到底, 已经, 的话 …), space-separated.

    The browser cuts them out of a query before scoring, as it does its own
    generic words: 刚来当客服，到底要做什么 asks about 客服, not about 到底.
    Words of a synonym group are kept, and so are words a rule's title is cut
    into: there they name the topic (投诉受理后初步回复, 到场时限).
    """
    kept = {word for group in groups for word in group}
    # Many items share their block's title: each title is cut once.
    for title in {entry["title"] for entry in entries if entry["kind"] != "script"}:
        for run in HAN_RUN.findall(title):
            kept.update(rjieba.cut(run))
    return " ".join(
        word for word, tag in _dictionary_words() if tag in FUNCTION_TAGS and word not in kept
    )


# The 3,755 most common characters (GB 2312 level 1): a query typed with a pinyin input
# method may hold one the handbook never uses (巡罗 for 巡逻), to be read back by sound.
COMMON_CHARACTERS = frozenset(
    bytes([high, low]).decode("gb2312")
    for high in range(0xB0, 0xD8)
    for low in range(0xA1, 0xFF)
    if (high, low) < (0xD7, 0xFA)
)


def readings(corpus: str) -> dict[str, str]:
    """The handbook's characters by their usual reading (toneless pinyin).

    The browser swaps a character for a same-sounding one when that turns it into
    part of a word of the handbook: 洗首间 is 洗手间, 容基率 is 容积率. Only the
    usual reading counts: a rare one (假 read jie) would turn 婚假 into 婚戒.
    """
    by_reading: dict[str, str] = {}
    for char in sorted(set(re.findall(r"[\u4e00-\u9fff]", corpus)) | COMMON_CHARACTERS):
        reading = pypinyin.lazy_pinyin(char)[0]
        by_reading[reading] = by_reading.get(reading, "") + char
    return dict(sorted(by_reading.items()))


def answers_data(handbook: Handbook, *, directory_urls: bool = True) -> dict:
    entries = answer_entries(handbook, directory_urls=directory_urls)
    plain = TextFormatter.for_handbook(handbook, glossary=False).plain_value
    groups = synonyms()
    SEGMENTER.add_words(domain_words(handbook), WORD_FREQUENCY)
    corpus = _corpus(entries)
    words = vocabulary(corpus)
    roles = {unit.id: plain(unit.name) for unit in handbook.roles}
    # The fallback reply and whom to ask when nothing is sure (handbook.yml unanswered).
    unanswered = handbook.meta.unanswered
    return {
        "answers": entries,
        "synonyms": groups,
        "posts": post_words(handbook, plain),
        "vocabulary": " ".join(sorted(words)),
        "absent": absent_words(corpus, words, groups),
        "filler": filler_words(groups, entries),
        "readings": readings(corpus),
        "fallback": unanswered.script if unanswered else "",
        "supervisors": "或".join(roles[i] for i in unanswered.ask) if unanswered else "",
        "not_covered": [
            {
                "topic": plain(topic.topic),
                "words": [plain(word) for word in topic.words],
                "ask": plain(topic.ask),
            }
            for topic in handbook.meta.not_covered
        ],
    }


def answers_script(handbook: Handbook, *, directory_urls: bool = True) -> str:
    return javascript_data("hbAnswersData", answers_data(handbook, directory_urls=directory_urls))
