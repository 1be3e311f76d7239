"""Self-check quizzes generated from the content.

Questions and wrong options come from the handbook itself (another post's
duty, another script's reply, another principle), so a company that changes
its YAML gets a matching quiz. Choices are seeded by the post's id: the same
content always gives the same quiz.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from generator import pages
from generator.model import Handbook, PostFile, Source

OPTIONS = 4
SCRIPT_QUESTIONS = 4


@dataclass(frozen=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    answer: int
    """Index of the correct option."""
    explanation: str
    where: str
    """Page (src_uri with anchor) the correct answer comes from."""
    where_title: str
    source: Source


def _grooming_body(rule) -> str:
    parts = [rule.text] if rule.text else []
    parts += [f"男士{rule.men}" if rule.men else "", f"女士{rule.women}" if rule.women else ""]
    return "；".join(part for part in parts if part)


def _grooming_text(rule) -> str:
    return f"{rule.area}：" + _grooming_body(rule)


def _choice(
    rng: random.Random, prompt: str, correct: str, wrong: list[str], **details
) -> Question | None:
    wrong = sorted(set(wrong) - {correct})
    if len(wrong) < OPTIONS - 1:
        return None
    options = [correct, *rng.sample(wrong, OPTIONS - 1)]
    rng.shuffle(options)
    return Question(prompt, tuple(options), options.index(correct), **details)


def quiz(handbook: Handbook, post: PostFile) -> list[Question]:
    rng = random.Random(post.id)
    others = [other for other in handbook.posts if other.id != post.id]
    post_page = pages.post_page(post.id)
    questions: list[Question | None] = []

    # Wrong options are of the answer's kind: another post's duty for a duty,
    # another post's hiring requirement for a requirement.
    duties = [(item.text, item.source) for item in post.duties.items]
    qualifications = [(item.text, item.source) for item in post.qualifications.items]
    sections = [
        ("duties", "岗位职责", duties, [i.text for o in others for i in o.duties.items]),
        (
            "qualifications",
            "素质要求",
            qualifications,
            [i.text for o in others for i in o.qualifications.items],
        ),
    ]
    for anchor, section, statements, wrong in sections:
        text, source = rng.choice(statements)
        questions.append(
            _choice(
                rng,
                f"以下哪一项是{post.name}的{section}?",
                text,
                wrong,
                explanation=f"{post.name}{section}：{text}",
                where=f"{post_page}#{anchor}",
                where_title=f"{post.name} · {section}",
                source=source,
            )
        )

    # Grooming: the rule for one area; wrong options are other posts' rules for the
    # same area, then other posts' rules for other areas (never a duty).
    if post.grooming.rules:
        rule = rng.choice(post.grooming.rules)
        correct = _grooming_body(rule)
        other_rules = [r for o in others for r in o.grooming.rules]
        same_area = sorted(
            {_grooming_body(r) for r in other_rules if r.area == rule.area} - {correct}
        )
        rest = sorted({_grooming_body(r) for r in other_rules} - set(same_area) - {correct})
        wrong = same_area[: OPTIONS - 1]
        if len(wrong) < OPTIONS - 1:
            wrong += rng.sample(rest, min(len(rest), OPTIONS - 1 - len(wrong)))
        questions.insert(
            1,
            _choice(
                rng,
                f"{post.name}仪容仪表中,关于“{rule.area}”的要求是哪一项?",
                correct,
                wrong,
                explanation=f"{post.name}仪容仪表：{_grooming_text(rule)}",
                where=f"{post_page}#grooming",
                where_title=f"{post.name} · 仪容仪表",
                source=rule.source,
            ),
        )

    principles = handbook.complaints.principles
    principle = rng.choice(principles)
    questions.append(
        _choice(
            rng,
            f"“{principle.text}”说的是哪一条投诉处理原则?",
            principle.name,
            [other.name for other in principles] + [p.name for p in handbook.complaints.key_points],
            explanation=f"{principle.name}：{principle.text}",
            where=f"{pages.complaints_page()}",
            where_title=handbook.complaints.title,
            source=principle.source,
        )
    )

    path = next((path for path in handbook.paths if path.post == post.id), None)
    categories = {step.practise for day in path.days for step in day.steps} if path else set()
    scripts = [s for s in handbook.scripts if s.category in categories] or handbook.scripts
    for script in rng.sample(scripts, min(SCRIPT_QUESTIONS, len(scripts))):
        asked = rng.choice([script.question, *script.phrasings])
        same_category = [s.reply for s in handbook.scripts_in(script.category) if s is not script]
        questions.append(
            _choice(
                rng,
                f"客户问：“{asked}”,标准答复是哪一项?",
                script.reply,
                same_category,
                explanation=f"标准答复：{script.reply}",
                where=f"{pages.script_page(script.category)}#{script.id}",
                where_title=f"答客词 · {script.question}",
                source=script.source,
            )
        )
    return [question for question in questions if question is not None]
