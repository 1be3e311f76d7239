"""Search quality: customers' words, new hires' look-ups, questions it cannot answer.

Builds the real site, types each question into the search box in headless
Chromium and reads the results in the order the reader sees them. Three
question sets, written independently of the content's headings and phrasings:

- ``bench/search_questions.yml``: customer phrasings → the reply script;
- ``bench/lookup_questions.yml``: new hires' look-ups → the answering item(s);
- ``bench/unanswerable_questions.yml``: questions the handbook does not answer,
  which must get the "nothing found" state;

and the same three kinds again, held out (``bench/heldout_*.yml``): written
after the answer search was tuned on the sets above and never tuned on, so
their figures show how it does on questions nobody tuned it for; and once more,
fresh (``bench/fresh_*.yml``), written after a second round of tuning by someone
who saw only the answers' text, not their search words or the other sets; and
blind (``bench/blind_*.yml``), written the same way before a third round of
tuning and first measured after it, a third of its unanswerable questions
sharing a topic word with some answer; and sealed (``bench/sealed_*.yml``), written
the same way before the fourth round and first measured after it; and unseen
(``bench/unseen_*.yml``), written the same way before the fifth round and first
measured after it; and hidden (``bench/hidden_*.yml``), written the same way before
the sixth round and first measured after it; untried and novel in the seventh round, and
pristine and virgin (``bench/pristine_*.yml``, ``bench/virgin_*.yml``) in the eighth, each
measured only at its round's end.

Measured side by side in one run:

- this site: the answer search (``docs/assets/answers.js``);
- today's search (``--today``, default the commit before the answer search):
  the reply-script finder above Material's list;
- Material's search alone, built without jieba and without the handbook's
  user dictionary (the stock search of a Chinese Material site);
- Ctrl+F: exact substring search over the scripts (customer set only).

For the two page-level baselines a look-up counts as found when a result links
to the page and section of an answering item. Prints recall@1, recall@5, MRR,
the share of unanswerable questions that got nothing, the time from the last
keystroke to the answers in the page, and the answer index's size for the real
handbook and for 10,000 synthetic scripts. Needs Debian's chromium and
chromium-driver. Usage: ``python bench/search_quality.py [--show] [--sets hidden,unseen]
[--answers-only | --node]``; the whole run takes over an hour on 2 cores, most of it in the
two baselines, which only change when the content does. ``--node`` runs the answer search
in Node.js instead of the browser (the same script, so the same ranking; no times): all the
sets in under a minute, for trying a change.
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import gzip
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import ref_tree  # noqa: E402
from synth import synthesize  # noqa: E402
from test_browser import READ_PANEL  # noqa: E402

from generator.content.load import load_handbook  # noqa: E402
from generator.render.answers import answer_entries, answers_data, answers_script  # noqa: E402
from generator.site.build import build_site  # noqa: E402
from generator.site.pdf import HEADLESS_FLAGS  # noqa: E402

RESULTS = 10
TODAY = "af519d8"
"""The commit before the answer search: the reply-script finder above Material's list."""
SETTLE_SECONDS = 0.4
TIMEOUT_SECONDS = 8

