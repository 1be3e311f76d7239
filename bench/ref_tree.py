"""A git ref's tree, built with its own generator: today's search, another commit's pages.

The tree may predate the stage subpackages (``generator/plugin.py`` rather than
``generator/site/plugin.py``); the plugin name ``handbook`` is pointed at the tree's
own plugin either way, since the installed entry point names this tree's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUILD = """
import importlib
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

tree, site = Path(sys.argv[1]), Path(sys.argv[2])
sys.path.insert(0, str(tree))
stage = "" if (tree / "generator" / "plugin.py").exists() else "site."
from mkdocs import plugins

installed = plugins.get_plugins()
plugin = EntryPoint("handbook", f"generator.{stage}plugin:HandbookPlugin", "mkdocs.plugins")
plugins.get_plugins = lambda: {**installed, "handbook": plugin}
build = importlib.import_module(f"generator.{stage}build")
assert build.__file__.startswith(str(tree)), build.__file__
build.build_site(tree / "mkdocs.yml", site_dir=site)
"""


def extract(ref: str, tree: Path) -> Path:
    """``ref``'s files (git archive) in ``tree``."""
    tree.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def build(tree: Path, site: Path) -> None:
    """Build ``tree``'s site into ``site`` with ``tree``'s own generator, in this venv."""
    subprocess.run(
        [sys.executable, "-c", BUILD, str(tree), str(site)],
        cwd=tree,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
    )
