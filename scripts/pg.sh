#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS server for the tests (Debian's postgresql-15-postgis-3).
#
#   scripts/pg.sh start DIR   initialise a cluster in DIR (created, must be empty or absent), start it on a
#                             unix socket in DIR (no TCP), create the database "gxland" with the PostGIS
#                             extension; prints the database URL on stdout
#   scripts/pg.sh stop DIR    stop the server of DIR (fast shutdown) and remove DIR
#   scripts/pg.sh url DIR     the URL again
#
# initdb and postgres refuse to run as root: as root the cluster belongs to the "postgres" user that
# Debian's packages create. Authentication is "trust" on the socket only: nothing outside DIR reaches it.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
fi

bindir() {
  local b
  if command -v pg_config >/dev/null 2>&1; then
    b=$(pg_config --bindir)
    [[ -x "$b/initdb" ]] && { echo "$b"; return; }
  fi
  # Debian keeps the server binaries outside PATH, one folder per major version: take the newest.
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$b" && -x "$b/initdb" ]] || { echo "pg.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 3; }
  echo "$b"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    # runuser lives in /usr/sbin, which a root shell's PATH may lack
    "$(command -v runuser || echo /usr/sbin/runuser)" -u postgres -- "$@"
  else
    "$@"
  fi
}

url() {
  echo "postgresql://postgres@/gxland?host=$dir/socket"
}

case "$cmd" in
  start)
    BIN=$(bindir)
    mkdir -p "$dir"
    if [[ -n "$(ls -A "$dir")" ]]; then
      echo "pg.sh: $dir is not empty" >&2
      exit 2
    fi
    mkdir -p "$dir/data" "$dir/socket"
    if [[ $(id -u) -eq 0 ]]; then
      id postgres >/dev/null 2>&1 || { echo "pg.sh: no postgres user (apt-get install postgresql)" >&2; exit 3; }
      chown -R postgres: "$dir"
    fi
    as_owner "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 4; }
    # No TCP listener: the socket in DIR only; a small, fast, throwaway server (fsync off).
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir/socket' -c fsync=off -c max_connections=200 -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 5; }
    "$BIN/psql" -h "$dir/socket" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE DATABASE gxland" >/dev/null
    "$BIN/psql" -h "$dir/socket" -U postgres -d gxland -v ON_ERROR_STOP=1 -q \
      -c "CREATE EXTENSION postgis" >/dev/null || {
        echo "pg.sh: CREATE EXTENSION postgis failed (apt-get install postgresql-15-postgis-3)" >&2
        as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
        exit 6
      }
    url
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      BIN=$(bindir)
      as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
        || as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  url)
    url
    ;;
  *)
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
    ;;
esac
