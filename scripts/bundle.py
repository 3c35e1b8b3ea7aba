#!/usr/bin/env python3
"""
An offline bundle: everything a machine with no network needs to install and run the app.

Usage (on a connected machine, from the repository)::

    .venv/bin/python scripts/bundle.py [--out dist] [--platform manylinux2014_x86_64 --python-version 3.11]
    .venv/bin/python scripts/bundle.py --check dist/gxland-offline-….tar.gz   # install it with no network

The archive ``gxland-offline-<commit>-<python>-<platform>.tar.gz`` holds

- ``app/``      the repository's tracked files at HEAD (``git archive``) and the map assets
                (``static/vendor``, fetched from the npm registry by ``make setup``);
- ``wheels/``   a wheel for every runtime requirement (requirements.txt above its ``# Tests``
                section) for the target Python and platform — by default this machine's, built
                with ``pip wheel`` (pure-Python sources become wheels); for another target,
                ``pip download --only-binary=:all: --platform … --python-version …``;
- ``fonts/``    the CJK font the reports draw Chinese with (Debian's Noto Sans CJK, SIL OFL 1.1)
                when this machine has it;
- ``sample/``   the sample workspace (``python -m geo sample``);
- ``install.sh`` which checks the Python version, makes ``app/.venv`` from ``wheels/`` only
                (``pip --no-index``), puts the fonts where the reports look (``app/fonts``), and
                copies the sample into ``app/workspace`` only when that folder does not exist —
                a bureau's data is never written over. Then ``cd app && make run``.

``--check`` unpacks an archive into a temporary folder, runs ``install.sh`` with the network
cut off (``unshare -n``, as root; otherwise pip is pointed at an unroutable index), and then,
still offline, reads the sample with the installed app (``python -m geo idle``) and starts the
app until its health check answers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where the reports look for a bundled CJK font first (reports/fonts.py).
FONT_DIR_NAME = "fonts"
#: Fonts copied when present (Debian fonts-noto-cjk); the first found is enough.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)
FONT_LICENCE = "/usr/share/doc/fonts-noto-cjk/copyright"
#: Pythons the app supports (the Makefile checks the same range).
SUPPORTED = ((3, 11), (3, 13))

INSTALL_SH = """#!/usr/bin/env bash
# Installs the bundled app with no network: a virtualenv from wheels/ only, the fonts, the sample.
set -euo pipefail
cd "$(dirname "$0")"
PY="${{PYTHON:-python3}}"
want="{python_version}"
have="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  echo "本安装包为 Python $want 构建，当前为 ${{have:-未找到 Python}}。请安装 Python $want 后用 PYTHON=python$want ./install.sh 重试。" >&2
  echo "This bundle was built for Python $want; found ${{have:-no Python}}. Run PYTHON=python$want ./install.sh" >&2
  exit 2
fi
if [ -x app/.venv/bin/python ] && ! app/.venv/bin/python -c 'import sys' >/dev/null 2>&1; then
  rm -rf app/.venv   # a broken virtualenv (e.g. made by another Python) is rebuilt, never kept
