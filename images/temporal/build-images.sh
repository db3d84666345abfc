#!/usr/bin/env bash
# Builds the team cluster's images (docker-compose.yml) with no container registry:
#   dkmv-temporal:1.29.1     Temporal server + SQL schema tool + Temporal CLI (admin step)
#   dkmv-temporal-ui:2.42.1  the Web UI server
#   dkmv-postgres:15         PostgreSQL from Debian's packages
#   dkmv-worker:latest       the dkmv worker (this checkout's code)
# all FROM a Debian base (debian:bookworm-slim when present, else setup's offline debootstrap base).
# The Go programs are built on the host from the Go module proxy, niced and cached under
# ~/.cache/dkmv/bin/cluster-<hash of go.mod/go.sum/Go version>, then copied in. An image is rebuilt
# only when its inputs changed (their hash is the image's `dkmv.inputs` label). Each build prints one
# line; its full output goes to ~/.cache/dkmv/logs/<image>.log (path and last lines shown on failure).
#
# Usage: images/temporal/build-images.sh [--engine-only]   (env: BASE_IMAGE, DKMV_EXTRA_CA_CERTS)
#        DKMV_IMAGES_FRESH=1 images/temporal/build-images.sh   rebuilds the Go programs (Go's own module
#        and build caches stay) and every image with `docker build --no-cache` (to measure a fresh build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMAGES="$ROOT/images"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dkmv"
export DOCKER_BUILDKIT=0 # the classic builder: no buildx plugin needed

TEMPORAL_TAG=dkmv-temporal:1.29.1
UI_TAG=dkmv-temporal-ui:2.42.1
POSTGRES_TAG=dkmv-postgres:15
WORKER_TAG=dkmv-worker:latest

say() { printf 'cluster-images: %s\n' "$*" >&2; }
die() { printf 'cluster-images: error: %s\n' "$*" >&2; exit 1; }
PROGRESS_PREFIX='cluster-images: '
# shellcheck source=../../scripts/lib/progress.sh
. "$ROOT/scripts/lib/progress.sh"
hash_stdin() { sha256sum | cut -c1-16; }

base_image() {
  if [ -n "${BASE_IMAGE:-}" ]; then echo "$BASE_IMAGE"; return; fi
  local candidate
  for candidate in debian:bookworm-slim dkmv-base:bookworm; do
    if docker image inspect "$candidate" >/dev/null 2>&1; then echo "$candidate"; return; fi
  done
  die "no Debian base image: run 'npm run setup' (it builds dkmv-base:bookworm offline) or set BASE_IMAGE"
}

