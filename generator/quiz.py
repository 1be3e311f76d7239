"""Self-check quizzes generated from the content.

Questions and wrong options come from the handbook itself (another post's
duty, another script's reply, another principle), so a company that changes
its YAML gets a matching quiz. Choices are seeded by the post's id: the same
content always gives the same quiz.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import pages
from .model import Handbook, PostFile, Source

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


def _grooming_text(rule) -> str:
    parts = [rule.text] if rule.text else []
    parts += [f"男士{rule.men}" if rule.men else "", f"女士{rule.women}" if rule.women else ""]
    return f"{rule.area}：" + "；".join(part for part in parts if part)


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

    # "Which of these belongs to the post's <section>?", wrong options from elsewhere.
    duties = [(item.text, item.source) for item in post.duties.items]
    grooming = [(_grooming_text(rule), rule.source) for rule in post.grooming.rules]
    qualifications = [(item.text, item.source) for item in post.qualifications.items]
    sections = [
        ("duties", "岗位职责", duties, [i.text for o in others for i in o.duties.items]),
        ("grooming", "仪容仪表", grooming, [t for t, _ in duties + qualifications]),
        ("qualifications", "素质要求", qualifications, [t for t, _ in duties]),
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
