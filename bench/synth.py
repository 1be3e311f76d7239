"""Synthetic content for benchmarks: the real handbook with N generated reply scripts.

``python bench/synth.py --scripts N --out DIR [--seed 7]`` copies everything in
``content/`` except the reply scripts into DIR (a new or empty folder), then
writes N synthetic scripts spread evenly over the categories of
``content/scripts/categories.yml``, one file ``scripts/synth-<category>.yml`` per
category. ``handbook check --content DIR`` accepts the result (it warns about
empty project facts, as it does for the real content).

The scripts read like the real ones: questions, phrasings and replies are
built from Chinese sentence patterns and each category's topic nouns (车位,
首付, 物业费, 得房率 …). Each script has 3–5 phrasings, 0–2 notes, 1–3 tags and
a reply of 60–150 Chinese characters; ids are ``<category>-s<number>``. The
same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/scripts.schema.json\n"

# Topic nouns per category id; a category missing here uses GENERIC_TOPICS.
TOPICS = {
    "price": ["单价", "总价", "优惠", "折扣", "一房一价", "特价房", "团购价", "备案价"],
    "payment": ["首付", "首付比例", "付款方式", "分期付款", "全款", "付款节点", "税费", "维修资金"],
    "loan": ["按揭", "公积金贷款", "组合贷", "贷款年限", "月供", "利率", "征信", "放款时间"],
    "subscription": ["认购", "定金", "退订", "认筹", "诚意金", "网签", "签约材料", "更名"],
    "schedule": ["开盘", "交房", "加推", "封顶", "竣工验收", "预售证", "样板房开放", "选房"],
    "property-service": [
        "物业费",
        "物业公司",
        "保安",
        "保洁",
        "绿化养护",
        "空置房物业费",
        "门禁",
        "电梯维保",
    ],
    "parking": [
        "车位",
        "车位配比",
        "地下车库",
        "充电桩",
        "访客车位",
        "车位产权",
        "车位租金",
        "机械车位",
    ],
    "education": ["学校", "学区", "幼儿园", "小学", "初中", "入学", "落户", "配建学校"],
    "amenities": ["商场", "超市", "菜市场", "医院", "公园", "银行", "健身房", "社区商业"],
    "transport": ["地铁", "公交", "地铁站", "高速入口", "机场", "通勤", "公交站", "过江隧道"],
    "developer": ["开发商", "品牌", "口碑", "资金", "在建项目", "售后服务", "交付记录", "合作方"],
    "product": [
        "户型",
        "得房率",
        "公摊",
        "层高",
        "楼间距",
        "朝向",
        "容积率",
        "绿地率",
        "梯户比",
        "赠送面积",
    ],
    "delivery-standard": [
        "交房标准",
        "精装",
        "毛坯",
        "产权",
        "产权年限",
        "不动产证",
        "装修材料",
        "保修",
    ],
    "visit": ["样板房", "看房", "洗手间", "Wi-Fi", "水吧", "沙盘", "停车", "儿童区"],
    "complaints": ["投诉", "服务态度", "等候时间", "意见", "回电", "赔偿", "处理结果", "经理"],
    "unknown": [
        "具体数据",
        "最新政策",
        "内部消息",
        "准确时间",
        "审批进度",
        "规划调整",
        "价格走势",
        "房源情况",
    ],
}
GENERIC_TOPICS = ["具体安排", "相关规定", "办理流程", "所需材料", "时间节点", "收费标准"]

MODIFIERS = [
    "",
    "小区的",
    "这一期的",
    "以后的",
    "现在的",
    "合同里写的",
    "交房时的",
    "你们项目的",
    "样板房里的",
    "楼盘的",
    "二期的",
    "正式的",
]

QUESTIONS = [
    "{m}{t}是怎么安排的？",
    "请问{m}{t}能介绍一下吗？",
    "{m}{t}到底怎么样？",
    "我想了解一下{m}{t}，方便说说吗？",
    "{m}{t}这块你们怎么保证？",
    "听说{m}{t}有变化，是真的吗？",
    "{m}{t}要另外交钱吗？",
    "{m}{t}什么时候能定下来？",
    "{m}{t}和宣传的一样吗？",
    "{m}{t}写进合同里吗？",
    "买了房以后{m}{t}谁来负责？",
    "{m}{t}跟周边楼盘比怎么样？",
]

PHRASINGS = [
    "{t}咋样",
    "{t}靠谱不",
    "问下{t}",
    "{t}有啥说法",
    "{t}能保证吗",
    "{t}谁管",
    "{t}多久能定",
    "{t}贵不贵",
    "{t}跟别家比呢",
    "{t}写合同里不",
    "想问问{t}",
    "{t}是真的吗",
    "{t}有没有变",
    "{t}怎么算",
    "{t}要不要钱",
    "说说{t}呗",
    "{t}到底咋回事",
    "{t}啥情况",
]

OPENINGS = ["您好，", "感谢您的关注，", "您好，这个问题问得很好，", "好的，", "您好，请您放心，"]

REPLY_SENTENCES = [
    "{t}以政府批准的规划文件和正式签订的购房合同为准，我们不做口头承诺。",
    "关于{t}，案场公示区有相关资料，我可以先带您过去看一下。",
    "{t}的具体标准在销售资料里写得很清楚，不同楼栋和户型之间会有一些差别。",
    "如果您对{t}还有疑问，可以先记下来，我们统一向开发商核实后再给您答复。",
    "很多客户都关心{t}，这也是购房时需要重点了解的内容。",
    "{t}的最新情况以开发商正式公布的信息为准，我们会第一时间在案场公示。",
    "{t}涉及的每一项费用都会在合同或补充协议中列明，不会另外收取未约定的费用。",
    "为了给您准确的信息，{t}的数字我们一律以书面资料为准，不凭印象估算。",
    "{t}方面的政策会随主管部门的要求调整，办理时以当时的规定为准。",
    "您关心的{t}，我们的置业顾问每天都在跟进，了解得最全面。",
    "我们会把您关于{t}的问题登记下来，确认后在24小时内给您回电。",
    "{t}相关的证照和批文都在案场公示，您随时可以查看。",
]

CLOSINGS = [
    "具体细节我请置业顾问为您详细介绍。",
    "请您稍坐，我马上请置业顾问过来为您说明。",
    "您也可以拨打{fact:hotline}咨询。",
    "有任何问题欢迎随时来案场找我们。",
    "我先帮您倒杯水，请您在洽谈区稍等。",
]

NOTES = [
    "不说“{t}肯定没问题”之类的绝对化承诺。",
    "{t}相关的数字以公示文件为准，客服不凭印象报数。",
    "客户追问{t}细节时，交由置业顾问答复。",
    "涉及{t}的变更，以开发商书面通知为准，不传播未经确认的消息。",
    "不拿周边楼盘的{t}做比较，也不评价同行。",
    "客户对{t}有不满时，先致歉并记录，再报告案场经理。",
]

HAN = re.compile(r"[\u4e00-\u9fff]")
FACT = re.compile(r"\{fact:[^{}]*\}")
REPLY_RANGE = (60, 150)


def han_count(text: str) -> int:
    """Chinese characters in ``text``, not counting ``{fact:…}`` references."""
    return len(HAN.findall(FACT.sub("", text)))


def make_reply(rng: random.Random, topic: str) -> str:
    """Opening, some topic sentences and a closing: 60–150 Chinese characters."""
    while True:
        opening = rng.choice(OPENINGS)
        closing = rng.choice(CLOSINGS)
        body = ""
        for sentence in rng.sample(REPLY_SENTENCES, k=len(REPLY_SENTENCES)):
            sentence = sentence.format(t=topic)
            if han_count(opening + body + sentence + closing) > REPLY_RANGE[1]:
                continue
            body += sentence
            long_enough = han_count(opening + body + closing) >= REPLY_RANGE[0]
            if long_enough and rng.random() < 0.5:
                break
        reply = opening + body + closing
        if REPLY_RANGE[0] <= han_count(reply) <= REPLY_RANGE[1]:
            return reply


def make_script(rng: random.Random, category: str, number: int) -> dict:
    topics = TOPICS.get(category, GENERIC_TOPICS)
    topic = rng.choice(topics)
    question = rng.choice(QUESTIONS).format(m=rng.choice(MODIFIERS), t=topic)
    phrasings = [p.format(t=topic) for p in rng.sample(PHRASINGS, k=rng.randint(3, 5))]
    notes = [n.format(t=topic) for n in rng.sample(NOTES, k=rng.randint(0, 2))]
    others = [t for t in topics if t != topic]
    tags = [topic, *rng.sample(others, k=rng.randint(0, min(2, len(others))))]
    script = {
        "id": f"{category}-s{number}",
        "category": category,
        "question": question,
        "reply": make_reply(rng, topic),
        "phrasings": phrasings,
    }
    if notes:
        script["notes"] = notes
    script["tags"] = tags
    return script


def read_categories(content: Path = CONTENT) -> list[str]:
    data = yaml.safe_load((content / "scripts" / "categories.yml").read_text(encoding="utf-8"))
    return [category["id"] for category in data["categories"]]


def copy_non_scripts(content: Path, out: Path) -> None:
    """Everything in ``content`` but the reply scripts (categories.yml is kept)."""
    shutil.copytree(content, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("scripts"))
    (out / "scripts").mkdir()
    shutil.copy2(content / "scripts" / "categories.yml", out / "scripts" / "categories.yml")
    # The fallback reply names a script of the real handbook, which synthetic content lacks.
    meta = yaml.safe_load((out / "handbook.yml").read_text(encoding="utf-8"))
    if meta.pop("unanswered", None):
        (out / "handbook.yml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


def synthesize(scripts: int, out: Path, seed: int = 7, content: Path = CONTENT) -> list[Path]:
    """Write a content folder with ``scripts`` synthetic reply scripts; return the script files."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    copy_non_scripts(Path(content), out)
    categories = read_categories(Path(content))
    rng = random.Random(seed)
    by_category: dict[str, list[dict]] = {category: [] for category in categories}
    for index in range(scripts):
        category = categories[index % len(categories)]
        number = len(by_category[category]) + 1
        by_category[category].append(make_script(rng, category, number))
    files = []
    for category, category_scripts in by_category.items():
        if not category_scripts:
            continue
        file = out / "scripts" / f"synth-{category}.yml"
        body = yaml.safe_dump(
            {"source": "supplement", "scripts": category_scripts},
            allow_unicode=True,
            sort_keys=False,
            width=10_000,
        )
        file.write_text(SCHEMA_LINE + body, encoding="utf-8")
        files.append(file)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scripts", type=int, required=True, help="number of scripts")
    parser.add_argument("--out", type=Path, required=True, help="new or empty content folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--source", type=Path, default=CONTENT, help="content folder to copy (default: content/)"
    )
    args = parser.parse_args(argv)
    try:
        files = synthesize(args.scripts, args.out, seed=args.seed, content=args.source)
    except FileExistsError as error:
        print(f"synth: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.scripts} scripts in {len(files)} files under {args.out / 'scripts'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
