# syntax=docker/dockerfile:1
# Bawaba checkout: one static binary, one SQLite file in the /data volume.
#   docker build --build-arg VERSION=$(git describe --tags --always) -t bawaba/checkout .
#   docker run -p 8080:8080 -v checkout-data:/data bawaba/checkout
# Without a Docker engine or a registry: scripts/image.sh (buildah; CI runs it).

# GO_IMAGE: any image with the Go toolchain and /etc/ssl/certs/ca-certificates.crt. The default
# comes from Docker Hub; scripts/image.sh passes one it makes from this machine's Go when no
# registry is reachable (then the context carries vendor/ and nothing is downloaded).
ARG GO_IMAGE=golang:1.26
FROM ${GO_IMAGE} AS build
WORKDIR /src
# Generated *_templ.go files are committed, so no templ step here.
COPY . .
ARG VERSION=dev
# -tags timetzdata: the time zone database inside the binary (the final image has no tzdata).
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/checkout ./cmd/checkout \
 && mkdir -p /out/data

# Nothing but the binary, the CA roots for the gateways' TLS, and the data folder: no shell, no
# package manager. The HEALTHCHECK runs the binary itself (checkout healthcheck).
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/checkout /usr/local/bin/checkout
COPY --from=build --chown=10001:10001 /out/data /data
USER 10001:10001
ENV CHECKOUT_DB=/data/checkout.db CHECKOUT_ADDR=:8080
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/checkout", "healthcheck"]
# The subcommand is the CMD, so `docker run … checkout-image backup /data/backup.db` works too.
ENTRYPOINT ["/usr/local/bin/checkout"]
CMD ["serve"]
