"""Build speed: the handbook's pipeline against a stock MkDocs + Material + jieba one.

``python bench/build_speed.py [--sizes 100,1000,10000] [--runs 3]`` generates,
for each size N, a content folder with N synthetic reply scripts
(``bench/synth.py``) and measures two pipelines on the same content:

- ours: ``handbook build -f ours.yml --content DIR -d SITE``, where ours.yml
  is the project's mkdocs.yml with absolute paths, written beside the content
  in the temporary folder (so the handbook plugin's search cache,
  ``.cache/`` beside mkdocs.yml, lands there too and never in the project);
- stock: the same pages without the project's optimisations, run by
  ``mkdocs build``: YAML read with PyYAML's pure-Python parser (as
  ``yaml.safe_load`` reads it), every raw HTML block parsed by Markdown
  (``fast_markdown: false``), Material's own search index with jieba and the
  handbook's user dictionary (``fast_search: false``), no cache.

Columns of the table (times are medians of --runs runs):

- ``ours cold`` / ``ours warm`` / ``stock``: wall time of the whole build in a
  fresh subprocess, so Python start-up, imports and the segmenters'
  dictionaries count. Cold: the search cache is deleted first (a first build);
  warm: the cache of the cold build before it is kept (every later build);
- ``stock/ours``: how many times longer the stock build takes, cold and warm;
- ``ms/script``: the cost of one more script, cold: the time difference to the
  previous size divided by the scripts added (linear growth keeps it flat);
- ``RSS``: peak resident memory of the build process in MB (``ru_maxrss``
  from ``os.wait4`` on that one child), ours cold / stock;
- ``index``: ``search/search_index.json`` in KB, ours / stock, raw and
  gzipped (level 9), and ours against the generated Markdown of the pages it
  indexes (pages without ``search: exclude``);
- ``rebuild``: under ``mkdocs serve``, the time from saving one edited script
  file (one reply gets a "。" more) until the server logs "Reloading
  browsers", ours / stock. It includes the file watcher's polling delay
  (MkDocs polls every 0.5 s and waits 0.1 s for more changes); the raw numbers
  also show the rebuild alone ("Detected file changes" → "Reloading browsers")
  and the build time MkDocs logs ("–" when MkDocs dropped that log line as a
  repeat of an earlier one).

The servers are started with ``mkdocs serve -f <temporary mkdocs.yml>``:
``handbook serve`` runs the same MkDocs ``serve()`` but shows only warnings,
so its output never says when a rebuild has finished.

Everything is written under one temporary folder in /tmp, removed at the end
(``--keep`` keeps it). Child processes get TMPDIR inside it, so jieba's cache
and MkDocs' serve folders are removed too; jieba's cache is built once before
the first measurement. Run with the project's virtualenv Python (the one whose
``bin/`` holds ``handbook`` and ``mkdocs``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synthesize  # noqa: E402

from generator.content.load import load_handbook  # noqa: E402
from generator.render.markdown import render  # noqa: E402

SERVE_TIMEOUT = 900.0
SETTLE_SECONDS = 1.5

# The stock pipeline's `mkdocs`: YAML through PyYAML's pure-Python parser.
STOCK_MKDOCS = """\
import sys, yaml
import generator.content.yamlfile
generator.content.yamlfile.SafeLoader = yaml.SafeLoader
from mkdocs.__main__ import cli
sys.argv[0] = "mkdocs"
cli()
"""


# --- configuration --------------------------------------------------------


def write_config(target: Path, content_dir: Path, *, stock: bool) -> Path:
    """The project's mkdocs.yml with absolute paths; with ``stock``, no optimisation.

    The file is edited as text: it holds ``!!python/name`` tags that a plain
    YAML round trip would lose.
    """
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = replace_line(text, r"^docs_dir:.*$", f"docs_dir: {ROOT / 'docs'}")
    text = replace_line(text, r"^(\s+)content_dir:.*$", rf"\g<1>content_dir: {content_dir}")
    if stock:
        text = re.sub(r"^\s+fast_(?:search|markdown):.*\n", "", text, flags=re.MULTILINE)
        switches = r"\g<1>\g<2>\n\g<1>fast_search: false\n\g<1>fast_markdown: false"
        text = replace_line(text, r"^(\s+)(content_dir:.*)$", switches)
    custom_dir = re.search(r"^(\s+custom_dir:\s*)(\S+)$", text, flags=re.MULTILINE)
    if custom_dir:
        absolute = custom_dir.group(1) + str(ROOT / custom_dir.group(2))
        text = text.replace(custom_dir.group(0), absolute, 1)
    target.write_text(text, encoding="utf-8")
    return target


def indexed_markdown_bytes(pages: dict[str, str]) -> int:
    """Bytes of the generated Markdown of every page the search index covers."""
    excluded = re.compile(r"^search:\n\s+exclude: true$", flags=re.MULTILINE)
    return sum(len(page.encode("utf-8")) for page in pages.values() if not excluded.search(page))


def replace_line(text: str, pattern: str, replacement: str) -> str:
    """``text`` with the first line matching ``pattern`` replaced; it must match."""
    text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise SystemExit(f"mkdocs.yml: no line matches {pattern!r}; update write_config")
    return text


# --- builds ---------------------------------------------------------------


def timed_run(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run ``command`` to completion; return (wall seconds, peak RSS in MB)."""
    with open(log, "wb") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{tail}")
    return seconds, usage.ru_maxrss / 1024


