"""Consistency checks of ``handbook check``: what loading accepts but the handbook should not say.

Each finding is a warning of kind ``consistency`` (``check --strict`` fails on
them) located at the text to change, with a hint:

- a time, distance or count written as a bare figure in supplement text
  instead of a ``{std:id}`` reference (the handbook's own text is never checked);
- two reply scripts whose question and phrasings are near-duplicates;
- a role name in text (案场主管, 班长 …) that is no role of the organisation chart;
- a script whose reply states a sales fact but is not answered by the sales
  side and does not hand over with the standard referral line.

They run on a loaded handbook and its documents, never during a build.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from . import references
from .errors import CONSISTENCY, Problem, Severity
from .load import LoadResult, walk_sourced
from .model import Handbook, Source
from .yamlfile import YamlDocument

UNITS = (
    "个工作日|个月|分钟|小时|秒|天|日|周岁|周|月|年|毫米|厘米|公里|米|声|次|人|份|双|批|"
    "张|块|颗|步|项|层|倍|%|％|℃|摄氏度|岁"
)
FIGURE = re.compile(
    r"\d+(?:\.\d+)?(?:\s*[—\-–~至到]\s*\d+(?:\.\d+)?)?\s*(?:" + UNITS + r")"
    r"|\d{1,2}:\d{2}(?:\s*[—\-–~至到]\s*\d{1,2}:\d{2})?"
)
"""A figure with a unit of time, distance or count, or a time of day."""

NOT_CHECKED = {"standards.yml", "project.yml", "revisions.yml"}
"""Files whose text defines figures (or records history) rather than stating them."""

CUSTOMER_WORDS = {"question", "phrasings", "avoid"}
"""Fields holding what a customer says, or what staff must never say: not checked."""

ROLE_WORDS = re.compile(r"主管(?!部门)|经理|领班|班组长|班长|组长|工程部")
"""Words that name a role; each must belong to a defined role's name or alias."""

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
        *_unknown_role_names(handbook, texts),
        *_near_duplicates(handbook, result),
        *_sales_facts(handbook, result),
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
            if True:
                yield _Text(name, document, loc, text)


def _bare_figures(handbook: Handbook, texts: list[_Text]) -> Iterator[Problem]:
    by_value: dict[str, list[str]] = defaultdict(list)
    for std in handbook.standards.standards:
        by_value[std.value].append(std.id)
    for entry in texts:
        for match in FIGURE.finditer(references.strip(entry.text)):
            figure = match.group(0)
            known = by_value.get(figure)
            hint = (
                f"standard {', '.join(known)} has this value: write {{std:{known[0]}}}"
                if known
                else "define it in standards.yml and write {std:id} here"
            )
            yield _warning(
                entry.document,
                entry.loc,
                f"bare figure '{figure}' in supplement text instead of a service standard",
                hint,
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
    text = re.sub(r"[\W_]", "", text)
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


def counts(problems: list[Problem]) -> dict[str, int]:
    """Consistency warnings per check, for ``handbook stats``."""
    kinds = {
        "bare_figures": "bare figure",
        "near_duplicate_scripts": "nearly repeats",
        "unknown_role_names": "is not a role",
        "sales_facts": "states the sales fact",
    }
    return {key: sum(needle in p.message for p in problems) for key, needle in kinds.items()}
