"""Page weight: what a first visit to each page costs a phone, this tree against main.

    .venv/bin/python bench/page_weight.py            # this tree vs main's HEAD
    .venv/bin/python bench/page_weight.py --against REF --site-only

Builds this tree's site and the site of ``REF`` (``git archive`` into a temporary
folder, built with this environment), serves each with gzip as a web server
would, and loads every page in headless Chromium with an empty cache. Per page
kind it prints the bytes transferred (gzipped), the script bytes parsed, and the
load time (navigation start to the load event) under a phone profile set through
the DevTools protocol: CPU 4× slower, slow 4G (150 ms round trip, 1.6 Mbit/s
down, 750 kbit/s up); transferred and load as the median and the largest over
the kind's pages. It also prints what opening the search and typing a first
query adds (the search indexes a site loads on first use). Targets (issue 18): a
page without a diagram ≤ 200 KB, a page with one ≤ 350 KB, load ≤ 2.5 s.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ref_tree  # noqa: E402

from generator.site.pdf import HEADLESS_FLAGS  # noqa: E402

SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
CPU_SLOWDOWN = 4
FIRST_SEARCH = "first search (home page)"
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it (as nginx with gzip on)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def kind(path: str) -> str:
    """The page kind a site path belongs to."""
    parts = path.strip("/").split("/")
    if parts == [""]:
        return "home"
    first = parts[0]
    if first == "posts":
        return {"complaints": "complaints (diagram)", "division": "division"}.get(
            parts[1] if len(parts) > 1 else "", "post"
        )
    if first == "goals":
        return "goals (diagram)"
    if first == "scripts":
        return "script index" if len(parts) == 1 else "script category"
    if first == "learn":
        name = parts[1] if len(parts) > 1 else ""
        return "quiz" if name.startswith("quiz-") else "practice" if name == "practice" else "path"
    if first == "checklists":
        return "checklist"
    return "other"


def page_paths(site: Path) -> list[str]:
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if "download" not in p.parts and "assets" not in p.parts
    )


def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium")
    for argument in (*HEADLESS_FLAGS, "--window-size=390,844"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def measure(browser, url: str, phone: bool) -> dict[str, float]:
    """One first visit: bytes on the wire, script bytes, load time in seconds."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.clearBrowserCache", {})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        SLOW_4G
        if phone
        else {**SLOW_4G, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    browser.execute_cdp_cmd(
        "Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN if phone else 1}
    )
    browser.get_log("performance")  # drop earlier events
    browser.get("about:blank")
    browser.get(url)
    browser.execute_async_script(
        "const done = arguments[0];"
        "if (document.readyState === 'complete') setTimeout(done, 300);"
        "else addEventListener('load', () => setTimeout(done, 300));"
    )
    timing = browser.execute_script(
        "const t = performance.getEntriesByType('navigation')[0];"
        "return t.loadEventEnd - t.startTime;"
    )
    return {**traffic(browser), "load": timing / 1000}


def traffic(browser) -> dict[str, int]:
    """Bytes on the wire and script bytes since the performance log was last read."""
    types, encoded, decoded = {}, {}, {}
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        request = params.get("requestId")
        if message["method"] == "Network.responseReceived":
            types[request] = params.get("type")
        elif message["method"] == "Network.dataReceived":
            decoded[request] = decoded.get(request, 0) + params.get("dataLength", 0)
        elif message["method"] == "Network.loadingFinished":
            encoded[request] = params.get("encodedDataLength", 0)
    return {
        "transferred": sum(encoded.values()),
        "script": sum(size for r, size in decoded.items() if types.get(r) == "Script"),
    }


FIRST_QUERY = "车子停哪里"


def first_search(browser, url: str) -> dict[str, float]:
    """What opening the search and typing a first query adds to a first visit (no throttling).

    Both searches' data: the answer index and, once a site defers it, Material's
    full-text index; the time runs from the tap on the search icon until Material's
    own result list has filled.
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    measure(browser, url, phone=False)
    started = time.perf_counter()
    browser.find_element(By.CSS_SELECTOR, 'label[for="__search"]').click()
    browser.find_element(By.CSS_SELECTOR, '[data-md-component="search-query"]').send_keys(
        FIRST_QUERY
    )
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
    )
    seconds = time.perf_counter() - started
    browser.execute_script("return new Promise((done) => setTimeout(done, 300))")
    return {**traffic(browser), "seconds": seconds}


def run_site(site: Path, phone_sample: int) -> dict[str, dict[str, float]]:
    server, base = serve(site)
    browser = driver()
    try:
        by_kind: dict[str, list[dict[str, float]]] = {}
        for path in page_paths(site):
            by_kind.setdefault(kind(path), []).append({"path": path})
        results = {}
        for name, entries in sorted(by_kind.items()):
            rows = [measure(browser, base + entry["path"], phone=False) for entry in entries]
            phone = [
                measure(browser, base + entry["path"], phone=True)["load"]
                for entry in entries[:phone_sample]
            ]
            results[name] = {
                "pages": len(rows),
                "transferred": max(row["transferred"] for row in rows),
                "transferred_median": statistics.median(row["transferred"] for row in rows),
                "script": max(row["script"] for row in rows),
                "load": max(phone) if phone else 0.0,
                "load_median": statistics.median(phone) if phone else 0.0,
            }
        results[FIRST_SEARCH] = first_search(browser, base)
        return results
    finally:
        browser.quit()
        server.shutdown()


def table(ours: dict, theirs: dict | None, label: str) -> str:
    """Per page kind: transferred and phone load as median / max over its pages."""
    kb = lambda value: f"{value / 1024:,.0f}"  # noqa: E731

    def cells(row: dict) -> list[str]:
        return [
            f"{kb(row['transferred_median'])} / {kb(row['transferred'])} KB",
            f"{kb(row['script'])} KB",
            f"{row['load_median']:.2f} / {row['load']:.2f} s",
        ]

    columns = ["transferred (median / max)", "script parsed (max)", "phone load (median / max)"]
    if theirs:
        columns = [f"{column}: {label} → this" for column in columns]
    lines = ["| page kind | pages | " + " | ".join(columns) + " |", "|" + " --- |" * 5]
    for name, row in ours.items():
        if name == FIRST_SEARCH:
            continue
        mine = cells(row)
        if theirs and name in theirs:
            mine = [f"{old} → {new}" for old, new in zip(cells(theirs[name]), mine, strict=True)]
        lines.append(f"| {name} | {row['pages']} | " + " | ".join(mine) + " |")
    search = ours[FIRST_SEARCH]
    line = (
        f"\n{FIRST_SEARCH}, added to the visit: {kb(search['transferred'])} KB transferred, "
        f"{kb(search['script'])} KB script, results after {search['seconds']:.2f} s"
    )
    if theirs:
        old = theirs[FIRST_SEARCH]
        line += (
            f" ({label}: {kb(old['transferred'])} KB, {kb(old['script'])} KB, "
            f"{old['seconds']:.2f} s)"
        )
    lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default="main", help="git ref to compare with (main)")
    parser.add_argument("--site-only", action="store_true", help="measure this tree only")
    parser.add_argument(
        "--phone-pages", type=int, default=3, help="pages per kind loaded under the phone profile"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="page-weight-") as scratch:
        scratch = Path(scratch)
        ref_tree.build(ROOT, scratch / "this-site")
        ours = run_site(scratch / "this-site", args.phone_pages)
        theirs = None
        if not args.site_only:
            ref_tree.build(
                ref_tree.extract(args.against, scratch / "ref-tree"), scratch / "ref-site"
            )
            theirs = run_site(scratch / "ref-site", args.phone_pages)
    print(table(ours, theirs, args.against))
    if args.json:
        args.json.write_text(json.dumps({"this": ours, args.against: theirs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