def index_size(site: Path) -> tuple[int, int]:
    """Bytes of search/search_index.json, raw and gzipped."""
    data = (site / "search" / "search_index.json").read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9))


def same_index(one: Path, other: Path) -> bool:
    """Whether two sites' search indexes hold the same entries and tokens."""
    one_index, other_index = (
        json.loads((site / "search" / "search_index.json").read_bytes()) for site in (one, other)
    )
    return one_index == other_index


# --- serve ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_lines(stream, lines: queue.Queue) -> None:
    """Put (monotonic time, line) for every line of ``stream`` into ``lines``."""
    for line in stream:
        lines.put((time.monotonic(), line.rstrip()))
    lines.put((time.monotonic(), None))


def next_line(lines: queue.Queue, seen: list[tuple[float, str]], deadline: float) -> str:
    """The server's next line (also added to ``seen``); stop if it fails or falls silent."""
    try:
        stamp, line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        message = f"serve: no finished build within {SERVE_TIMEOUT:.0f} s"
        raise SystemExit(message + recent(seen)) from None
    if line is None:
        raise SystemExit("serve: the server stopped" + recent(seen))
    seen.append((stamp, line))
    if "ERROR" in line or "Aborted" in line:
        raise SystemExit("serve: the build failed" + recent(seen))
    return line


def recent(seen: list[tuple[float, str]]) -> str:
    """The last lines of the server, with times, for error messages."""
    return ":\n" + "\n".join(f"{stamp:10.3f} {line[:200]}" for stamp, line in seen[-30:])


def time_one_edit(lines: queue.Queue, seen: list[tuple[float, str]], edited: Path) -> dict:
    """Edit ``edited`` and wait for the rebuild that includes the edit.

    That is the first build whose "Building documentation..." comes after the
    save; a rebuild already under way when the file was saved is skipped.
    MkDocs drops a log message equal to an earlier one, so "Documentation built
    in 0.83 seconds" is missing when a build takes as long as an earlier one:
    it is reported when present, never waited for.
    """
    while not lines.empty():  # forget what the server said before the edit
        next_line(lines, seen, time.monotonic())
    edit_reply(edited)
    saved = time.monotonic()
    deadline = saved + SERVE_TIMEOUT
    detected = building = built = None
    while True:
        line = next_line(lines, seen, deadline)
        stamp = seen[-1][0]
        if "Detected file changes" in line:
            detected = stamp
        elif "Building documentation" in line:
            building, built = stamp, None
        elif "Documentation built in" in line:
            built = float(re.search(r"built in ([\d.]+) seconds", line).group(1))
        elif "Reloading browsers" in line and building is not None:
            return {
                "total": stamp - saved,
                "rebuild": stamp - (detected if detected is not None else building),
                "build": built,
            }


