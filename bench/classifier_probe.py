"""How well would a classifier trained on the content's own ways of asking rank?

The answer search matches a query against each answer's characters and pairs,
weighted by rarity: a nearest match. This probe trains a discriminative model
instead, a linear SVM over character unigrams and pairs (tf-idf), with every
reply script as a class and its question, reply and phrasings as its examples,
and ranks each set's customer phrasings with it. Printed beside it, from the same
run: the answer search's own first answers counted as the bench counts them (only
a sure answer counts), and its ranking whatever its sureness. Then how well the
model's margin (its best class's score less the runner-up's) tells right first
answers from wrong ones and from unanswerable questions, and how small the model
can be pruned (the largest weights per script). A probe for the next step, not
part of the site. Needs scikit-learn (``.venv/bin/pip install scikit-learn``) and
Node.js. Usage: ``python bench/classifier_probe.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_quality import QUESTION_SETS, QuestionSet, node_search  # noqa: E402

from generator.content.load import load_handbook  # noqa: E402
from generator.render.answers import answer_entries, answers_data  # noqa: E402

try:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC
except ImportError:
    sys.exit("needs scikit-learn: .venv/bin/pip install scikit-learn")

MARGINS = (0.1, 0.2, 0.3, 0.4, 0.5)
PRUNED = (30, 80)


def train(scripts: list[dict]):
    """The vectoriser and the SVM, one class per script."""
    texts, labels = [], []
    for number, script in enumerate(scripts):
        for text in (script["title"], script["text"], *script["words"].split("\n")):
            if text:
                texts.append(text)
                labels.append(number)
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    model = LinearSVC(C=1.0, random_state=0).fit(vectoriser.fit_transform(texts), labels)
    return vectoriser, model


def pruned(weights, keep: int):
    """Only each class's ``keep`` largest weights."""
    kept = np.zeros_like(weights)
    for row, column in enumerate(np.argsort(-weights, axis=1)[:, :keep]):
        kept[row, column] = weights[row, column]
    return kept


def share(hits: list[bool]) -> str:
    return f"{sum(hits) / len(hits):.3f}"


def main() -> int:
    handbook = load_handbook(ROOT / "content").handbook
    answers, data = answer_entries(handbook), answers_data(handbook)
    scripts = [answer for answer in data["answers"] if answer["kind"] == "script"]
    vectoriser, model = train(scripts)
    names = [script["id"] for script in scripts]

    rows = {
        label: []
        for label in (
            "svm r@1",
            "svm r@5",
            "search, sure r@1",
            "search, any r@1",
            "search, any r@5",
            *(f"svm, {pruning} weights a script, r@1" for pruning in PRUNED),
        )
    }
    pruned_weights = {pruning: pruned(model.coef_, pruning) for pruning in PRUNED}
    right_margins, wrong_margins, unanswerable_margins = [], [], []
    for name, files in QUESTION_SETS.items():
        questions = QuestionSet(name, files, handbook, answers)
        asked = questions.customers + questions.unanswerable
        searched = node_search(data, asked)
        features = vectoriser.transform(asked)
        scores = model.decision_function(features)
        variants = {
            pruning: features @ weights.T + model.intercept_
            for pruning, weights in pruned_weights.items()
        }
        for n in range(len(asked)):
            order = np.argsort(-scores[n])
            margin = scores[n][order[0]] - scores[n][order[1]]
            if n >= len(questions.customers):
                unanswerable_margins.append(margin)
                continue
            right = questions.customer_ids[n]
            ranked = [names[i] for i in order[:5]]
            state, ids, _ = searched[n]
            rows["svm r@1"].append(ranked[0] in right)
            rows["svm r@5"].append(any(i in right for i in ranked))
            rows["search, sure r@1"].append(state == "found" and ids[0] in right)
            rows["search, any r@1"].append(bool(ids) and ids[0] in right)
            rows["search, any r@5"].append(any(i in right for i in ids[:5]))
            for pruning, pruned_scores in variants.items():
                best = names[int(np.argmax(pruned_scores[n]))]
                rows[f"svm, {pruning} weights a script, r@1"].append(best in right)
            (right_margins if ranked[0] in right else wrong_margins).append(margin)

    count = len(rows["svm r@1"])
    print(f"customer phrasings of {len(QUESTION_SETS)} sets: {count}; {len(scripts)} scripts\n")
    for label, hits in rows.items():
        print(f"{label:<36} {share(hits)}")
    print(f"\nmodel: {model.coef_.shape[1]} features × {len(scripts)} scripts")
    print("\nmargin  customers right and shown  wrong shown  unanswerable → nothing found")
    for minimum in MARGINS:
        shown = sum(m >= minimum for m in right_margins) / count
        wrong = sum(m >= minimum for m in wrong_margins)
        nothing = sum(m < minimum for m in unanswerable_margins) / len(unanswerable_margins)
        print(f"{minimum:>6}  {shown:>26.3f}  {wrong:>11}  {nothing:>29.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
