"""Which customer phrasings does the answer search give to another script?

Each reply script lists other ways a customer asks (``phrasings``). This audit
searches every phrasing with it left out of its own script's search words, as a
new customer's wording would be, and lists those whose best match is another
script: a phrasing that belongs to another script (能拍照吗 under the show-flat
visit rather than the photo script), or two scripts whose phrasings overlap so
that neither is found for it. Leaving one phrasing out at a time would mean one
index per phrasing; the k-th phrasing of every script is left out together
instead, one index per k. Prints what became of the phrasings (their own script as
the answer, another script or a rule as the answer, close matches only, nothing), then
the list. Runs the answer search in Node.js, as ``search_quality.py --node`` does.
Usage: ``python bench/phrasing_audit.py``.
"""

from __future__ import annotations

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


def outcome(state: str, ids: list[str], owner: str) -> str:
    """What the search made of a left-out phrasing of ``owner``."""
    if state == "none":
        return "nothing found"
    if state == "unsure":
        where = "among" if owner in ids[:5] else "not in"
        return f"close matches only, its script {where} the first 5"
    if ids[0] == owner:
        return "its own script as the answer"
    return "another " + ("script" if "." not in ids[0] else "answer (a rule)") + " as the answer"


def main() -> int:
    data = answers_data(load_handbook(ROOT / "content").handbook)
    scripts = [answer for answer in data["answers"] if answer["kind"] == "script"]
    longest = max(len(answer["words"].split("\n")) for answer in scripts)
    found, outcomes = [], collections.Counter()
    for k in range(longest):
        left_out = copy.deepcopy(data)
        queries, owners = [], []
        for answer in left_out["answers"]:
            words = answer["words"].split("\n") if answer["kind"] == "script" else []
            if k < len(words) and words[k]:
                queries.append(words.pop(k))
                owners.append(answer["id"])
                answer["words"] = "\n".join(words)
        for query, owner, (state, ids, _) in zip(
            queries, owners, node_search(left_out, queries), strict=True
        ):
            outcomes[outcome(state, ids, owner)] += 1
            if ids and ids[0] != owner and "." not in ids[0]:
                found.append((owner, query, ids[0], state))
    audited = sum(outcomes.values())
    for name, count in outcomes.most_common():
        print(f"{name:<52} {count:>5} {count / audited:>5.2f}")
    print(f"\n{len(found)} of {audited} phrasings go first to another script:\n")
    print("| script | phrasing | goes to | shown as |")
    print("|---|---|---|---|")
    for owner, query, other, state in sorted(found):
        print(f"| {owner} | {query} | {other} | {'answer' if state == 'found' else 'close'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
