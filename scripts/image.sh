#!/usr/bin/env bash
# Build the container image from the Dockerfile without a Docker engine, with buildah.
#
#   scripts/image.sh [TAG]        # default tag bawaba/checkout:dev; CI runs it (scripts/ci-image)
#
# The Dockerfile's build stage needs an image with Go (GO_IMAGE, golang:1.26 from Docker Hub by
# default). Where no registry is reachable (this project's build machines reach only the Go
# proxy, apt and npm), this script makes that image here, from scratch: this machine's Go
# toolchain (GOROOT), a static busybox for the RUN shell (Debian's busybox-static) and the CA
# roots; and it builds from a copy of the tree with vendor/ (`go mod vendor`, from the module
# cache), so the build downloads nothing. The Dockerfile is the same either way; the final stage
# is FROM scratch. It then checks the image: `checkout version` and `checkout migrate` run in
# it as its user, and its config (user, volume, port, entrypoint, healthcheck) is as declared.
# The image is written as an OCI archive: build/bawaba-image.tar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TAG=${1:-bawaba/checkout:dev}
VERSION=$(git describe --tags --always 2>/dev/null || echo dev)
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}   # works without overlay support
export BUILDAH_ISOLATION=${BUILDAH_ISOLATION:-chroot}  # works inside an unprivileged container
say() { printf '==> %s\n' "$*" >&2; }

need=()
command -v buildah >/dev/null || need+=(buildah)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { say "needs ${need[*]} (apt-get install, as root)"; exit 1; }
  say "installing with apt: ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
mkdir -p build

GO_IMAGE=golang:1.26
ctx=.
if ! timeout 60 buildah pull -q "$GO_IMAGE" >/dev/null 2>&1; then
  GOROOT=$(go env GOROOT)
  GOVER=$(go env GOVERSION)
  GO_IMAGE=localhost/bawaba-go:$GOVER
  say "$GO_IMAGE: the build image from this machine's $GOVER (no registry reachable)"
  if ! buildah inspect --type image "$GO_IMAGE" >/dev/null 2>&1; then
    c=$(buildah from scratch)
    buildah copy "$c" /bin/busybox /bin/busybox >/dev/null
    buildah run "$c" -- /bin/busybox --install -s /bin
    buildah copy "$c" "$GOROOT" /usr/local/go >/dev/null
    buildah copy "$c" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
    buildah run "$c" -- /bin/mkdir -p /tmp /root /go
    buildah config --env PATH=/usr/local/go/bin:/bin --env GOPATH=/go --env GOTOOLCHAIN=local \
      --env GOFLAGS=-buildvcs=false --env HOME=/root --workingdir /src "$c"
    buildah commit -q --rm "$c" "$GO_IMAGE" >/dev/null
  fi
  # The tree as git sees it (tracked and untracked, not ignored) plus vendor/.
  ctx=$(mktemp -d /tmp/bawaba-image.XXXXXX)
  trap 'rm -rf "$ctx"' EXIT
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$ctx"
  (cd "$ctx" && go mod vendor)
fi

say "buildah bud (GO_IMAGE=$GO_IMAGE)"
buildah bud -q --format docker --pull-never --layers=false --build-arg GO_IMAGE="$GO_IMAGE" \
  --build-arg VERSION="$VERSION" -f Dockerfile -t "$TAG" "$ctx" >/dev/null

# The image as built: its config, and the binary running in it as its user.
cfg=$(buildah inspect --type image --format '{{.Docker.Config.User}} {{.Docker.Config.Entrypoint}} {{.Docker.Config.Cmd}} {{.Docker.Config.Volumes}} {{.Docker.Config.ExposedPorts}} {{.Docker.Config.Healthcheck.Test}}' "$TAG")
say "image config: $cfg"
for want in "10001:10001" "[/usr/local/bin/checkout]" "[serve]" "/data" "8080/tcp" "[CMD /usr/local/bin/checkout healthcheck]"; do
  case "$cfg" in *"$want"*) ;; *) say "FAIL: the image config lacks $want"; exit 1 ;; esac
done
c=$(buildah from "$TAG")
got=$(buildah run "$c" -- /usr/local/bin/checkout version)
migrated=$(buildah run "$c" -- /usr/local/bin/checkout migrate)
buildah rm "$c" >/dev/null
say "in the image: $got; $migrated"
case "$got" in "bawaba checkout $VERSION") ;; *) say "FAIL: checkout version says $got"; exit 1 ;; esac
case "$migrated" in *"/data/checkout.db is at schema version"*) ;; *) say "FAIL: migrate in the image: $migrated"; exit 1 ;; esac

rm -f build/bawaba-image.tar
buildah push -q "$TAG" "oci-archive:build/bawaba-image.tar:$TAG" >/dev/null
say "built the Dockerfile with buildah: $TAG, build/bawaba-image.tar ($(du -h build/bawaba-image.tar | cut -f1))"