# Build the site in a fresh interpreter where jieba cannot be imported and the
# handbook's user dictionary is switched off: Material's stock Chinese search.
BASELINE_BUILD = """
import sys
sys.modules["jieba"] = None
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2])
config.plugins["handbook"].config.search_dictionary = False
config.plugins.on_startup(command="build", dirty=False)
build(config)
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> str:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in (*HEADLESS_FLAGS, "--window-size=1280,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


# Milliseconds from the last keystroke until results are on screen, measured
# inside the page so WebDriver's round trips do not count.
WATCH_FIRST_RESULT = """
const [selector, done] = [arguments[0], arguments[arguments.length - 1]];
const box = document.querySelector('[data-md-component="search-query"]');
let typed = null;
window.__firstResultMs = null;
box.addEventListener("input", () => { typed = performance.now(); });
new MutationObserver((_, observer) => {
  if (typed !== null && document.querySelector(selector)) {
    observer.disconnect();
    window.__firstResultMs = performance.now() - typed;
  }
}).observe(document.body, { childList: true, subtree: true, attributes: true });
done();
"""

READ_LINKS = """
const meta = document.querySelector(".md-search-result__meta");
return [meta ? meta.textContent : "", [...document.querySelectorAll(arguments[0])].map((e) => e.href)];
"""
ANSWERS = ".hb-answers[data-state]"


# Reads {data, queries} on stdin; prints, per query, [state, ids, evidence]: the state the
# page would show (found, unsure, none), the answers' ids in order, and the best match's
# support and rivalry (null when the search has no evidence of its own for the query).
NODE_SEARCH = """
const api = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const index = api.build(input.data);
const rows = input.queries.map((query) => {
  const results = api.search(index, query);
  const state = results.sure ? "found" : results.length ? "unsure" : "none";
  return [state, results.map((result) => result.answer.id), results.evidence || null];
});
process.stdout.write(JSON.stringify(rows));
"""


def node_search(data: dict, queries: list[str]) -> list:
    """The answer search run in Node.js on ``queries``: one [state, ids, evidence] each."""
    done = subprocess.run(
        ["node", "-e", NODE_SEARCH, str(ROOT / "docs" / "assets" / "answers.js")],
        input=json.dumps({"data": data, "queries": queries}, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def answer_results(driver, url: str, query: str) -> tuple[str, list[str], float]:
    """The answer search's state (found, unsure, none), its answers' ids in order (for
    unsure, the close matches under "nothing found"), and ms until shown."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    box = driver.find_element(By.CSS_SELECTOR, '[data-md-component="search-query"]')
    box.click()
    time.sleep(0.15)  # the answer data loads on focus
    driver.execute_async_script(WATCH_FIRST_RESULT, ANSWERS)
    box.send_keys(query)
    deadline = time.time() + TIMEOUT_SECONDS
    state, ids = "timeout", []
    while time.time() < deadline:
        read = driver.execute_script(READ_PANEL, query.strip())
        if read is not None:
            state, ids = read
            break
        time.sleep(0.02)
    shown = driver.execute_script("return window.__firstResultMs")
    return state, ids, (shown if shown is not None else float("nan"))


def search_results(driver, url: str, query: str, *, finder: bool) -> tuple[list[str], float]:
    """Result URLs in the order the reader sees them, and ms until the first was shown."""
    from selenium.webdriver.common.by import By

    selectors = (".hb-finder__link, " if finder else "") + ".md-search-result__link"
    driver.get(url)
    box = driver.find_element(By.CSS_SELECTOR, '[data-md-component="search-query"]')
    box.click()
    # Let the lazily loaded data and Material's search worker get ready first.
    time.sleep(SETTLE_SECONDS)
    driver.execute_async_script(WATCH_FIRST_RESULT, selectors)
    box.send_keys(query)
    deadline, last, stable_since = time.time() + TIMEOUT_SECONDS, None, time.time()
    while time.time() < deadline:
        # One script call: the list is re-rendered under our feet while results stream in.
        meta, links = driver.execute_script(READ_LINKS, selectors)
        snapshot = (meta, tuple(links))
        if snapshot != last:
            last, stable_since = snapshot, time.time()
        elif "初始化" not in meta and time.time() - stable_since >= SETTLE_SECONDS:
            break
        time.sleep(0.1)
    shown = driver.execute_script("return window.__firstResultMs")
    return (list(last[1]) if last else []), (shown if shown is not None else float("nan"))


def sections(urls: list[str], base: str) -> list[str]:
    """Distinct ``page#anchor`` of result URLs, relative to the site, in order."""
    ranked: list[str] = []
    for url in urls:
        parts = urlsplit(url)
        page = parts.path.removeprefix(urlsplit(base).path)
        key = f"{page}#{parts.fragment}" if parts.fragment else page
        if key not in ranked:
            ranked.append(key)
    return ranked


def matches(answer: dict, pattern: str) -> bool:
    glob, _, title = pattern.partition("|")
    return fnmatch.fnmatchcase(answer["id"], glob) and title in answer["title"]


def ctrl_f(query: str, scripts) -> list[str]:
    """Scripts whose question or reply contains the query verbatim, in file order."""
    return [s.id for s in scripts if query in s.question or query in s.reply]


