#!/usr/bin/env bash
# Order creation and the pay page on PostgreSQL with 1, 2 and 4 nodes (`make bench-nodes`),
# beside 1 node on SQLite: builds the binary and scripts/bench, installs wrk and postgresql when
# missing (apt, as root), starts a private PostgreSQL (scripts/pg.sh; durable settings: fsync and
# synchronous_commit on, as SQLite runs with synchronous=FULL) unless -pg names one, and prints
# one line per configuration:
#
#   sqlite nodes=1 create_order_rps=… create_p99=… pay_page_rps=… pay_p99=…
#   postgres nodes=1 …
#
#   scripts/bench-nodes.sh                          # -nodes 1,2,4, 3 rounds of -c32 -d5s
#   scripts/bench-nodes.sh -nodes 1,2 -rounds 1 -v
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
say() { printf '==> %s\n' "$*" >&2; }
. scripts/pg.sh

missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing ${missing[*]} and apt needs root: apt-get install ${missing[*]}, then rerun"
    exit 1
  fi
  say "installing with apt: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
fi

args=("$@")
case " $* " in *" -pg "*) ;; *) start_pg && args=(-pg "$PG_DSN" "${args[@]}") ;; esac
case " $* " in *" -nodes "*) ;; *) args=(-nodes 1,2,4 "${args[@]}") ;; esac

mkdir -p bin
say "building bin/checkout and bin/bench"
CGO_ENABLED=0 go build -trimpath -o bin/checkout ./cmd/checkout
go build -o bin/bench ./scripts/bench
say "load: $(uptime | sed 's/.*load average/load average/') (nodes, wrk and PostgreSQL share this machine's $(nproc) cores)"
bin/bench -bin bin/checkout "${args[@]}"   # not exec: the trap stops PostgreSQL
