"""Third-party browser assets, fetched at install time and served by the site itself.

Material for MkDocs loads Mermaid from a public CDN unless a global ``mermaid``
already exists; CDNs are slow or blocked for many readers and absent offline,
so the site serves its own copy. The script is not committed: it is a pinned,
integrity-checked npm package, fetched once into the environment
(``python -m generator.assets``, run by ``make``) and reused by every build.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

MERMAID_VERSION = "11.17.2"
MERMAID_TARBALL = f"https://registry.npmjs.org/mermaid/-/mermaid-{MERMAID_VERSION}.tgz"
MERMAID_INTEGRITY = "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg=="
MERMAID_MEMBER = "package/dist/mermaid.min.js"


class AssetError(Exception):
    pass


def asset_dir() -> Path:
    """Where fetched assets live: ``$HANDBOOK_ASSET_DIR`` or inside the environment."""
    configured = os.environ.get("HANDBOOK_ASSET_DIR")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "handbook-assets"


def mermaid_script() -> Path:
    """The local Mermaid script, fetched and verified on first use."""
    target = asset_dir() / f"mermaid-{MERMAID_VERSION}.min.js"
    if not target.is_file():
        _fetch_mermaid(target)
    return target


def _fetch_mermaid(target: Path) -> None:
    try:
        with urllib.request.urlopen(MERMAID_TARBALL, timeout=120) as response:
            tarball = response.read()
    except OSError as error:
        raise AssetError(
            f"cannot fetch Mermaid {MERMAID_VERSION} ({error}); run `make site` once with "
            "access to the npm registry, or set HANDBOOK_ASSET_DIR to a folder holding "
            f"{target.name}"
        ) from None
    algorithm, expected = MERMAID_INTEGRITY.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise AssetError(f"Mermaid {MERMAID_VERSION} download failed its integrity check")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        script = archive.extractfile(MERMAID_MEMBER)
        if script is None:
            raise AssetError(f"{MERMAID_MEMBER} missing from the Mermaid package")
        data = script.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)


if __name__ == "__main__":
    try:
        print(mermaid_script())
    except AssetError as error:
        sys.exit(f"error: {error}")