# --- Go programs -------------------------------------------------------------------------------
GO_MODULE="$IMAGES/temporal/build"
go_binaries_dir() {
  command -v go >/dev/null || die "Go >= 1.25 is needed to build the Temporal server (or use docker-compose.upstream.yml)"
  [[ "$(go env GOVERSION)" =~ go1\.([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 25 ] \
    || die "Go >= 1.25 is needed, found $(go env GOVERSION)"
  local key
  key=$( (cat "$GO_MODULE/go.mod" "$GO_MODULE/go.sum"; go env GOVERSION GOOS GOARCH) | hash_stdin)
  echo "$CACHE/bin/cluster-$key"
}

FRESH=${DKMV_IMAGES_FRESH:-}

build_go_binaries() { # <output dir>
  local tmp=$1
  cd "$GO_MODULE" || return
  # Same module graph as the Temporal CLI that setup builds: most packages come from Go's cache.
  nice -n 10 go build -o "$tmp/temporal-server" go.temporal.io/server/cmd/server || return
  nice -n 10 go build -o "$tmp/temporal-sql-tool" go.temporal.io/server/cmd/tools/sql || return
  # The admin step's Temporal CLI: setup's own build when it is this version, else build it here.
  if "$CACHE/bin/temporal" --version 2>/dev/null | grep -q 'Server 1.29.1, UI 2.42.1'; then
    cp "$CACHE/bin/temporal" "$tmp/temporal" || return
  else
    nice -n 10 go build -o "$tmp/temporal" github.com/temporalio/cli/cmd/temporal || return
  fi
  nice -n 10 go build -o "$tmp/temporal-ui-server" github.com/temporalio/ui-server/v2/cmd/server
}

ensure_go_binaries() { # <dir>
  local dir=$1 tmp
  if [ -z "$FRESH" ] && [ -x "$dir/temporal-server" ] && [ -x "$dir/temporal-sql-tool" ] && [ -x "$dir/temporal" ] \
     && [ -x "$dir/temporal-ui-server" ]; then return; fi
  tmp="$dir.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  logged "building Temporal server 1.29.1, SQL tool, CLI and UI server with Go into $dir (niced; once)" \
    cluster-go-programs build_go_binaries "$tmp"
  rm -rf "$dir" && mv "$tmp" "$dir"
}

# --- images ------------------------------------------------------------------------------------
current_inputs() { docker image inspect -f '{{ index .Config.Labels "dkmv.inputs" }}' "$1" 2>/dev/null || true; }

# Hash of every file under the given paths (names and contents).
hash_tree() {
  (cd "$1" && shift && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum) | hash_stdin
}

build_image() { # <tag> <context dir> <inputs hash>
  local tag=$1 ctx=$2 inputs=$3
  if [ -z "$FRESH" ] && [ "$(current_inputs "$tag")" = "$inputs" ]; then say "image $tag present"; return; fi
  local previous
  previous=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  logged "building image $tag" "${tag//[:\/]/-}" \
    docker build ${FRESH:+--no-cache} --network host --label "dkmv.inputs=$inputs" --build-arg "BASE_IMAGE=$BASE" -t "$tag" "$ctx" \
    || die "building $tag failed"
  # The image it replaced is left untagged (~850 MB for the worker, rebuilt whenever the code
  # changes): remove it, unless a container still uses it (then docker refuses and it stays).
  if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]; then
    docker image rm "$previous" >/dev/null 2>&1 || true
  fi
}

extra_ca_files() {
  if [ -n "${DKMV_EXTRA_CA_CERTS:-}" ]; then tr ':' '\n' <<<"$DKMV_EXTRA_CA_CERTS" | grep -v '^$' || true
  elif [ -d /usr/local/share/ca-certificates ]; then find /usr/local/share/ca-certificates -name '*.crt' | sort
  fi
}

stage_go_image() { # <image folder> <context> <binary>...
  local folder=$1 ctx=$2; shift 2
  cp -r "$IMAGES/$folder/." "$ctx/"
  rm -rf "$ctx/build" "$ctx/build-images.sh" && mkdir -p "$ctx/bin"
  local b
  for b in "$@"; do cp "$BIN_DIR/$b" "$ctx/bin/$b"; done
}

install_worker_modules() { # <dir with package.json and package-lock.json>
  cd "$1" || return
  # Like setup: a lock file without every platform's optional packages is refused by npm ci only.
  nice -n 10 npm ci --omit=dev --no-audit --no-fund --loglevel=error \
    || nice -n 10 npm install --omit=dev --no-audit --no-fund --loglevel=error
}

# The worker's production dependencies, installed once per package-lock.json into the cache.
worker_node_modules() {
  local key dir
  key=$( (cat "$ROOT/package-lock.json"; node --version) | hash_stdin)
  dir="$CACHE/worker-node-modules/$key"
  if [ ! -d "$dir/node_modules" ]; then
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    cp "$ROOT/package.json" "$ROOT/package-lock.json" "$dir.tmp/"
    logged "installing the worker's production npm dependencies into $dir" worker-node-modules \
      install_worker_modules "$dir.tmp" || die "npm could not install the worker's dependencies"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir/node_modules"
}

stage_worker() { # <context>
  local ctx=$1
  cp "$IMAGES/worker/Dockerfile" "$ctx/"
  mkdir -p "$ctx/node" "$ctx/app" "$ctx/extra-ca"
  cp "$(command -v node)" "$ctx/node/node"
  # The project's runtime files as git sees them (tracked, plus new files not ignored).
  (cd "$ROOT" && git ls-files -co --exclude-standard -z -- package.json tsconfig.json bin scripts/build.js cli core activities \
    workflows workers components | tar --null --ignore-failed-read -cf - -T -) | tar -xf - -C "$ctx/app"
  local i=0 f
  while IFS= read -r f; do cp "$f" "$ctx/extra-ca/extra-$i.crt"; i=$((i + 1)); done < <(extra_ca_files)
}

work=""
main() {
  docker info >/dev/null 2>&1 || die "no Docker engine answers (run 'npm run setup')"
  BASE=$(base_image)
  local base_id
  base_id=$(docker image inspect -f '{{.Id}}' "$BASE")
  BIN_DIR=$(go_binaries_dir)
  ensure_go_binaries "$BIN_DIR"
  work=$(mktemp -d)
  trap 'rm -rf "${work:-}"' EXIT

  mkdir -p "$work/temporal" "$work/ui" "$work/postgres" "$work/worker"
  stage_go_image temporal "$work/temporal" temporal-server temporal-sql-tool temporal
  build_image "$TEMPORAL_TAG" "$work/temporal" "$( (echo "$base_id"; hash_tree "$work/temporal" .) | hash_stdin)"
  stage_go_image temporal-ui "$work/ui" temporal-ui-server
  build_image "$UI_TAG" "$work/ui" "$( (echo "$base_id"; hash_tree "$work/ui" .) | hash_stdin)"
  cp -r "$IMAGES/postgres/." "$work/postgres/"
  build_image "$POSTGRES_TAG" "$work/postgres" "$( (echo "$base_id"; hash_tree "$work/postgres" .) | hash_stdin)"

  local modules inputs
  modules=$(worker_node_modules)
  stage_worker "$work/worker"
  # node_modules counts by its cache key (lock file + Node version), not file by file, and is
  # linked into the context only when a build is due: it is the big part.
  inputs=$( (echo "$base_id $modules"; hash_tree "$work/worker" .) | hash_stdin)
  if [ -n "$FRESH" ] || [ "$(current_inputs "$WORKER_TAG")" != "$inputs" ]; then
    cp -al "$modules" "$work/worker/node_modules" 2>/dev/null || cp -a "$modules" "$work/worker/node_modules"
  fi
  build_image "$WORKER_TAG" "$work/worker" "$inputs"
}

main "$@"
