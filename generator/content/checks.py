"""Consistency checks of ``handbook check``: what loading accepts but the handbook should not say.

Each finding is a warning of kind ``consistency`` (``check --strict`` fails on
them) located at the text to change, with a hint:

- a time or distance stated as a limit, interval or lead time (每30分钟, 3分钟内,
  提前15分钟, 距门约5米) as a bare figure in supplement text instead of a
  ``{std:id}`` reference; hiring requirements (qualifications), quoted speech,
  ordinals and plain durations are not standards, and a first-week path is only
  warned about where it restates a standard in the standard's own words (the
  handbook's own text is never checked);
- a standard no text references;
- two reply scripts whose question and phrasings are near-duplicates;
- one way of asking (a question or a phrasing) listed by two reply scripts;
- a role name in text (案场主管, 班长 …) that is no role of the organisation chart;
- a script whose reply states a sales fact but is not answered by the sales
  side and does not hand over with the standard referral line;
- a word of a topic the handbook leaves out (``not_covered``) that the handbook
  uses after all: the search would answer "not covered" where it has text.

They run on a loaded handbook and its documents, never during a build.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import rjieba

from generator.content import references
from generator.content.load import LoadResult, walk_sourced
from generator.content.vocabulary import SEGMENTER, WORD_FREQUENCY, domain_words
from generator.content.yamlfile import YamlDocument
from generator.errors import CONSISTENCY, Problem, Severity
from generator.model import Handbook, Source

UNITS = "个工作日|个月|分钟|小时|秒|天|日|周|月|年|毫米|厘米|公里|米|声"
"""Units of a time, a distance or a number of rings: what a service standard measures.
Counts of things (人, 次, 份 …) are ordinary text unless a standard defines them."""

FIGURE = re.compile(
    r"(?P<figure>\d+(?:\.\d+)?(?:\s*[—\-–~至到]\s*\d+(?:\.\d+)?)?\s*(?:" + UNITS + r")"
    r"|(?P<clock>\d{1,2}:\d{2})(?:\s*[—\-–~至到]\s*\d{1,2}:\d{2})?)"
)
"""A figure with a unit of time or distance, or a time of day."""

LIMIT_BEFORE = re.compile(
    r"(?:每隔|每|不超过|不少于|不低于|至少|最多|最迟|超过|提前|(?<![左右])前)$"
    r"|距(?:离)?[^，。；：、（）“”]{0,8}?约?$"
    r"|[前后左右侧]方约?$"
)
"""Words just before a figure that make it a limit, an interval or a lead time
(每30分钟, 不超过2小时, 提前15分钟, 开放前60分钟, 距前台约5米), or a position
relative to the customer (右前方约15厘米, 左前方1—1.5米)."""

LIMIT_AFTER = re.compile(r"^(?:以内|之内|内|以上|以下)")
"""Words just after a figure that make it a limit (3分钟内, 50米以内, 2米以上)."""

CLOCK_AFTER = re.compile(r"^(?:以前|以后|前|后)")
"""A time of day is a limit when something must happen before or after it (9:00前)."""

QUOTED = re.compile(r"“[^”]*”")
"""Words in quotation marks: what someone says, or what staff must never say."""

NOT_STANDARDS = {"qualifications"}
"""Fields whose figures are hiring requirements (age, height, years of experience),
not standards staff are held to at work."""

LINE_POSTS = {"cleaning": "environment", "greenery": "environment"}
"""Service lines of norms.yml that belong to a post other than their own id."""

PLAN_FIELDS = {"title", "intro"}
"""Fields of a first-week path that give the plan itself (第1天, 5天内熟悉 …)."""

NOT_CHECKED = {"standards.yml", "project.yml", "revisions.yml"}
"""Files whose text defines figures (or records history) rather than stating them."""

CUSTOMER_WORDS = {"question", "phrasings", "avoid"}
"""Fields holding what a customer says, or what staff must never say: not checked."""

ROLE_WORDS = re.compile(r"主管(?!部门)|经理|领班|班组长|班长|组长|工程部")
"""Words that name a role; each must belong to a defined role's name or alias."""