def metrics(rankings: list[list[str]], expected: list[set[str]]) -> tuple[float, float, float]:
    """recall@1, recall@5, MRR: a ranking hits when an item of the expected set is in it."""
    total = len(expected)
    ranks = [
        next((i for i, item in enumerate(r[:RESULTS]) if item in e), None)
        for r, e in zip(rankings, expected, strict=True)
    ]
    at1 = sum(rank == 0 for rank in ranks) / total
    at5 = sum(rank is not None and rank < 5 for rank in ranks) / total
    mrr = sum(1 / (rank + 1) for rank in ranks if rank is not None) / total
    return at1, at5, mrr


def index_size(handbook) -> tuple[int, int]:
    data = answers_script(handbook).encode("utf-8")
    return len(data), len(gzip.compress(data, 9))


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def load(path: Path, key: str = "questions") -> list:
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key]


def build_today(ref: str, work: Path) -> Path:
    """Today's site: the project at ``ref``, built with its own generator."""
    site = work / "today"
    ref_tree.build(ref_tree.extract(ref, work / "today-src"), site)
    return site


QUESTION_SETS = {
    "tuned on": ("search_questions.yml", "lookup_questions.yml", "unanswerable_questions.yml"),
    "held out": (
        "heldout_customer_questions.yml",
        "heldout_lookup_questions.yml",
        "heldout_unanswerable_questions.yml",
    ),
    "fresh": (
        "fresh_customer_questions.yml",
        "fresh_lookup_questions.yml",
        "fresh_unanswerable_questions.yml",
    ),
    "blind": (
        "blind_customer_questions.yml",
        "blind_lookup_questions.yml",
        "blind_unanswerable_questions.yml",
    ),
    "sealed": (
        "sealed_customer_questions.yml",
        "sealed_lookup_questions.yml",
        "sealed_unanswerable_questions.yml",
    ),
    "unseen": (
        "unseen_customer_questions.yml",
        "unseen_lookup_questions.yml",
        "unseen_unanswerable_questions.yml",
    ),
    "hidden": (
        "hidden_customer_questions.yml",
        "hidden_lookup_questions.yml",
        "hidden_unanswerable_questions.yml",
    ),
    "untried": (
        "untried_customer_questions.yml",
        "untried_lookup_questions.yml",
        "untried_unanswerable_questions.yml",
    ),
    "novel": (
        "novel_customer_questions.yml",
        "novel_lookup_questions.yml",
        "novel_unanswerable_questions.yml",
    ),
    "pristine": (
        "pristine_customer_questions.yml",
        "pristine_lookup_questions.yml",
        "pristine_unanswerable_questions.yml",
    ),
    "virgin": (
        "virgin_customer_questions.yml",
        "virgin_lookup_questions.yml",
        "virgin_unanswerable_questions.yml",
    ),
    "unopened": (
        "unopened_customer_questions.yml",
        "unopened_lookup_questions.yml",
        "unopened_unanswerable_questions.yml",
    ),
}
"""Question sets, each customers → look-ups → unanswerable. The held-out sets were
written after the answer search was tuned on the others, and are never tuned on;
the fresh sets were written after a second round of tuning by someone who saw only
the answers' text, and are never tuned on either; the blind sets likewise, before the
third round, and measured only after it; the sealed sets likewise, before the fourth
round (how sure the search must be, fitted on the first three sets), and measured only
after it; the unseen sets likewise, before the fifth round (the sealed set's misses were
looked at in it), and measured only after it; the hidden sets likewise, before the sixth
round (the unseen set's misses were looked at in it), and measured only after it; the
untried sets likewise, before the seventh round (the hidden set's misses were looked at in
it), and measured only after it; the novel sets likewise, in the seventh round after its
scorer changes, and measured only at its end; the pristine sets likewise, at the start of the
eighth round (their aggregate figures were seen once mid-round, and an ablation of the
round's changes on them chose one fix), and the virgin sets in the eighth round after its
scorer changes, measured only at its end; the unopened sets likewise, at the start of the
ninth round, measured then (aggregate figures only) and at its end."""


