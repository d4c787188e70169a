#!/usr/bin/env bash
# Installs what Skiff needs on a fresh Debian machine: Debian packages (the static busybox that
# tests and the demo use as a first rootfs, networking tools, a registry and skopeo for the image
# tests), the npm packages, then builds the TypeScript and the C helpers. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(busybox-static iproute2 nftables iptables util-linux docker-registry skopeo python3 make gcc libc6-dev curl openssh-server git)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The registry package starts a service on install; tests start their own on loopback.
systemctl disable --now docker-registry >/dev/null 2>&1 || true
pkill -x docker-registry 2>/dev/null || true
# openssh-server (for the ssh:// remote tests) starts sshd on install; those tests start their own.
systemctl disable --now ssh >/dev/null 2>&1 || true

npm ci --no-audit --no-fund
npm run build
