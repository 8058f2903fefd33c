#!/usr/bin/env bash
# Performance against its own baselines, in one run (`make bench`): builds the binary and
# scripts/bench, installs wrk when missing (apt, as root), then prints one line per measure:
#
#   pay_page ratio=… p99_ratio=…     GET /pay/{id} vs fiber serving the same bytes as a file
#   result_page ratio=… p99_ratio=…  GET /pay/{id}/result, likewise
#   create_order ratio=…             POST /api/v1/orders vs raw SQLite order+event transactions
#   first_load_bytes=…               a first visit to the pay page, as sent (br/gzip accepted)
#
#   scripts/bench.sh                 # 3 interleaved rounds of wrk -t2 -c32 -d5s
#   scripts/bench.sh -rounds 5 -d 10s -v
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
say() { printf '==> %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing wrk with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -q
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends wrk
  else
    say "wrk is missing and apt needs root: install wrk (apt-get install wrk) and rerun"
    exit 1
  fi
fi

mkdir -p bin
say "building bin/checkout and bin/bench"
CGO_ENABLED=0 go build -trimpath -o bin/checkout ./cmd/checkout
go build -o bin/bench ./scripts/bench
say "load: $(uptime | sed 's/.*load average/load average/') (figures are ratios; rerun when the machine is quieter)"
exec bin/bench -bin bin/checkout "$@"