HANDBOOK_FILE = "handbook.yml"
"""The file of the handbook's own settings, with the topics it leaves out."""

SALES_REFERRAL = "sales-referral"
"""The standard holding the line that hands a sales question to the sales side."""

DUPLICATE_THRESHOLD = 0.30
"""Cosine similarity (tf-idf of character pairs) of question and phrasings above which
two scripts are reported as near-duplicates."""


@dataclass(frozen=True)
class _Text:
    file: str
    document: YamlDocument
    loc: tuple[str | int, ...]
    text: str


def consistency(result: LoadResult) -> list[Problem]:
    """Every consistency warning for a loaded handbook (empty if it did not load)."""
    handbook = result.handbook
    if handbook is None:
        return []
    texts = list(_supplement_texts(result))
    problems = [
        *_bare_figures(handbook, texts),
        *_unused_standards(handbook, result),
        *_unknown_role_names(handbook, texts),
        *_near_duplicates(handbook, result),
        *_shared_phrasings(handbook, result),
        *_sales_facts(handbook, result),
        *_covered_words(handbook, result),
    ]
    return sorted(problems)


def _warning(document: YamlDocument, loc, message: str, hint: str) -> Problem:
    return document.problem(loc, message, severity=Severity.warning, kind=CONSISTENCY, hint=hint)


def _supplement_texts(result: LoadResult) -> Iterator[_Text]:
    for name, document in result.documents.items():
        if name in NOT_CHECKED:
            continue
        for loc, text, source in walk_sourced(document.data):
            if source != Source.supplement.value or loc[-1:] == ("source",):
                continue
            if CUSTOMER_WORDS & {part for part in loc if isinstance(part, str)}:
                continue
            yield _Text(name, document, loc, text)


def limit_figures(text: str) -> Iterator[tuple[str, str]]:
    """``(figure, as written)`` for each figure in ``text`` stated as a limit, an
    interval or a lead time; *as written* adds the marker around it (每30分钟, 3分钟内).

    A figure counts when the words around it make it one (see ``LIMIT_BEFORE``,
    ``LIMIT_AFTER``, ``CLOCK_AFTER``); a figure inside quotation marks, an ordinal
    (第1天) or a plain duration (站岗观察30分钟) does not. References are removed first.
    """
    text = QUOTED.sub(lambda m: "\u3000" * len(m.group(0)), references.strip(text))
    for match in FIGURE.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if before.endswith("第"):
            continue
        figure = match.group(0)
        if match.group("clock"):
            limit = CLOCK_AFTER.match(after) or LIMIT_BEFORE.search(before)
            tail = CLOCK_AFTER.match(after)
        else:
            limit = LIMIT_BEFORE.search(before) or LIMIT_AFTER.match(after)
            tail = LIMIT_AFTER.match(after)
        if limit:
            head = "每" if before.endswith("每") else ""
            yield figure, head + figure + (tail.group(0) if tail else "")


def _bare_figures(handbook: Handbook, texts: list[_Text]) -> Iterator[Problem]:
    by_value: dict[str, list[str]] = defaultdict(list)
    by_words: dict[str, list[str]] = defaultdict(list)
    posts_of: dict[str, set[str]] = {}
    for std in handbook.standards.standards:
        by_value[std.value.removeprefix("每")].append(std.id)
        for words in {std.value, std.text}:
            by_words[words].append(std.id)
        posts_of[std.id] = {LINE_POSTS.get(target, target) for target in std.applies_to}
    for entry in texts:
        fields = {part for part in entry.loc if isinstance(part, str)}
        if fields & NOT_STANDARDS:
            continue
        plan = entry.file.startswith("paths/")
        if plan and fields & PLAN_FIELDS:
            continue
        for figure, written in limit_figures(entry.text):
            if plan:
                # A path's own exercise lengths (观察至少2小时) are not standards; a
                # path restating a standard of its post in the standard's words
                # (撤杯3分钟内) is.
                post = entry.file.removeprefix("paths/").removesuffix(".yml")
                known = [
                    std_id
                    for std_id in (by_words.get(written, []) if written != figure else [])
                    if not posts_of[std_id] or post in posts_of[std_id]
                ]
                if not known:
                    continue
            else:
                known = by_words.get(written) or by_value.get(figure.removeprefix("每")) or []
            hint = (
                f"standard {', '.join(known[:3])}{' …' if len(known) > 3 else ''} has this "
                f"value: if it states the same rule write {{std:{known[0]}}}, "
                "otherwise define a standard for this rule"
                if known
                else "define it in standards.yml and write {std:id} here"
            )
            yield _warning(
                entry.document,
                entry.loc,
                f"bare figure '{written}' in supplement text instead of a service standard",
                hint,
            )


