"""Fit how sure the answer search must be to give its best match as the answer.

For each question of the tuned, held-out and fresh sets (``search_quality.py``), runs
the answer search (``docs/assets/answers.js``) in Node, which ranks as the browser
does, and records its best match's support and rivalry and whether it is right.
A logistic regression on those two says how much rivalry weighs against support;
the minimum is the sureness below which at most ``--cost`` of the right first
answers fall. Prints the two constants for ``SURENESS`` in answers.js and, per set
(the blind set is never fitted on), what that threshold does: unanswerable
questions it turns to "nothing found", right first answers it costs, wrong first
answers it turns. Needs Node.js. Usage: ``python bench/fit_sureness.py [--cost 0.03]``.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_quality import QUESTION_SETS, QuestionSet, node_search  # noqa: E402

from generator.content.load import load_handbook  # noqa: E402
from generator.render.answers import answer_entries, answers_data  # noqa: E402

FITTED = ("tuned on", "held out", "fresh")


class Row:
    """One question's best match: its evidence, and whether it is right (None: unanswerable)."""

    def __init__(self, support: float, rivalry: float, right: bool | None):
        self.support, self.rivalry, self.right = support, rivalry, right


def rows_of(questions: QuestionSet, data: dict) -> list[Row]:
    """The best matches the search shows (a question it already leaves unanswered has none)."""
    expected = questions.customer_ids + questions.expected_lookups
    asked = questions.customers + questions.lookups + questions.unanswerable
    wanted = expected + [None] * len(questions.unanswerable)
    rows = []
    # A question with no evidence of its own (no match, or close ones by a clause) has no row.
    for (_, ids, evidence), want in zip(node_search(data, asked), wanted, strict=True):
        if evidence is not None:
            right = None if want is None else ids[0] in want
            rows.append(Row(evidence["support"], evidence["rivalry"], right))
    return rows


def logistic(points: list[tuple[float, float]], labels: list[int]) -> tuple[float, float, float]:
    """Weights (bias, support, rivalry) of a logistic regression, by Newton's method.

    A little ridge keeps it defined when the two classes separate."""
    weights = [0.0, 0.0, 0.0]
    for _ in range(50):
        gradient = [0.0] * 3
        hessian = [[1e-3 if i == j else 0.0 for j in range(3)] for i in range(3)]
        for (a, b), label in zip(points, labels, strict=True):
            x = (1.0, a, b)
            p = 1 / (1 + math.exp(-sum(w * v for w, v in zip(weights, x, strict=True))))
            for i in range(3):
                gradient[i] += (label - p) * x[i]
                for j in range(3):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        step = solve(hessian, gradient)
        weights = [w + s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return weights[0], weights[1], weights[2]


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting, for the 3×3 Newton step."""
    n = len(vector)
    rows = [row[:] + [value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cost", type=float, default=0.03, help="share of right first answers it may cost"
    )
    args = parser.parse_args()

    handbook = load_handbook(ROOT / "content").handbook
    answers, data = answer_entries(handbook), answers_data(handbook)
    by_set = {
        name: rows_of(QuestionSet(name, files, handbook, answers), data)
        for name, files in QUESTION_SETS.items()
    }
    # Right against wrong first answers of answerable questions and any of unanswerable ones.
    fitted = [row for name in FITTED for row in by_set[name]]
    _, on_support, on_rivalry = logistic(
        [(row.support, row.rivalry) for row in fitted], [int(bool(row.right)) for row in fitted]
    )
    rivalry = max(0.0, -on_rivalry / on_support)
    sureness = sorted(row.support - rivalry * row.rivalry for row in fitted if row.right)
    minimum = sureness[int(args.cost * len(sureness))]
    print(f"SURENESS = {{ rivalry: {rivalry:.2f}, minimum: {minimum:.2f} }}")
    print(
        f"{'set':<10} {'unanswerable → nothing found':>30} {'right lost':>11} {'wrong turned':>13}"
    )
    for name, rows in by_set.items():
        unsure = [row for row in rows if row.support - rivalry * row.rivalry < minimum]
        turned = sum(row.right is None for row in unsure)
        shown = sum(row.right is None for row in rows)
        lost = sum(row.right is True for row in unsure)
        right = sum(row.right is True for row in rows)
        wrong = sum(row.right is False for row in unsure)
        label = name + ("" if name in FITTED else " *")
        print(f"{label:<10} {f'{turned} of {shown}':>30} {f'{lost} of {right}':>11} {wrong:>13}")
    print("* never fitted on")
    return 0


if __name__ == "__main__":
    sys.exit(main())
