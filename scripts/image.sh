#!/usr/bin/env bash
# Build the container image without a Docker engine, with buildah (apt-get install buildah).
#
#   scripts/image.sh [TAG]        # default tag bawaba/checkout:dev
#
# First it builds the Dockerfile itself (`buildah bud`), which needs the golang and alpine base
# images from a registry. Where no registry is reachable (this project's build machines reach
# only the Go proxy, apt and npm), it says so and builds the same image layout offline instead:
# the static binary built here, in an empty (scratch) image with the /data volume, port 8080,
# a non-root user and the same entrypoint — no shell, no wget, so no HEALTHCHECK; probe
# GET /healthz from outside. The result is written as an OCI archive: build/bawaba-image.tar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TAG=${1:-bawaba/checkout:dev}
VERSION=$(git describe --tags --always 2>/dev/null || echo dev)
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}   # works without overlay support
command -v buildah >/dev/null || { echo "buildah is not installed (apt-get install buildah)" >&2; exit 1; }
mkdir -p build

if buildah bud --build-arg VERSION="$VERSION" -t "$TAG" . ; then
  buildah push "$TAG" "oci-archive:build/bawaba-image.tar:$TAG"
  echo "built the Dockerfile: build/bawaba-image.tar"
  exit 0
fi
echo "==> the Dockerfile could not be built (are its base images reachable?); building the offline scratch image" >&2

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o build/checkout ./cmd/checkout
c=$(buildah from scratch)
trap 'buildah rm "$c" >/dev/null' EXIT
buildah copy --chown 10001:10001 "$c" build/checkout /usr/local/bin/checkout >/dev/null
mkdir -p build/rootfs-data && buildah copy --chown 10001:10001 "$c" build/rootfs-data /data >/dev/null
buildah config --user 10001:10001 --env CHECKOUT_DB=/data/checkout.db --env CHECKOUT_ADDR=:8080 \
  --volume /data --port 8080 --entrypoint '["/usr/local/bin/checkout"]' --cmd serve \
  --label org.opencontainers.image.version="$VERSION" "$c"
buildah commit -q "$c" "$TAG" >/dev/null
buildah push "$TAG" "oci-archive:build/bawaba-image.tar:$TAG"
echo "built the offline image: build/bawaba-image.tar ($TAG)"
