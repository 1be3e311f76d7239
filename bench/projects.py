"""Many sales centres: ``handbook build --all-projects`` against one build per centre.

``python bench/projects.py [--sizes 1,10,50] [--jobs 2]`` writes, in a
temporary folder, a projects folder of N centres for each size (the two example
centres, then centres generated from the first one, each with its own hotline
and name) and a copy of the project's mkdocs.yml pointing at it (so the
search cache, ``.cache/`` beside mkdocs.yml, lands there too). For each size it
measures, in the same run:

- ``all -j1`` / ``all -jN``: one ``handbook build --all-projects -d DIR``
  process with 1 and with N worker processes, wall time;
- ``separate``: every centre as its own ``handbook build --project ID``
  process, one after another; the 50 separate builds are run once and the
  smaller sizes sum their first centres (the same centres);
- ``per added centre``: the time difference to the previous size divided by
  the centres added, for ``all -j1``, ``all -jN`` and separate builds;
- ``added ÷ separate``: that cost of one more centre in ``--all-projects``
  (``-j1`` / ``-jN``) against the median separate build of one centre;
- ``peak MB``: the largest resident memory of any one process of the run
  (``ru_maxrss`` of the waited-for children, workers included);
- ``output``: the size of all the sites written, in MB.

Every measurement starts with an empty search cache (a first build). Targets:
one more centre costs at most a third of a separate build; 50 centres finish
in under a minute with ``--jobs 2``. Run with the project's virtualenv Python.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDBOOK = Path(sys.executable).parent / "handbook"
EXAMPLES = sorted((ROOT / "projects").glob("*/centre.yml"))


def write_centres(folder: Path, count: int) -> list[str]:
    """``count`` centres in ``folder``: the examples first, then generated ones."""
    ids = []
    template = EXAMPLES[0].read_text("utf-8")
    for index in range(count):
        if index < len(EXAMPLES):
            centre_id, text = EXAMPLES[index].parent.name, EXAMPLES[index].read_text("utf-8")
        else:
            centre_id = f"generated-{index:03d}"
            text = re.sub(r"(?m)^name: .*$", f"name: 示例·生成案场 {index:03d}", template)
            text = re.sub(r"(?m)^  hotline: .*$", f"  hotline: 400-000-{index:04d}", text)
        (folder / centre_id).mkdir(parents=True)
        (folder / centre_id / "centre.yml").write_text(text, "utf-8")
        ids.append(centre_id)
    return ids


def write_config(work: Path, projects_dir: Path) -> Path:
    config = work / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
        f"plugins:\n  handbook:\n    content_dir: {ROOT / 'content'}\n"
        f"    projects_dir: {projects_dir}\n",
        "utf-8",
    )
    return config


def run(arguments: list[str], work: Path) -> float:
    """Wall time of one command, started with an empty search cache."""
    shutil.rmtree(work / ".cache", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        arguments, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work
    )
    return time.perf_counter() - started


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="handbook-projects-"))
    try:
        largest = max(sizes)
        all_ids = write_centres(work / "projects-all", largest)
        config_all = write_config(work, work / "projects-all")
        separate = []
        for centre_id in all_ids:
            out = work / "separate" / centre_id
            command = [str(HANDBOOK), "build", "-f", str(config_all), "--project", centre_id]
            separate.append(run([*command, "-d", str(out)], work))
            print(f"separate {centre_id}: {separate[-1]:.1f} s", file=sys.stderr)
        separate_peak = peak_mb()
        rows = []
        for size in sizes:
            projects_dir = work / f"projects-{size}"
            write_centres(projects_dir, size)
            config = write_config(work, projects_dir)
            times = {}
            for jobs in (1, options.jobs):
                out = work / f"all-{size}-j{jobs}"
                command = [str(HANDBOOK), "build", "-f", str(config), "--all-projects"]
                times[jobs] = run([*command, "-j", str(jobs), "-d", str(out)], work)
                print(f"all {size} -j{jobs}: {times[jobs]:.1f} s", file=sys.stderr)
            rows.append(
                {
                    "size": size,
                    "all1": times[1],
                    "allN": times[options.jobs],
                    "separate": sum(separate[:size]),
                    "output": folder_mb(work / f"all-{size}-j1"),
                }
            )
        one_separate = statistics.median(separate)
        jobs = options.jobs
        print(
            f"\n| centres | all -j1 | all -j{jobs} | separate | per added centre -j1 / -j{jobs} / "
            f"separate | added ÷ separate -j1 / -j{jobs} | output MB |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|")
        previous = None
        for row in rows:
            if previous is None:
                added, ratio = "–", "–"
            else:
                more = row["size"] - previous["size"]
                costs = [(row[k] - previous[k]) / more for k in ("all1", "allN", "separate")]
                added = " / ".join(f"{cost:.2f} s" for cost in costs)
                ratio = " / ".join(f"{cost / one_separate:.2f}" for cost in costs[:2])
            print(
                f"| {row['size']} | {row['all1']:.1f} s | {row['allN']:.1f} s | "
                f"{row['separate']:.1f} s | {added} | {ratio} | {row['output']:.1f} |"
            )
            previous = row
        print(
            f"\nseparate build of one centre: median {one_separate:.2f} s "
            f"(min {min(separate):.2f}, max {max(separate):.2f}, {len(separate)} builds)"
        )
        print(
            f"peak resident memory of one process: {separate_peak:.0f} MB over the separate "
            f"builds, {peak_mb():.0f} MB over the whole run"
        )
        print(f"machine: {os.cpu_count()} cores; targets: added ÷ separate ≤ 0.33, ", end="")
        fifty = next((row for row in rows if row["size"] == 50), None)
        print(
            f"50 centres with -j{jobs} < 60 s"
            + (f" (measured {fifty['allN']:.1f} s)" if fifty else " (50 not measured)")
        )
    finally:
        if options.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
