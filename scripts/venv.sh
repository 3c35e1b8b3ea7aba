#!/bin/sh
# The project's virtualenv, checked every time `make setup` runs (`make run` and `make test` too):
#   1. the Python to build it with ($PYTHON) must be a supported version — else stop at once with
#      what to do, before anything is created;
#   2. a virtualenv that is broken or was made by another Python is removed and made again
#      (only $VENV: the workspace is never touched);
#   3. packages are installed when requirements.txt changed since the last install.
# Environment: PYTHON (default python3), VENV (default .venv), PIP_INSTALL=0 to skip step 3.
set -eu

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"
SUPPORTED="3.11 3.12 3.13"
STAMP="$VENV/.installed"

say() { printf '%s\n' "$*" >&2; }

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  say "错误：找不到 Python（$PYTHON）。本系统支持 Python $SUPPORTED。"
  say "  Debian/Ubuntu：apt-get install python3 python3-venv；或指定解释器：make setup PYTHON=/usr/bin/python3.12"
  say "error: no Python ($PYTHON). Supported: Python $SUPPORTED. Install one, or pass PYTHON=/path/to/python3.12."
  exit 1
fi
# Works under any Python (2 included): prints major.minor.
version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo "?")
case " $SUPPORTED " in
  *" $version "*) ;;
  *)
    say "错误：$PYTHON 是 Python $version，本系统支持 Python $SUPPORTED（未创建虚拟环境，未安装任何软件包）。"
    say "  请安装受支持的版本（如 Debian 12：apt-get install python3.11 python3.11-venv；Ubuntu 24.04：python3.12），"
    say "  再运行：make setup PYTHON=python3.11"
    say "error: $PYTHON is Python $version; supported: $SUPPORTED (nothing was created or installed)."
    say "  Install a supported Python and run: make setup PYTHON=python3.11"
    exit 1
    ;;
esac

if [ -e "$VENV" ] || [ -L "$VENV" ]; then
  have=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo "broken")
  if [ "$have" != "$version" ]; then
    if [ "$have" = "broken" ]; then
      say "虚拟环境 $VENV 已损坏，正在重建（工作空间数据不受影响）。"
      say "the virtualenv $VENV is broken: making it again (the workspace is not touched)."
    else
      say "虚拟环境 $VENV 由 Python $have 创建，与 $PYTHON（$version）不符，正在重建（工作空间数据不受影响）。"
      say "the virtualenv $VENV was made by Python $have, not $version: making it again (the workspace is not touched)."
    fi
    rm -rf -- "$VENV"
  fi
fi

fresh=0
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf -- "$VENV"
    say "错误：无法创建虚拟环境。Debian/Ubuntu 须安装 python$version-venv（apt-get install python$version-venv）。"
    say "error: could not make the virtualenv: on Debian/Ubuntu install python$version-venv."
    exit 1
  fi
  fresh=1
fi

[ "${PIP_INSTALL:-1}" = "0" ] && exit 0
want=$(cksum < requirements.txt)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
  # A newer pip where the index is reachable; on an isolated network the bundled one does.
  [ "$fresh" = "1" ] && { "$VENV/bin/python" -m pip install --quiet --upgrade pip 2>/dev/null || true; }
  "$VENV/bin/python" -m pip install --quiet -r requirements.txt
  printf '%s\n' "$want" > "$STAMP"
fi
