#!/usr/bin/env bash
# The README's first command: installs and builds everything, starts skiffd, gives it a first
# image without any registry (a busybox rootfs imported on the spot), and runs a container with
# the docker CLI (or skiff) pointed at skiffd. skiffd keeps running afterwards. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

SOCK=/run/skiff/skiff.sock
export DOCKER_HOST="unix://$SOCK"
if ! curl -sf --unix-socket "$SOCK" http://skiff/_ping >/dev/null 2>&1; then
  mkdir -p /var/log
  nohup bin/skiffd >/var/log/skiffd.log 2>&1 &
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "$SOCK" http://skiff/_ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
echo "skiffd is up on $SOCK (log: /var/log/skiffd.log)"

# A first image, made here: Debian's static busybox as a one-layer image.
work=$(mktemp -d /tmp/skiff-quickstart.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/tmp" "$work/rootfs/root"
cp /usr/bin/busybox "$work/rootfs/bin/busybox"
for a in $(/usr/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$work/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$work/rootfs/etc/passwd"
tar -C "$work/rootfs" -cf "$work/busybox.tar" .
curl -sf --unix-socket "$SOCK" -X POST --data-binary @"$work/busybox.tar" \
  'http://skiff/images/create?fromSrc=-&repo=busybox&tag=latest&changes=CMD%20%5B%22sh%22%5D' >/dev/null

if [ -x /usr/local/bin/docker ] || command -v docker >/dev/null 2>&1; then
  docker run --rm busybox sh -c 'echo "hello from a skiff container: pid $$, hostname $(hostname)"; ip -o -4 addr show eth0'
else
  bin/skiff run --rm busybox sh -c 'echo "hello from a skiff container: pid $$, hostname $(hostname)"'
fi
echo "Point your tools at it: export DOCKER_HOST=$DOCKER_HOST"
