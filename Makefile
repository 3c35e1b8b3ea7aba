# make run   — set everything up and start the app on the sample workspace
# make test  — set everything up (incl. Chromium) and run the whole suite
# Supported Python: 3.11, 3.12, 3.13 (scripts/venv.sh checks it before anything is created).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ASSETS := static/vendor/manifest.json
WORKSPACE ?= workspace
PORT ?= 8501
# The address the app listens on: this machine only by default; ADDRESS=0.0.0.0 for the bureau's network.
ADDRESS ?= 127.0.0.1
# App processes: 1 is Streamlit alone; from 2 on, Debian's HAProxy in front of them keeps each
# browser on its process (scripts/serve.py) and a server's every core serves the officers.
WORKERS ?= 1

.PHONY: setup venv run test lint bench sample chromium fonts haproxy postgis pg-start pg-stop clean bundle bundle-check

setup: venv $(ASSETS)

# Every set-up: a supported Python (else stop, saying which and how to get one), a virtualenv that
# works and was made by that Python (else made again — never the workspace), packages up to date.
venv:
	@PYTHON="$(PYTHON)" VENV="$(VENV)" sh scripts/venv.sh

$(STAMP): requirements.txt scripts/venv.sh
	@PYTHON="$(PYTHON)" VENV="$(VENV)" sh scripts/venv.sh

# Leaflet & co. from the npm registry, served by Streamlit: the map needs no CDN.
# After the virtualenv (order only): a re-checked virtualenv does not fetch the assets again.
$(ASSETS): scripts/fetch_assets.py layers/assets.py | $(STAMP)
	$(PY) scripts/fetch_assets.py

# The sample goes only into an empty workspace: a bureau's own data is never written over,
# whatever changed in requirements.txt.
sample: $(STAMP)
	$(PY) -m geo sample --out $(WORKSPACE) --if-empty

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's Noto CJK fonts: the report's map draws its Chinese legend with them (reports/fonts.py).
# An offline install brings its own (fonts/, from the bundle): then nothing is installed.
fonts:
	@ls fonts/*.ttc >/dev/null 2>&1 || dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
	  echo "installing Debian fonts-noto-cjk (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }

# Debian's HAProxy, in front of several app processes (make run WORKERS=2, scripts/serve.py; the
# tests of that set-up and the benchmark's --workers).
haproxy:
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || { \
	  echo "installing Debian haproxy (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }

# Debian's PostgreSQL + PostGIS for the store tests: the test session starts a throwaway server of its
# own (scripts/pg.sh, tests/conftest.py) and stops it at the end; nothing is left running.
postgis:
	@dpkg -s postgresql-15-postgis-3 >/dev/null 2>&1 && dpkg -s postgresql-15 >/dev/null 2>&1 || { \
	  echo "installing Debian postgresql + postgresql-15-postgis-3 (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-15-postgis-3 >/dev/null; }

# A throwaway PostGIS server for trying the app on it (unix socket in PG_DIR, no TCP):
#   make pg-start → prints GXLAND_DATABASE_URL=…; make pg-stop removes it. Not for production (README: PostGIS).
PG_DIR ?= /tmp/gxland-pg-dev
pg-start: postgis
	@scripts/pg.sh start $(PG_DIR) | sed 's/^/GXLAND_DATABASE_URL=/'

pg-stop:
	scripts/pg.sh stop $(PG_DIR)

# The first admin (when the workspace has none) gets a random password in
# $(WORKSPACE)/initial-admin-password.txt (mode 600), to be changed at the first login.
run: setup sample fonts $(if $(filter 1,$(WORKERS)),,haproxy)
	$(PY) -m geo user --workspace $(WORKSPACE) init
	GXLAND_WORKSPACE=$(WORKSPACE) $(PY) scripts/serve.py --workers $(WORKERS) --address $(ADDRESS) --port $(PORT)

# GXLAND_PG_REQUIRED: the PostGIS tests fail (not skip) when the server cannot be started.
# The suite on both cores (pytest-xdist; each worker starts its own throwaway PostGIS), then the
# browser tests one at a time (each starts the app and a Chromium), then the offline bundle.
test: setup sample chromium fonts haproxy postgis
	$(VENV)/bin/ruff check .
	GXLAND_PG_REQUIRED=1 $(VENV)/bin/pytest -n 2 --ignore=tests/browser
	GXLAND_PG_REQUIRED=1 $(VENV)/bin/pytest tests/browser
	$(MAKE) bundle-check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

# The app in Chromium (bench/app.py): 5k and 50k parcels by default; 250k on request, e.g.
# make bench BENCH_APP_ARGS="--sizes 5000 50000 250000" (about 15 min more on 2 cores).
BENCH_APP_ARGS ?=
bench: setup chromium haproxy
	$(PY) bench/idle.py
	$(PY) bench/intensity.py
	$(PY) bench/map.py
	$(PY) bench/app.py $(BENCH_APP_ARGS)
	$(PY) -m pip install --quiet rasterstats  # the centre-point method bench/zonal.py compares against
	$(PY) bench/zonal.py $(BENCH_ZONAL_ARGS)

# An offline bundle (wheels, map assets, fonts, the sample, install.sh) for a machine with no
# network, and its check: installed in a clean folder with the network cut off, then run.
bundle: setup
	$(PY) scripts/bundle.py --out dist

bundle-check: bundle
	$(PY) scripts/bundle.py --check "$$(ls -t dist/gxland-offline-*.tar.gz | head -1)"

# Removes what set-up made; never the workspace (it holds the bureau's data and decisions).
clean:
	rm -rf $(VENV) static/vendor bench/out
