#!/usr/bin/env bash
# Installs the Debian 12 packages proctor builds, tests and compares with.
# Skips apt entirely when everything is already there.
set -euo pipefail
pkgs=(build-essential cmake pkg-config tao-pegtl-dev nlohmann-json3-dev libvalijson-dev
      libfmt-dev libcli11-dev libuv1-dev libexpat1-dev libgraphviz-dev libgtest-dev supervisor python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