class QuestionSet:
    """One set's questions and, for each, what counts as a right answer."""

    def __init__(self, name: str, files: tuple[str, str, str], handbook, answers: list[dict]):
        bench = ROOT / "bench"
        customers, lookups = load(bench / files[0]), load(bench / files[1])
        self.name, self.unanswerable = name, load(bench / files[2])
        known = {script.id for script in handbook.scripts}
        # A customer question is answered by one script, or by any of a list of them.
        self.customer_ids = [set(as_list(q["expect"])) for q in customers]
        missing = sorted(set().union(*self.customer_ids) - known)
        if missing:
            sys.exit(f"unknown script ids in {files[0]}: {missing}")
        self.expected_lookups = []
        for question in lookups:
            found = {a["id"] for a in answers if any(matches(a, p) for p in question["expect"])}
            if not found:
                sys.exit(f"no answer matches {question['expect']} ({question['q']})")
            self.expected_lookups.append(found)
        section_of = {a["id"]: a["url"] for a in answers}
        self.expected_sections = [{section_of[i] for i in e} for e in self.expected_lookups]
        self.customers, self.lookups = [q["q"] for q in customers], [q["q"] for q in lookups]
        self.customer_sections = [{section_of[i] for i in ids} for ids in self.customer_ids]
        self.substring = [ctrl_f(q, handbook.scripts) for q in self.customers]

    def __str__(self) -> str:
        return (
            f"{self.name}: {len(self.customers)} customer phrasings, {len(self.lookups)} "
            f"look-ups, {len(self.unanswerable)} unanswerable"
        )


def measure(driver, name: str, url: str, questions: QuestionSet, show: bool, data=None):
    """One method's row on one question set, and its times to the first result; with the
    answer ``data``, the answer search's row from Node.js instead (no times)."""
    product = name.startswith("this site")
    if data is not None:
        asked = questions.customers + questions.lookups + questions.unanswerable
        in_node = {
            q: (state, ids, float("nan"))
            for q, (state, ids, _) in zip(asked, node_search(data, asked), strict=True)
        }
    got, shown_ms = {"customer": [], "lookup": [], "none": []}, []
    close = {"customer": [], "lookup": [], "none": []}  # close matches under "nothing found"
    for kind, queries in (
        ("customer", questions.customers),
        ("lookup", questions.lookups),
        ("none", questions.unanswerable),
    ):
        for query in queries:
            if product:
                found = in_node[query] if data is not None else None
                state, ids, shown = found or answer_results(driver, url, query)
                ranked = ids if state == "found" else []
                close[kind].append(ids if state == "unsure" else [])
            else:
                links, shown = search_results(driver, url, query, finder=name.startswith("today"))
                ranked = sections(links, url)
            shown_ms.append(shown)
            got[kind].append(ranked)
            if show:
                print(f"{name[:10]} {kind} {query} → {ranked[:3]}")
    row = {
        "customer": metrics(
            got["customer"], questions.customer_ids if product else questions.customer_sections
        ),
        "lookup": metrics(
            got["lookup"], questions.expected_lookups if product else questions.expected_sections
        ),
        "none": sum(not r for r in got["none"]) / len(questions.unanswerable),
    }
    if product:
        expected = questions.customer_ids + questions.expected_lookups
        unsure = [
            (ids, e)
            for ids, e in zip(close["customer"] + close["lookup"], expected, strict=True)
            if ids
        ]
        row["close"] = (
            len(unsure),
            sum(any(i in e for i in ids[:5]) for ids, e in unsure),
            len(expected),
            sum(bool(ids) for ids in close["none"]),
        )
    return row, shown_ms