def edit_reply(file: Path) -> None:
    """Add "。" to the first reply of ``file`` (before a closing quote, if any)."""
    text = file.read_text(encoding="utf-8")
    match = re.search(r"^(\s+reply: )(.*?)(['\"]?)$", text, flags=re.MULTILINE)
    if match is None:
        raise SystemExit(f"{file}: no reply to edit")
    edited = match.group(1) + match.group(2) + "。" + match.group(3)
    file.write_text(text[: match.start()] + edited + text[match.end() :], encoding="utf-8")


def serve_rebuilds(
    mkdocs: list[str], config: Path, edited: Path, runs: int, env: dict[str, str]
) -> list[dict]:
    """Start ``mkdocs serve``, edit ``edited`` ``runs`` times, time each rebuild."""
    address = f"127.0.0.1:{free_port()}"
    command = [*mkdocs, "serve", "-f", str(config), "-a", address]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(server.stdout, lines), daemon=True).start()
    seen: list[tuple[float, str]] = []
    results = []
    try:
        started = time.monotonic()
        while "Serving on" not in next_line(lines, seen, started + SERVE_TIMEOUT):
            pass
        first_build = seen[-1][0] - started
        for _ in range(runs):
            time.sleep(SETTLE_SECONDS)
            results.append({**time_one_edit(lines, seen, edited), "startup": first_build})
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return results


# --- one size -------------------------------------------------------------


def measure(
    size: int, runs: int, root: Path, env: dict[str, str], serve: bool, source: Path
) -> dict:
    folder = root / f"n{size}"
    content = folder / "content"
    print(f"[{size}] generating content", file=sys.stderr, flush=True)
    files = synthesize(size, content, content=source)
    ours_config = write_config(folder / "ours.yml", content, stock=False)
    stock_config = write_config(folder / "stock.yml", content, stock=True)
    ours_site, stock_site = folder / "site-ours", folder / "site-stock"
    ours = [str(BIN / "handbook"), "build", "-f", str(ours_config)]
    ours += ["--content", str(content), "-d", str(ours_site)]
    stock_mkdocs = [sys.executable, "-c", STOCK_MKDOCS]
    stock = [*stock_mkdocs, "build", "-q", "-f", str(stock_config), "-d", str(stock_site)]
    cache = folder / ".cache"

    result: dict = {"size": size, "cold": [], "warm": [], "stock": []}
    for run in range(runs):
        for name, command in (("cold", ours), ("warm", ours), ("stock", stock)):
            print(f"[{size}] build {name} {run + 1}/{runs}", file=sys.stderr, flush=True)
            if name == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            result[name].append(timed_run(command, env, folder / f"{name}.log"))
            if name == "cold" and not cache.exists():
                print(f"note: no search cache in {cache}; cold = warm", file=sys.stderr)
    result["same_index"] = same_index(ours_site, stock_site)
    result["index_ours"] = index_size(ours_site)
    result["index_stock"] = index_size(stock_site)
    result["markdown"] = indexed_markdown_bytes(render(load_handbook(content).handbook))
    if serve:
        edited = files[0]
        servers = (
            ("ours", [str(BIN / "mkdocs")], ours_config),
            ("stock", stock_mkdocs, stock_config),
        )
        for name, mkdocs, config in servers:
            print(f"[{size}] serve {name}: {runs} edit(s)", file=sys.stderr, flush=True)
            result[f"serve_{name}"] = serve_rebuilds(mkdocs, config, edited, runs, env)
    shutil.rmtree(folder, ignore_errors=True)
    return result


# --- report ---------------------------------------------------------------


def median_of(pairs: list[tuple[float, float]], index: int) -> float:
    return statistics.median(pair[index] for pair in pairs)


