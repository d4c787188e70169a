#!/usr/bin/env bash
# The README's first command: installs and builds everything, then runs a first container with
# skiff-runc from a busybox rootfs made on the spot (no registry needed). Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

bundle=$(mktemp -d /tmp/skiff-quickstart.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin"
cp /usr/bin/busybox "$bundle/rootfs/bin/busybox"
for a in $(/usr/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$bundle/rootfs/bin/$a"; done
bin/skiff-runc spec --bundle "$bundle"
# Not a terminal, and a one-shot command instead of an interactive shell.
sed -i -e 's/"terminal": true/"terminal": false/' \
  -e 's|"sh"$|"sh", "-c", "echo hello from a skiff container: pid $$, hostname $(hostname); ls /"|' "$bundle/config.json"
bin/skiff-runc run --bundle "$bundle" "quickstart-$$"
