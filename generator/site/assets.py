"""Third-party browser scripts, fetched at install time and served by the site itself.

Material for MkDocs loads the iframe-worker shim of the offline copy from a
public CDN unless it is provided locally; CDNs are slow or blocked for many
readers and absent offline, so the site serves its own copy. They are not committed: each is a pinned, integrity-checked
npm package, fetched once into the environment (``python -m generator.site.assets``,
run by ``make``) and reused by every build.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    integrity: str
    """The registry's ``dist.integrity`` of the package tarball."""
    member: str
    """The file to serve, inside the tarball."""

    @property
    def filename(self) -> str:
        return f"{self.package}-{self.version}-{Path(self.member).name}"


IFRAME_WORKER = Asset(
    "iframe-worker",
    "1.0.4",
    "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
    "package/shim/index.js",
)
AXE = Asset(
    "axe-core",
    "4.14.1",
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    "package/axe.min.js",
)
"""The accessibility checker the tests run in the browser; never served by the site."""
ASSETS = (IFRAME_WORKER, AXE)


class AssetError(Exception):
    pass


def asset_dir() -> Path:
    """Where fetched assets live: ``$HANDBOOK_ASSET_DIR`` or inside the environment."""
    configured = os.environ.get("HANDBOOK_ASSET_DIR")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "handbook-assets"


def local_path(asset: Asset) -> Path:
    """The local copy of ``asset``, fetched and verified on first use."""
    target = asset_dir() / asset.filename
    if not target.is_file():
        _fetch(asset, target)
    return target


def _fetch(asset: Asset, target: Path) -> None:
    url = f"{REGISTRY}/{asset.package}/-/{asset.package}-{asset.version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            tarball = response.read()
    except OSError as error:
        raise AssetError(
            f"cannot fetch {asset.package} {asset.version} ({error}); run `make site` once "
            "with access to the npm registry, or set HANDBOOK_ASSET_DIR to a folder holding "
            f"{asset.filename}"
        ) from None
    algorithm, expected = asset.integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise AssetError(f"{asset.package} {asset.version} failed its integrity check")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(asset.member)
        if member is None:
            raise AssetError(f"{asset.member} missing from {asset.package} {asset.version}")
        data = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)


if __name__ == "__main__":
    try:
        for asset in ASSETS:
            print(local_path(asset))
    except AssetError as error:
        sys.exit(f"error: {error}")
