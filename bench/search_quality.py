"""Search quality: do customers' own words land on the right reply script?

Builds the real site, types each question of ``bench/search_questions.yml``
into the search box in headless Chromium and reads the results in order:
the reply-script finder's suggestions first, then Material's result list.
Two baselines are measured in the same run:

- Ctrl+F: exact substring search over the scripts' questions and replies,
  what a reader of the Word file gets;
- Material's search alone, built without jieba and without the handbook's
  user dictionary (the stock search of a Chinese Material site).

Prints recall@1, recall@5 and MRR for each. Needs Debian's chromium and
chromium-driver. Usage: ``python bench/search_quality.py [--questions FILE]``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
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

from build_speed import indexed_markdown_bytes  # noqa: E402

from generator.build import build_site  # noqa: E402
from generator.load import load_handbook  # noqa: E402
from generator.pdf import HEADLESS_FLAGS  # noqa: E402
from generator.render import render  # noqa: E402

RESULTS = 10
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


# Milliseconds from the last keystroke until the first result is on screen,
# measured inside the page so WebDriver's round trips do not count.
WATCH_FIRST_RESULT = """
const [selector, done] = [arguments[0], arguments[arguments.length - 1]];
const box = document.querySelector('[data-md-component="search-query"]');
let typed = null;
box.addEventListener("input", () => { typed = performance.now(); });
new MutationObserver((_, observer) => {
  if (typed !== null && document.querySelector(selector)) {
    observer.disconnect();
    window.__firstResultMs = performance.now() - typed;
  }
}).observe(document.body, { childList: true, subtree: true });
done();
"""


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
        meta = driver.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text
        links = [e.get_attribute("href") for e in driver.find_elements(By.CSS_SELECTOR, selectors)]
        snapshot = (meta, tuple(links))
        if snapshot != last:
            last, stable_since = snapshot, time.time()
        elif "初始化" not in meta and time.time() - stable_since >= SETTLE_SECONDS:
            break
        time.sleep(0.1)
    shown = driver.execute_script("return window.__firstResultMs")
    return (list(last[1]) if last else []), (shown if shown is not None else float("nan"))


def script_ids(urls: list[str], known: set[str]) -> list[str]:
    ranked: list[str] = []
    for url in urls:
        fragment = urlsplit(url).fragment
        if fragment in known and fragment not in ranked:
            ranked.append(fragment)
    return ranked


def ctrl_f(query: str, scripts) -> list[str]:
    """Scripts whose question or reply contains the query verbatim, in file order."""
    return [s.id for s in scripts if query in s.question or query in s.reply]


def metrics(rankings: list[list[str]], expected: list[str]) -> tuple[float, float, float]:
    total = len(expected)
    at1 = sum(r[:1] == [e] for r, e in zip(rankings, expected, strict=True)) / total
    at5 = sum(e in r[:5] for r, e in zip(rankings, expected, strict=True)) / total
    mrr = (
        sum(
            1 / (r.index(e) + 1) if e in r[:RESULTS] else 0.0
            for r, e in zip(rankings, expected, strict=True)
        )
        / total
    )
    return at1, at5, mrr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "bench" / "search_questions.yml")
    parser.add_argument("--show", action="store_true", help="Print each question's top results.")
    args = parser.parse_args()

    questions = yaml.safe_load(args.questions.read_text(encoding="utf-8"))["questions"]
    handbook = load_handbook(ROOT / "content").handbook
    known = {script.id for script in handbook.scripts}
    missing = [q["expect"] for q in questions if q["expect"] not in known]
    if missing:
        sys.exit(f"unknown script ids in {args.questions}: {missing}")
    expected = [q["expect"] for q in questions]

    with tempfile.TemporaryDirectory(prefix="search-bench-") as work:
        product_site, baseline_site = Path(work) / "product", Path(work) / "baseline"
        build_site(ROOT / "mkdocs.yml", site_dir=product_site)
        subprocess.run(
            [sys.executable, "-c", BASELINE_BUILD, str(ROOT / "mkdocs.yml"), str(baseline_site)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        product_url, baseline_url = serve(product_site), serve(baseline_site)
        driver = browser()
        try:
            product, baseline, latency = [], [], []
            for question in questions:
                query = question["q"]
                urls, shown = search_results(driver, product_url, query, finder=True)
                product.append(script_ids(urls, known))
                latency.append(shown)
                urls, _ = search_results(driver, baseline_url, query, finder=False)
                baseline.append(script_ids(urls, known))
                if args.show:
                    print(f"{query} → {question['expect']}: {product[-1][:3]} | {baseline[-1][:3]}")
        finally:
            driver.quit()
        index = product_site / "search" / "search_index.json"
        index_bytes = index.read_bytes()
    substring = [ctrl_f(q["q"], handbook.scripts) for q in questions]
    markdown = indexed_markdown_bytes(render(handbook))

    print(f"{len(questions)} questions, {len(known)} scripts")
    print(f"{'method':<44}{'recall@1':>10}{'recall@5':>10}{'MRR':>8}")
    for name, rankings in [
        ("Ctrl+F substring over questions and replies", substring),
        ("Material search, no jieba, no user dict", baseline),
        ("this site: finder + Material search + jieba", product),
    ]:
        at1, at5, mrr = metrics(rankings, expected)
        print(f"{name:<44}{at1:>10.2f}{at5:>10.2f}{mrr:>8.2f}")
    shown = sorted(ms for ms in latency if ms == ms)
    print(
        f"first result shown after the last keystroke: median {statistics.median(shown):.0f} ms,"
        f" slowest {shown[-1]:.0f} ms ({len(shown)} of {len(latency)} queries showed a result)"
    )
    gzipped = len(gzip.compress(index_bytes, 9))
    print(
        f"search index: {len(index_bytes) / 1024:.0f} KB raw ({len(index_bytes) / markdown:.2f}× "
        f"the {markdown / 1024:.0f} KB of Markdown it indexes), {gzipped / 1024:.0f} KB gzipped "
        f"({gzipped / markdown:.2f}×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
