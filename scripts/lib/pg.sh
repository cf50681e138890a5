# shellcheck shell=bash
# Shell functions for a private PostgreSQL 15 cluster: unix socket only (no TCP), run by a
# non-root user, trust authentication on that socket. Sourced by the other scripts.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-5433}
PG_SUPERUSER=newsmon

# The cluster's processes never run as root: as root, they run as the "postgres" system user.
pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_conninfo DIR [DBNAME]: the libpq connection string for the cluster in DIR.
pg_conninfo() {
  echo "host=$1/run port=$PG_PORT user=$PG_SUPERUSER dbname=${2:-postgres}"
}

# pg_ensure_cluster DIR: creates the cluster in DIR unless it exists.
pg_ensure_cluster() {
  local dir=$1
  local socket="$dir/run/.s.PGSQL.$PG_PORT"
  if [ ${#socket} -gt 100 ]; then
    echo "pg: socket path $socket is too long for a unix socket; use a shorter directory" >&2
    return 1
  fi
  mkdir -p "$dir/run"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "pg: the postgres user cannot reach $dir (a parent directory is private)" >&2
      return 1
    fi
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$PG_SUPERUSER" --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      return 1
    }
  fi
}

pg_is_running() {
  pg_as_owner "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

pg_start() {
  local dir=$1
  pg_is_running "$dir" && return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir/run' -p $PG_PORT -c fsync=${PG_FSYNC:-on}" \
    start >/dev/null || {
    tail -n 20 "$dir/postgresql.log" >&2
    return 1
  }
}

pg_stop() {
  local dir=$1
  pg_is_running "$dir" || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

# pg_ensure_database DIR NAME
pg_ensure_database() {
  local dir=$1 name=$2
  if ! psql "$(pg_conninfo "$dir")" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$(pg_conninfo "$dir")" -qc "CREATE DATABASE \"$name\""
  fi
}
