# shellcheck shell=bash
# A private PostgreSQL cluster for tests and benchmarks, sourced by scripts/test.sh and
# scripts/bench-nodes.sh: Debian's postgresql, initdb in a temporary folder, listening only on a
# Unix socket there (no port: no clash with another cluster or another run), stopped and removed
# when the script exits. As root it runs as the postgres user (initdb refuses root).
#
#   . scripts/pg.sh
#   start_pg -c fsync=off      # extra server settings; sets PG_DSN=postgres://bawaba@/postgres?host=…

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_pg() {   # from /: the postgres user may not enter root's working directory
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

PG_TMP=""
stop_pg() {
  [ -n "$PG_TMP" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
  PG_TMP=""
}

start_pg() {
  PG_TMP=$(mktemp -d /tmp/bawaba-pg.XXXXXX)
  trap stop_pg EXIT
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_TMP"; fi
  printf '==> starting PostgreSQL (%s) in %s\n' "$(pg_bin)" "$PG_TMP" >&2
  as_pg "$(pg_bin)/initdb" -D "$PG_TMP/data" -A trust -U bawaba -E UTF8 >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log" >&2; return 1; }
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -o \
    "-k $PG_TMP -c listen_addresses='' -c max_connections=300 $*" start >/dev/null \
    || { cat "$PG_TMP/server.log" >&2; return 1; }
  PG_DSN="postgres://bawaba@/postgres?host=$PG_TMP"
}
