"""Which ways of asking does the answer search give to another answer?

Each reply script lists other ways a customer asks (``phrasings``), and each
handbook item how staff ask for it (``asked``). This audit searches every such
question with it left out of its answer's search words, as a new wording would
be, and lists those whose best match is elsewhere: a question that belongs to
another answer (能拍照吗 under the show-flat visit rather than the photo script),
or two answers whose questions overlap so that neither is found for it.

- Default: the scripts' phrasings. The k-th phrasing of every script is left out
  together, one index per k, not one index per phrasing.
- ``--asked``: the items' asked questions. A question asked of a whole section
  (a procedure, a block) belongs to all its items and is left out of all of them.
  Its answer is right when it is the same rule: in the same section, under the
  same title (another post's 指甲), or stating one of its standards or shared
  tasks. Questions are left out in rounds in which no answer loses more than one.

Prints what became of the questions (their own answer, another script or a rule
as the answer, close matches only, nothing), then the list. Runs the answer search
in Node.js, as ``search_quality.py --node`` does.
Usage: ``python bench/phrasing_audit.py [--asked]``.
"""

from __future__ import annotations

import argparse
import collections
import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from search_quality import node_search  # noqa: E402

from generator.content.load import load_handbook  # noqa: E402
from generator.render.answers import answers_data  # noqa: E402


def kind_of(answer_id: str) -> str:
    return "answer (a rule)" if "." in answer_id else "script"


def outcome(state: str, ids: list[str], own) -> str:
    """What the search made of a left-out question whose right answers ``own`` tells."""
    if state == "none":
        return "nothing found"
    if state == "unsure":
        where = "among" if any(own(i) for i in ids[:5]) else "not in"
        return f"close matches only, its answer {where} the first 5"
    if own(ids[0]):
        return "its own answer as the answer"
    return f"another {kind_of(ids[0])} as the answer"


def rounds(questions: dict[str, set[str]]) -> list[list[str]]:
    """The questions in rounds, each answer losing at most one question per round."""
    found: list[tuple[list[str], set[str]]] = []
    for question, owners in sorted(questions.items()):
        for batch, losing in found:
            if not owners & losing:
                batch.append(question)
                losing |= owners
                break
        else:
            found.append(([question], set(owners)))
    return [batch for batch, _ in found]


def audit(data: dict, kind: str) -> tuple[collections.Counter, list[tuple[str, str, str, str]]]:
    """Outcomes and the questions whose best match is elsewhere: (owner, question, got, state)."""
    by_id = {answer["id"]: answer for answer in data["answers"]}

    def same_rule(one: dict, other: dict) -> bool:
        return (
            one["url"] == other["url"]
            or one["title"] == other["title"]
            or bool(set(one["rules"].split()) & set(other["rules"].split()))
        )

    questions: dict[str, set[str]] = collections.defaultdict(set)
    for answer in data["answers"]:
        if answer["kind"] == kind:
            for question in filter(None, answer["words"].split("\n")):
                questions[question].add(answer["id"])
    outcomes, elsewhere = collections.Counter(), []
    for batch in rounds(questions):
        left_out, leaving = copy.deepcopy(data), set(batch)
        for answer in left_out["answers"]:
            if answer["kind"] == kind:
                lines = answer["words"].split("\n")
                answer["words"] = "\n".join(q for q in lines if q not in leaving)
        for question, (state, ids, _) in zip(batch, node_search(left_out, batch), strict=True):
            owners = questions[question]

            def own(answer_id: str, owners=owners) -> bool:
                if answer_id in owners:
                    return True
                got = by_id[answer_id]
                return kind == "rule" and any(same_rule(got, by_id[o]) for o in owners)

            outcomes[outcome(state, ids, own)] += 1
            if ids and not own(ids[0]):
                elsewhere.append((min(owners), question, ids[0], state))
    return outcomes, elsewhere


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asked", action="store_true", help="audit the items' asked questions")
    args = parser.parse_args()
    data = answers_data(load_handbook(ROOT / "content").handbook)
    kind = "rule" if args.asked else "script"
    outcomes, elsewhere = audit(data, kind)
    audited = sum(outcomes.values())
    for name, count in outcomes.most_common():
        print(f"{name:<52} {count:>5} {count / audited:>5.2f}")
    print(f"\n{len(elsewhere)} of {audited} questions go first to another answer:\n")
    print("| answer | question | goes to | shown as |")
    print("|---|---|---|---|")
    for owner, query, other, state in sorted(elsewhere):
        print(f"| {owner} | {query} | {other} | {'answer' if state == 'found' else 'close'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
