# syntax=docker/dockerfile:1
# Bawaba checkout: one static binary, one SQLite file in the /data volume.
#   docker build --build-arg VERSION=$(git describe --tags --always) -t bawaba/checkout .
#   docker run -p 8080:8080 -v checkout-data:/data bawaba/checkout

FROM golang:1.26 AS build
WORKDIR /src
# Modules first: this layer stays cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
# Generated *_templ.go files are committed, so no templ step here.
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/checkout ./cmd/checkout

# Alpine rather than distroless: busybox wget gives the HEALTHCHECK something to run.
FROM alpine:3.22
RUN apk add --no-cache ca-certificates tzdata \
 && addgroup -S -g 10001 checkout \
 && adduser -S -D -H -u 10001 -G checkout checkout \
 && mkdir /data && chown checkout:checkout /data
COPY --from=build /out/checkout /usr/local/bin/checkout
USER checkout:checkout
ENV CHECKOUT_DB=/data/checkout.db CHECKOUT_ADDR=:8080
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD wget -qO- http://127.0.0.1:8080/healthz >/dev/null || exit 1
# The subcommand is the CMD, so `docker run … checkout-image backup /data/backup.db` works too.
ENTRYPOINT ["/usr/local/bin/checkout"]
CMD ["serve"]