def print_table(rows: dict[str, dict], latency: dict[str, list[float]]) -> None:
    print(
        "| method | customer r@1 | r@5 | MRR | look-up r@1 | r@5 | MRR | nothing found "
        "| median ms | slowest ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        cells = [f"{v:.2f}" for v in row["customer"]]
        cells += [f"{v:.2f}" for v in row["lookup"]] if row["lookup"] else ["–"] * 3
        cells.append(f"{row['none']:.2f}" if row["none"] is not None else "–")
        shown = sorted(ms for ms in latency.get(name, []) if ms == ms)
        cells += [f"{statistics.median(shown):.0f}", f"{shown[-1]:.0f}"] if shown else ["–", "–"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    for name, row in rows.items():
        if "close" in row:
            unsure, right, answerable, unanswerable = row["close"]
            print(
                f'\n{name}: {unsure} of {answerable} answerable questions got "nothing found" '
                f"with close matches below it, {right} of them with a right one in the top 5; "
                f'{unanswerable} of the unanswerable questions that got "nothing found" had '
                "close matches below it."
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default=TODAY, help="git ref of today's search")
    parser.add_argument("--synthetic", type=int, default=10_000, help="scripts for the size check")
    parser.add_argument("--show", action="store_true", help="Print each question's top results.")
    parser.add_argument(
        "--sets",
        type=lambda names: names.split(","),
        default=list(QUESTION_SETS),
        help="comma-separated question sets to measure (default: all)",
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument(
        "--answers-only", action="store_true", help="measure the answer search, not the baselines"
    )
    how.add_argument(
        "--node", action="store_true", help="run the answer search in Node.js, not the browser"
    )
    args = parser.parse_args()
    unknown = sorted(set(args.sets) - set(QUESTION_SETS))
    if unknown:
        parser.error(f"unknown question sets {unknown}; known: {', '.join(QUESTION_SETS)}")

    handbook = load_handbook(ROOT / "content").handbook
    answers = answer_entries(handbook)
    question_sets = [QuestionSet(n, QUESTION_SETS[n], handbook, answers) for n in args.sets]

    if args.node:
        data, name = answers_data(handbook), "this site: answer search (Node.js)"
        tables = {
            str(questions): measure_set(None, {name: ""}, questions, args, data)
            for questions in question_sets
        }
    else:
        tables = measure_in_browser(question_sets, args)

    raw, gz = index_size(handbook)
    with tempfile.TemporaryDirectory(prefix="search-bench-synth-") as work:
        synthesize(args.synthetic, Path(work) / "content")
        synthetic = load_handbook(Path(work) / "content").handbook
        synth_raw, synth_gz = index_size(synthetic)

    scripts = len(handbook.scripts)
    print(f"{len(answers)} answers ({scripts} scripts)")
    for title, (rows, latency) in tables.items():
        print(f"\n{title}\n")
        print_table(rows, latency)
    print_summary(tables)
    print(
        f"\nanswer index: real handbook {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzipped; "
        f"{args.synthetic:,} synthetic scripts {synth_raw / 1024:.0f} KB raw, "
        f"{synth_gz / 1024:.0f} KB gzipped"
    )
    return 0


def measure_set(driver, urls: dict[str, str], questions: QuestionSet, args, data=None):
    """Each method's row on one question set, and its times to the first result."""
    rows, latency = {}, {}
    for name, url in urls.items():
        rows[name], latency[name] = measure(driver, name, url, questions, args.show, data)
    if len(urls) > 1:
        rows["Ctrl+F substring over scripts"] = {
            "customer": metrics(questions.substring, questions.customer_ids),
            "lookup": None,
            "none": None,
        }
    return rows, latency


def measure_in_browser(question_sets: list[QuestionSet], args) -> dict[str, tuple[dict, dict]]:
    """Each set's table, measured by typing into the built sites in headless Chromium."""
    tables: dict[str, tuple[dict, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="search-bench-") as work:
        product_site, baseline_site = Path(work) / "product", Path(work) / "baseline"
        build_site(ROOT / "mkdocs.yml", site_dir=product_site)
        urls = {"this site: answer search": serve(product_site)}
        if not args.answers_only:
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    BASELINE_BUILD,
                    str(ROOT / "mkdocs.yml"),
                    str(baseline_site),
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            urls["today: finder + Material + jieba"] = serve(build_today(args.today, Path(work)))
            urls["Material search, no jieba, no user dict"] = serve(baseline_site)
        driver = browser()
        try:
            for questions in question_sets:
                tables[str(questions)] = measure_set(driver, urls, questions, args)
        finally:
            driver.quit()
    return tables


def print_summary(tables: dict[str, tuple[dict, dict]]) -> None:
    """The answer search's row of every set, one line a set."""
    print("\n| set | customers r@1 / r@5 | look-ups r@1 / r@5 | nothing found |")
    print("|---|---:|---:|---:|")
    for title, (rows, _) in tables.items():
        row = next(row for name, row in rows.items() if name.startswith("this site"))
        (c1, c5, _), (l1, l5, _) = row["customer"], row["lookup"]
        name = title.partition(":")[0]
        print(f"| {name} | {c1:.2f} / {c5:.2f} | {l1:.2f} / {l5:.2f} | {row['none']:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
