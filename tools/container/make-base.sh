#!/usr/bin/env bash
# The container base image from Debian packages only (no container registry needed): debootstrap a minimal
# Debian trixie with Debian's nodejs and import it into podman as localhost/dpt-base:trixie. Run as root.
#
# Why trixie: dpt needs Node >= 20.9. bookworm has nodejs 18.20 and bookworm-backports has none; trixie
# (Debian 13) has nodejs 20.19 with Debian's security support. Adding trixie's nodejs to a bookworm root would
# pull trixie's libc and most of the base with it, so the base is trixie throughout.
#   tools/container/make-base.sh [IMAGE]        (IMAGE defaults to localhost/dpt-base:trixie)
set -euo pipefail
image=${1:-localhost/dpt-base:trixie}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
command -v debootstrap >/dev/null || { apt-get update && apt-get install -y --no-install-recommends debootstrap; }
command -v podman >/dev/null || { apt-get update && apt-get install -y --no-install-recommends podman; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=nodejs,ca-certificates trixie "$root" "$mirror"

# Slim: no documentation, manuals, translations or package lists, now or in later apt installs.
cat >"$root/etc/dpkg/dpkg.cfg.d/01-slim" <<'CONF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CONF
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
printf 'deb %s trixie main\ndeb %s-security trixie-security main\n' "$mirror" "$mirror" >"$root/etc/apt/sources.list"

tar -C "$root" -c . | podman import --change 'CMD ["/bin/bash"]' - "$image"
podman run --rm "$image" node --version
podman image ls "$image"