def _unused_standards(handbook: Handbook, result: LoadResult) -> Iterator[Problem]:
    document = result.documents.get("standards.yml")
    if document is None:
        return
    used = {
        std_id
        for name, other in result.documents.items()
        if name != "standards.yml"
        for _loc, text, _source in walk_sourced(other.data)
        for std_id in references.ids_in(text, "std")
    }
    for index, std in enumerate(handbook.standards.standards):
        if std.id not in used:
            yield _warning(
                document,
                ("standards", index, "id"),
                f"standard '{std.id}' ({std.label}) is not used by any text",
                f"reference it as {{std:{std.id}}} where the rule applies, or remove it",
            )


def _unknown_role_names(handbook: Handbook, texts: list[_Text]) -> Iterator[Problem]:
    names = sorted(
        {name for role in handbook.roles for name in (role.name, *role.aliases)},
        key=len,
        reverse=True,
    )
    known = re.compile("|".join(map(re.escape, names))) if names else None
    for entry in texts:
        text = references.strip(entry.text)
        if known is not None:
            text = known.sub(lambda m: "\u3000" * len(m.group(0)), text)
        for match in ROLE_WORDS.finditer(text):
            start = match.start()
            before = re.search(r"[\u4e00-\u9fff]{0,4}$", text[:start]).group(0)
            yield _warning(
                entry.document,
                entry.loc,
                f"role name '{before}{match.group(0)}' is not a role of organisation.yml",
                "name a defined role as {role:id}, or add the role (or an alias) "
                "to organisation.yml",
            )


def _script_locations(result: LoadResult) -> dict[str, tuple[YamlDocument, tuple]]:
    found = {}
    for name, document in result.documents.items():
        if not name.startswith("scripts/") or not isinstance(document.data, dict):
            continue
        for index, script in enumerate(document.data.get("scripts") or []):
            if isinstance(script, dict) and isinstance(script.get("id"), str):
                found[script["id"]] = (document, ("scripts", index))
    return found


def _grams(text: str) -> list[str]:
    text = _asked_as(text)
    return [text[i : i + 2] for i in range(len(text) - 1)]


