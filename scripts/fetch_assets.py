#!/usr/bin/env python3
"""
Fetch the map's JavaScript/CSS/fonts from the npm registry into ``static/vendor/``.

Usage::

    .venv/bin/python scripts/fetch_assets.py [--dest static/vendor] [--force]

What to fetch is declared in ``layers/assets.py`` (``NPM_FILES``,
``GENERATED_FILES``): the exact versions folium 0.20 names in its CDN URLs.
``npm pack`` downloads each package tarball from the registry and checks its
integrity hash; the wanted files are copied into a staging directory, the two
derived sheets are written, and the staging directory replaces ``--dest`` in
one rename. ``manifest.json`` records packages, integrity and a sha256 per file.

Idempotent: when ``manifest.json`` lists the same packages and every file is
present with its recorded hash, nothing is downloaded. Any failure (npm
missing, registry unreachable, a file absent from a tarball) exits non-zero
with a message and leaves an existing ``--dest`` untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from layers.assets import GENERATED_FILES, NPM_FILES, VENDOR_DIR, missing_assets  # noqa: E402

MANIFEST = "manifest.json"
GLYPHICONS_SOURCE = ("bootstrap@3.4.1", "package/dist/css/bootstrap.css")


class FetchError(RuntimeError):
    """Something the user must fix before the map can be served offline."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _packages() -> list[str]:
    specs = [f.package for f in NPM_FILES] + [GLYPHICONS_SOURCE[0]]
    return sorted(set(specs))


def _manifest_ok(dest: Path) -> bool:
    manifest = dest / MANIFEST
    if not manifest.is_file() or missing_assets(dest):
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if data.get("packages", {}).keys() != set(_packages()):
        return False
    files = data.get("files", {})
    if set(data.get("generated", [])) != set(GENERATED_FILES):
        return False
    return bool(files) and all(
        (dest / rel).is_file() and _sha256(dest / rel) == h for rel, h in files.items()
    )


def _npm_pack(spec: str, workdir: Path) -> tuple[Path, str]:
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm not found on PATH: install Node.js/npm (Debian: apt-get install npm)")
    proc = subprocess.run(
        [npm, "pack", spec, "--json", "--pack-destination", str(workdir)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise FetchError(f"npm pack {spec} failed (exit {proc.returncode}):\n{proc.stderr.strip()}")
    try:
        info = json.loads(proc.stdout)[0]
    except (ValueError, IndexError) as exc:
        raise FetchError(f"npm pack {spec}: unexpected output {proc.stdout[:300]!r}") from exc
    tarball = workdir / info["filename"]
    if not tarball.is_file():
        raise FetchError(f"npm pack {spec}: {tarball} was not written")
    return tarball, info.get("integrity", "")


def _extract(tarball: Path, into: Path) -> Path:
    into.mkdir(parents=True)
    with tarfile.open(tarball) as tf:
        tf.extractall(into, filter="data")
    return into


def _copy(root: Path, src: str, dest: Path, spec: str) -> None:
    source = root / src
    if src.endswith("/"):
        if not source.is_dir() or not any(source.iterdir()):
            raise FetchError(f"{spec}: directory {src} missing or empty in the tarball")
        shutil.copytree(source, dest, dirs_exist_ok=True)
    else:
        if not source.is_file():
            raise FetchError(f"{spec}: file {src} missing in the tarball")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)


def glyphicons_css(bootstrap3_css: str) -> str:
    """
    The glyphicon part of bootstrap 3's CSS: its ``@font-face`` and every ``.glyphicon*`` rule.

    Font URLs stay ``../fonts/...``, matching ``glyphicons/fonts/``.
    """
    start = bootstrap3_css.find('@font-face {\n  font-family: "Glyphicons Halflings"')
    if start < 0:
        raise FetchError("bootstrap 3 CSS: the Glyphicons @font-face rule was not found")
    kept = []
    for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", bootstrap3_css[start:]):
        selectors = [s.strip() for s in m.group(1).split(",")]
        if not all(s.startswith((".glyphicon", "@font-face")) for s in selectors):
            break
        kept.append(m.group(0).strip())
    if len(kept) < 100:
        raise FetchError(f"bootstrap 3 CSS: only {len(kept)} glyphicon rules found, expected > 100")
    return (
        "/* Glyphicons rules cut from bootstrap@3.4.1 dist/css/bootstrap.css (MIT) */\n"
        + "\n".join(kept)
        + "\n"
    )


def rotate_css() -> str:
    """``.fa-rotate-N`` for every whole degree, the classes folium.Icon(angle=N) sets."""
    rules = (f".fa-rotate-{n}{{transform:rotate({n}deg)}}" for n in range(360))
    return "/* generated by scripts/fetch_assets.py for folium.Icon(angle=...) */\n" + "\n".join(rules) + "\n"


def fetch(dest: Path, *, force: bool = False) -> bool:
    """
    Populate ``dest``; return False when it was already up to date.

    Raises
    ------
    FetchError
        On any failure; ``dest`` is then left as it was.
    """
    if not force and _manifest_ok(dest):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fetch_assets_", dir=dest.parent) as tmp:
        work = Path(tmp)
        staging = work / "staging"
        staging.mkdir()
        roots: dict[str, Path] = {}
        integrity: dict[str, str] = {}
        for i, spec in enumerate(_packages()):
            print(f"npm pack {spec}", file=sys.stderr)
            tarball, integrity[spec] = _npm_pack(spec, work)
            roots[spec] = _extract(tarball, work / f"pkg{i}")
        for f in NPM_FILES:
            _copy(roots[f.package], f.src, staging / f.dest, f.package)

        spec, src = GLYPHICONS_SOURCE
        css_path = roots[spec] / src
        if not css_path.is_file():
            raise FetchError(f"{spec}: {src} missing in the tarball")
        generated = {
            "glyphicons/css/bootstrap-glyphicons.css": glyphicons_css(css_path.read_text(encoding="utf-8")),
            "folium/leaflet.awesome.rotate.css": rotate_css(),
        }
        if set(generated) != set(GENERATED_FILES):
            raise FetchError("layers/assets.py GENERATED_FILES and scripts/fetch_assets.py disagree")
        for rel, text in generated.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8")

        still_missing = missing_assets(staging)
        if still_missing:
            raise FetchError(f"after fetching, still missing: {', '.join(still_missing)}")
        files = {
            p.relative_to(staging).as_posix(): _sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()
        }
        manifest = {"packages": integrity, "generated": sorted(generated), "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")

        old = work / "old"
        if dest.exists():
            dest.rename(old)
        staging.rename(dest)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dest", type=Path, default=VENDOR_DIR, help="target directory (default: static/vendor)"
    )
    parser.add_argument("--force", action="store_true", help="re-download even when up to date")
    args = parser.parse_args(argv)
    dest = args.dest.resolve()
    try:
        changed = fetch(dest, force=args.force)
    except (FetchError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"fetch_assets: FAILED: {exc}", file=sys.stderr)
        return 1
    if not changed:
        # checked against the tables as they are now: make (whose rule depends on layers/assets.py)
        # then takes the assets as up to date, instead of running this again on every set-up
        (dest / MANIFEST).touch()
    n = len(json.loads((dest / MANIFEST).read_text(encoding="utf-8"))["files"])
    print(f"fetch_assets: {'fetched' if changed else 'up to date'}: {n} files in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