fi
"$PY" -m venv app/.venv
app/.venv/bin/python -m pip install --quiet --no-index --find-links wheels -r runtime-requirements.txt
# The Makefile's set-up is satisfied: nothing is fetched again by `make run`.
touch app/.venv/.installed
touch app/static/vendor/manifest.json
if [ -d fonts ] && ls fonts/*.ttc >/dev/null 2>&1; then
  mkdir -p app/fonts && cp -n fonts/* app/fonts/
fi
if [ ! -e app/workspace ]; then
  cp -r sample app/workspace
else
  echo "app/workspace 已存在，保留原数据（未复制样例）。 app/workspace exists: kept as it is."
fi
echo "安装完成：cd app && make run    Installed: cd app && make run"
"""


def runtime_requirements(text: str) -> list[str]:
    """The requirement lines above the ``# Tests`` section (what the app needs to run)."""
    out = []
    for line in text.splitlines():
        if line.strip().lower().startswith("# tests"):
            break
        req = line.split("#", 1)[0].strip()
        if req:
            out.append(req)
    return out


def _run(cmd: list[str], **kwargs) -> None:
    print("+", " ".join(map(str, cmd)), file=sys.stderr)
    subprocess.run(cmd, check=True, **kwargs)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "worktree"


def build(out_dir: Path, *, platform: str | None, python_version: str | None) -> Path:
    """Build the archive into ``out_dir``; returns its path."""
    vendor = ROOT / "static" / "vendor" / "manifest.json"
    if not vendor.is_file():
        raise SystemExit("static/vendor 缺失：请先运行 make setup（需要联网）。 Run `make setup` first.")
    py = python_version or f"{sys.version_info.major}.{sys.version_info.minor}"
    plat = platform or sysconfig.get_platform().replace("-", "_").replace(".", "_")
    name = f"gxland-offline-{_commit()}-py{py}-{plat}"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bundle-") as tmp:
        stage = Path(tmp) / name
        app = stage / "app"
        app.mkdir(parents=True)
        # The tracked files at HEAD (never a user's workspace or a virtualenv).
        archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(app, filter="data")
        shutil.copytree(ROOT / "static" / "vendor", app / "static" / "vendor", dirs_exist_ok=True)
        reqs = runtime_requirements((ROOT / "requirements.txt").read_text(encoding="utf-8"))
        (stage / "runtime-requirements.txt").write_text("\n".join(reqs) + "\n", encoding="utf-8")
        wheels = stage / "wheels"
        pip = [sys.executable, "-m", "pip"]
        if platform or python_version:
            _run([*pip, "download", "--quiet", "--only-binary=:all:", "--platform", plat, "--python-version", py,
                  "--implementation", "cp", "-d", str(wheels), "-r", str(stage / "runtime-requirements.txt")])
        else:
            _run([*pip, "wheel", "--quiet", "-w", str(wheels), "-r", str(stage / "runtime-requirements.txt")])
        # pip, setuptools and wheel for the target's own virtualenv upgrades are not needed:
        # `python -m venv` brings a pip that installs wheels.
        fonts = [Path(p) for p in FONT_CANDIDATES if Path(p).is_file()]
        if fonts:
            (stage / FONT_DIR_NAME).mkdir()
            shutil.copy2(fonts[0], stage / FONT_DIR_NAME / fonts[0].name)
            if Path(FONT_LICENCE).is_file():
                shutil.copy2(FONT_LICENCE, stage / FONT_DIR_NAME / "LICENSE-noto-cjk.txt")
        else:
            print("warning: no Noto CJK font on this machine: the bundle has none (reports draw no Chinese "
                  "map labels until one is installed)", file=sys.stderr)
        _run([sys.executable, "-m", "geo", "sample", "--out", str(stage / "sample")], cwd=ROOT)
        (stage / "install.sh").write_text(INSTALL_SH.format(python_version=py), encoding="utf-8")
        (stage / "install.sh").chmod(0o755)
        target = out_dir / f"{name}.tar.gz"
        tmp_target = target.with_suffix(".part")
        with tarfile.open(tmp_target, "w:gz") as tar:
            tar.add(stage, arcname=name)
        tmp_target.replace(target)
    print(target)
    return target


def _offline_prefix() -> tuple[list[str], dict]:
    """A command prefix that cuts the network off (``unshare -n``), or pip pointed nowhere."""
    env = dict(os.environ)
    env["PIP_INDEX_URL"] = "http://127.0.0.1:9/simple"  # nothing listens there: any fetch fails
    env["PIP_NO_INDEX"] = "1"
    env.pop("VIRTUAL_ENV", None)
    if os.geteuid() == 0 and shutil.which("unshare") and subprocess.run(
            ["unshare", "-n", "true"], capture_output=True).returncode == 0:
        # A new network namespace has only a loopback, and that one down: bring it up (the
        # health check talks to the app over it); nothing else is reachable.
        return ["unshare", "-n", "bash", "-c", 'ip link set lo up 2>/dev/null || true; exec "$@"', "_"], env
    return [], env


def check(archive: Path, *, keep: Path | None = None) -> None:
    """Install ``archive`` with no network in a clean folder and run the app from it."""
    prefix, env = _offline_prefix()
    with tempfile.TemporaryDirectory(prefix="bundle-check-") as tmp:
        where = keep or Path(tmp)
        with tarfile.open(archive) as tar:
            tar.extractall(where, filter="data")
        top = next(p for p in where.iterdir() if p.is_dir())
        _run([*prefix, "bash", str(top / "install.sh")], env=env)
        app = top / "app"
        py = app / ".venv" / "bin" / "python"
        out = Path(tmp) / "idle.csv"
        where_parcels = "import pathlib; from geo.workspace import Workspace; " \
                        "print(Workspace(pathlib.Path('workspace')).parcels_path)"
        parcels = subprocess.run([str(py), "-c", where_parcels], cwd=app, env=env, check=True, capture_output=True,
                                 text=True).stdout.strip()
        _run([*prefix, str(py), "-m", "geo", "idle", str(app / parcels), "--as-of", date.today().isoformat(), "-o",
              str(out)], cwd=app, env=env)
        assert out.stat().st_size > 0
        # The app starts and answers its health check, offline.
        port = 8765
        server = subprocess.Popen(
            [*prefix, "bash", "-c",
             f"{app / '.venv' / 'bin' / 'streamlit'} run app.py --server.headless true --server.port {port} "
             f"& pid=$!; for i in $(seq 1 120); do "
             f"python3 -c 'import urllib.request,sys; urllib.request.urlopen(\"http://127.0.0.1:{port}/_stcore/health\", timeout=1)' "
             f"2>/dev/null && {{ echo HEALTHY; kill $pid; exit 0; }}; sleep 1; done; kill $pid; exit 1"],
            cwd=app, env={**env, "GXLAND_WORKSPACE": str(app / "workspace")}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        output, _ = server.communicate(timeout=300)
        if server.returncode != 0 or "HEALTHY" not in output:
            raise SystemExit(f"the installed app did not answer its health check:\n{output[-3000:]}")
    print(f"ok: {archive.name} installs and runs with no network", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "dist", help="folder for the archive (default dist/)")
    ap.add_argument("--platform", help="target platform tag, e.g. manylinux2014_x86_64 (default: this machine)")
    ap.add_argument("--python-version", help="target Python, e.g. 3.11 (default: this one)")
    ap.add_argument("--check", type=Path, metavar="ARCHIVE", help="install ARCHIVE offline and run it")
    args = ap.parse_args(argv)
    if args.check:
        check(args.check)
        return 0
    build(args.out, platform=args.platform, python_version=args.python_version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