def near_duplicate_pairs(
    handbook: Handbook, threshold: float = DUPLICATE_THRESHOLD
) -> list[tuple[float, str, str]]:
    """``(similarity, id, id)`` of scripts whose question and phrasings nearly repeat.

    Character pairs weighted by tf-idf, compared by cosine; only pairs sharing a
    character pair are compared (an inverted index), so 10,000 scripts stay fast.
    """
    scripts = handbook.scripts
    counts = [
        Counter(g for text in (s.question, *s.phrasings) for g in _grams(text)) for s in scripts
    ]
    frequency = Counter(g for c in counts for g in c)
    total = len(scripts)
    vectors = []
    for c in counts:
        weights = {g: (1 + math.log(n)) * math.log(total / frequency[g]) for g, n in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({g: w / norm for g, w in weights.items() if w > 0})
    index: dict[str, list[int]] = defaultdict(list)
    for number, vector in enumerate(vectors):
        for gram in vector:
            index[gram].append(number)
    pairs = []
    for number, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for gram, weight in vector.items():
            for other in index[gram]:
                if other > number:
                    scores[other] += weight * vectors[other][gram]
        for other, score in scores.items():
            if score >= threshold:
                pairs.append((score, scripts[number].id, scripts[other].id))
    return sorted(pairs, reverse=True)


def _near_duplicates(handbook: Handbook, result: LoadResult) -> Iterator[Problem]:
    where = _script_locations(result)
    for score, first, second in near_duplicate_pairs(handbook):
        document, loc = where[second]
        yield _warning(
            document,
            (*loc, "question"),
            f"script '{second}' nearly repeats script '{first}' "
            f"(question and phrasings {score:.0%} alike)",
            "merge the two: keep one script, move the other's phrasings to it",
        )


def _shared_phrasings(handbook: Handbook, result: LoadResult) -> Iterator[Problem]:
    """A phrasing that another script already lists (as question or phrasing): the answer
    search cannot tell which of the two answers it."""
    where = _script_locations(result)
    owner: dict[str, str] = {}
    for script in handbook.scripts:
        owner.setdefault(_asked_as(script.question), script.id)
    for script in handbook.scripts:
        for index, phrasing in enumerate(script.phrasings):
            first = owner.setdefault(_asked_as(phrasing), script.id)
            if first == script.id:
                continue
            document, loc = where[script.id]
            yield _warning(
                document,
                (*loc, "phrasings", index),
                f"script '{script.id}' lists '{phrasing}', which script '{first}' lists too",
                "keep it on the script that answers it; reword or drop it here",
            )


def _asked_as(text: str) -> str:
    """A way of asking without its punctuation and spaces: 要等多久？ is 要等多久."""
    return re.sub(r"[\W_]", "", text)


def _sales_facts(handbook: Handbook, result: LoadResult) -> Iterator[Problem]:
    sales_facts = {fact.id for fact in handbook.project.facts if fact.sales}
    sales_roles = {role.id for role in handbook.roles if role.sales}
    where = _script_locations(result)
    referral = f"{{std:{SALES_REFERRAL}}}"
    for script in handbook.scripts:
        stated = [f for f in references.ids_in(script.reply, "fact") if f in sales_facts]
        if not stated or script.answered_by in sales_roles or referral in script.reply:
            continue
        document, loc = where[script.id]
        yield _warning(
            document,
            (*loc, "reply"),
            f"script '{script.id}' states the sales fact {', '.join(stated)} but is not "
            "answered by the sales side",
            f"set answered_by to a sales role ({', '.join(sorted(sales_roles)) or 'none defined'})"
            f" or hand over with {referral} instead of stating it",
        )


def _covered_words(handbook: Handbook, result: LoadResult) -> Iterator[Problem]:
    """A word of a left-out topic (not_covered) that the handbook's text uses as a word:
    cut the way the search cuts it, so 工资 in 工资卡 is not one, in 工资流水 it is."""
    SEGMENTER.add_words(domain_words(handbook), WORD_FREQUENCY)
    used = {
        word
        for name, other in result.documents.items()
        if name != HANDBOOK_FILE
        for _, text, _ in walk_sourced(other.data)
        for word in rjieba.cut(text)
    }
    document = result.documents[HANDBOOK_FILE]
    for t, topic in enumerate(handbook.meta.not_covered):
        for w, word in enumerate(topic.words):
            if word in used:
                yield _warning(
                    document,
                    ("not_covered", t, "words", w),
                    f"'{word}' is listed as a topic the handbook leaves out, but the handbook "
                    "uses the word",
                    "drop it here, or make the handbook's longer word (工资流水) a tag or "
                    "glossary term; else the search says 'not covered' where there is an answer",
                )


def counts(problems: list[Problem]) -> dict[str, int]:
    """Consistency warnings per check, for ``handbook stats``."""
    kinds = {
        "bare_figures": "bare figure",
        "near_duplicate_scripts": "nearly repeats",
        "unknown_role_names": "is not a role",
        "sales_facts": "states the sales fact",
        "unused_standards": "is not used by any text",
        "left_out_words": "topic the handbook leaves out",
    }
    return {key: sum(needle in p.message for p in problems) for key, needle in kinds.items()}
