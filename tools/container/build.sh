#!/usr/bin/env bash
# Builds the dpt image with podman from this clone: the base image (make-base.sh, once), `npm pack`, then the
# Dockerfile with only the tarball as context. Run as root from anywhere in the clone.
#   tools/container/build.sh [TAG]        (TAG defaults to localhost/dpt:<package version>)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(node -p 'require("./package.json").version')
tag=${1:-localhost/dpt:$version}
base=localhost/dpt-base:trixie
podman image exists "$base" || tools/container/make-base.sh "$base"

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
npm pack --pack-destination "$context"
# The install stage fetches the package's dependencies from the npm registry (host network: no CNI needed),
# trusting the CA file the host's npm trusts, if any.
ca=()
cafile=$(npm config get cafile)
if [[ -f $cafile ]]; then ca=(--volume "$cafile:/run/host-ca.crt:ro" --build-arg NPM_CONFIG_CAFILE=/run/host-ca.crt); fi
podman build --network host "${ca[@]}" --build-arg "BASE=$base" -f tools/container/Dockerfile -t "$tag" "$context"
podman image ls "$tag"
