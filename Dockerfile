# syntax=docker/dockerfile:1
# The mops container image: a static binary on an empty base, run as a
# non-root user. The release workflow (.github/workflows/release.yml) builds
# it for linux/amd64 and linux/arm64 and pushes it to ghcr.io/mops-dev/mops.
#
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/repo" ghcr.io/mops-dev/mops validate
#
# The build stage runs on the builder's own platform and cross-compiles
# (no emulation); the final stage only copies files.
FROM --platform=$BUILDPLATFORM golang:1.26-alpine AS build
WORKDIR /src
# Modules first: a change of source keeps this layer cached.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=dev COMMIT="" DATE=""
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" \
      -o /out/mops ./cmd/mops

FROM scratch
# HubSpot and Salesforce are reached over HTTPS.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/mops /usr/local/bin/mops
# 65532 is the conventional "nonroot" user of distroless images; run with
# -u "$(id -u):$(id -g)" so files mops writes in the mounted repository
# (.mops/, imported YAML) belong to you.
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/mops"]
CMD ["--help"]
