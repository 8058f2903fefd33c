#!/usr/bin/env bash
# The project's test command (`make test` runs it): installs what the tests need when it is
# missing, then runs unit and e2e tests in ONE `go test`, so its summary covers both. It starts a
# private PostgreSQL (Debian's postgresql; a temporary cluster on a Unix socket, stopped at the
# end) and sets CHECKOUT_TEST_POSTGRES, so the store, order, API and two-node tests run on both
# databases; set CHECKOUT_TEST_POSTGRES yourself to use a server you already run.
#
#   scripts/test.sh                          # everything: go test ./...
#   scripts/test.sh -run TestX ./e2e/        # extra args go to `go test`
#
# Offline recipe: /work/shared/TOOLCHAIN.md (Debian chromium + playwright-core from npm as the
# playwright-go driver; nothing downloads a browser of its own).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
AXE_VER=4.14.1                              # pinned npm axe-core
LH_VER=12.8.2                               # pinned npm lighthouse (uses the same chromium)
CACHE="$REPO/.cache"
say() { printf '==> %s\n' "$*" >&2; }

# --- 1. Debian packages: chromium + Arabic fonts, node/npm, php-cli, python3 if missing ---------
apt_pkgs=()
[ -x /usr/bin/chromium ] || apt_pkgs+=(chromium fonts-noto-core)
command -v npm >/dev/null || apt_pkgs+=(nodejs npm)
command -v php >/dev/null || apt_pkgs+=(php-cli)              # the PHP webhook snippet's test
command -v python3 >/dev/null || apt_pkgs+=(python3)          # the Python webhook snippet's test
. "$REPO/scripts/pg.sh"                                        # pg_bin, start_pg
if [ -z "${CHECKOUT_TEST_POSTGRES:-}" ] && [ ! -x "$(pg_bin)/initdb" ]; then
  apt_pkgs+=(postgresql)                                        # the PostgreSQL store's tests
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing with apt: ${apt_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Wait (up to 10 min) for another apt/dpkg holding the lock instead of failing.
    apt-get -o DPkg::Lock::Timeout=600 update -q
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${apt_pkgs[@]}"
  else
    say "NOT installing ${apt_pkgs[*]}: apt needs root (uid $(id -u)); browser tests will skip (fail under CI)"
  fi
fi

# --- 2. Playwright driver = npm playwright-core of the version playwright-go expects ----------
go mod download github.com/playwright-community/playwright-go
PWGO_DIR=$(go list -m -f '{{.Dir}}' github.com/playwright-community/playwright-go)
PW_VER=$(sed -n 's/^const playwrightCliVersion = "\(.*\)"$/\1/p' "$PWGO_DIR/run.go")
[ -n "$PW_VER" ] || { say "cannot read playwrightCliVersion from $PWGO_DIR/run.go"; exit 1; }
DRV="$CACHE/playwright-driver-$PW_VER"
if [ ! -f "$DRV/package/cli.js" ] && command -v npm >/dev/null; then
  say "installing Playwright driver: npm playwright-core@$PW_VER -> $DRV"
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/.driver.XXXXXX") && chmod 755 "$tmp"   # install aside, then move: never half a driver
  npm install --prefix "$tmp" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --loglevel=error "playwright-core@$PW_VER"
  ln -sfn node_modules/playwright-core "$tmp/package"
  rm -rf "$DRV" && mv "$tmp" "$DRV"
fi
# Point the driver's node at this machine's node every run (cheap; survives node moving).
[ -d "$DRV" ] && command -v node >/dev/null && ln -sfn "$(command -v node)" "$DRV/node"

# --- 3. axe-core for the accessibility checks ---------------------------------------------------
AXE_JS="$CACHE/axe/node_modules/axe-core/axe.min.js"
if ! grep -qs "\"version\": \"$AXE_VER\"" "$CACHE/axe/node_modules/axe-core/package.json" \
   && command -v npm >/dev/null; then
  say "installing npm axe-core@$AXE_VER -> $CACHE/axe"
  mkdir -p "$CACHE/axe"
  npm install --prefix "$CACHE/axe" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --loglevel=error "axe-core@$AXE_VER"
fi

# --- 3b. Lighthouse for the shopper pages' audit (e2e TestLighthouse) ---------------------------
LH_CLI="$CACHE/lighthouse/node_modules/lighthouse/cli/index.js"
if ! grep -qs "\"version\": \"$LH_VER\"" "$CACHE/lighthouse/node_modules/lighthouse/package.json" \
   && command -v npm >/dev/null; then
  say "installing npm lighthouse@$LH_VER -> $CACHE/lighthouse"
  mkdir -p "$CACHE/lighthouse"
  npm install --prefix "$CACHE/lighthouse" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --loglevel=error "lighthouse@$LH_VER"
fi

# --- 4. A private PostgreSQL for the tests (unless CHECKOUT_TEST_POSTGRES names one) ------------
# scripts/pg.sh: a temporary cluster on a Unix socket, stopped at exit. fsync off: a test
# cluster is thrown away.
if [ -z "${CHECKOUT_TEST_POSTGRES:-}" ] && [ -x "$(pg_bin)/initdb" ]; then
  start_pg -c fsync=off -c synchronous_commit=off
  export CHECKOUT_TEST_POSTGRES="$PG_DSN"
elif [ -z "${CHECKOUT_TEST_POSTGRES:-}" ]; then
  say "NO PostgreSQL (apt needs root): its tests will skip (fail under CI)"
fi

# --- 5. Run the tests --------------------------------------------------------------------------
export PLAYWRIGHT_DRIVER_PATH="$DRV"
export BAWABA_CHROMIUM="${BAWABA_CHROMIUM:-/usr/bin/chromium}"
export BAWABA_AXE_JS="${BAWABA_AXE_JS:-$AXE_JS}"
export BAWABA_LIGHTHOUSE="${BAWABA_LIGHTHOUSE:-$LH_CLI}"

# Default to every package when the args name none (anything starting ./ ../ or the module path).
pkgs=(./...)
for a in "$@"; do
  case "$a" in ./* | ../* | github.com/bawaba/checkout*) pkgs=() ;; esac
done

say "go test -count=1 -p 2 -timeout 30m $* ${pkgs[*]}"
go test -count=1 -p 2 -timeout 30m "$@" "${pkgs[@]}"   # not exec: the trap stops PostgreSQL