def kb(size: int) -> str:
    return f"{size / 1024:,.0f}"


def rebuild(result: dict, name: str) -> str:
    serve = result.get(f"serve_{name}")
    return f"{statistics.median(x['total'] for x in serve):.2f}" if serve else "–"


def table(results: list[dict]) -> str:
    header = [
        "N",
        "ours cold (s)",
        "ours warm (s)",
        "stock (s)",
        "stock/ours cold",
        "stock/ours warm",
        "ms/script cold",
        "RSS MB ours / stock",
        "index KB ours / stock",
        "index KB gz ours / stock",
        "index / Markdown raw, gz",
        "rebuild s ours / stock",
    ]
    rows, previous = [], None
    for r in results:
        cold, warm, stock = (median_of(r[name], 0) for name in ("cold", "warm", "stock"))
        (ours_raw, ours_gz), (stock_raw, stock_gz) = r["index_ours"], r["index_stock"]
        if previous is None:
            per_script = "–"
        else:
            added = r["size"] - previous["size"]
            per_script = f"{(cold - median_of(previous['cold'], 0)) / added * 1000:.2f}"
        rows.append(
            [
                f"{r['size']:,}",
                f"{cold:.2f}",
                f"{warm:.2f}",
                f"{stock:.2f}",
                f"{stock / cold:.1f}×",
                f"{stock / warm:.1f}×",
                per_script,
                f"{median_of(r['cold'], 1):.0f} / {median_of(r['stock'], 1):.0f}",
                f"{kb(ours_raw)} / {kb(stock_raw)}",
                f"{kb(ours_gz)} / {kb(stock_gz)}",
                f"{ours_raw / r['markdown']:.2f}×, {ours_gz / r['markdown']:.3f}×",
                f"{rebuild(r, 'ours')} / {rebuild(r, 'stock')}",
            ]
        )
        previous = r
    lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def raw_numbers(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines.append(f"N={r['size']}")
        for name in ("cold", "warm", "stock"):
            times = ", ".join(f"{t:.2f}" for t, _ in r[name])
            rss = ", ".join(f"{m:.0f}" for _, m in r[name])
            lines.append(f"  build {name:5} s: [{times}]  RSS MB: [{rss}]")
        for name in ("ours", "stock"):
            raw, packed = r[f"index_{name}"]
            lines.append(f"  index {name:5}: {raw:,} bytes raw, {packed:,} gzip")
        lines.append(f"  Markdown of the indexed pages: {r['markdown']:,} bytes")
        same = "yes" if r["same_index"] else "NO: the optimised index differs"
        lines.append(f"  index entries and tokens equal to stock: {same}")
        for name in ("ours", "stock"):
            for x in r.get(f"serve_{name}", []):
                built = "–" if x["build"] is None else f"{x['build']:.2f}"
                lines.append(
                    f"  serve {name:5}: save→reload {x['total']:.2f} s, "
                    f"detected→reload {x['rebuild']:.2f} s, MkDocs 'built in' {built} s "
                    f"(first build + start {x['startup']:.1f} s)"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated script counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve rebuilds")
    parser.add_argument(
        "--source", type=Path, default=ROOT / "content", help="content to copy the rest from"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    for tool in ("handbook", "mkdocs"):
        if not (BIN / tool).exists():
            parser.error(f"{BIN / tool} not found: run this with the project's virtualenv Python")

    # On SIGTERM, still stop the servers and remove the temporary folder.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    root = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    (root / "tmp").mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(root / "tmp")}
    try:
        # jieba caches its parsed dictionary in TMPDIR; build that cache before timing.
        subprocess.run(
            [sys.executable, "-c", "import jieba; jieba.initialize()"],
            env=env,
            check=True,
            capture_output=True,
        )
        results = [
            measure(size, args.runs, root, env, not args.no_serve, args.source) for size in sizes
        ]
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(table(results))
    print()
    print(raw_numbers(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
