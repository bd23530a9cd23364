#!/usr/bin/env bash
# Installs the Debian packages pseconv needs, builds it into build/, and runs
# the main job on the bundled example landscape.  Run as root (or with sudo)
# on Debian 12.  Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev
  libssl-dev libarchive-dev zlib1g-dev libcunit1-dev libinih-dev libcjson-dev
  # the peers the tests prove interoperability with
  openssl openjdk-17-jdk-headless ca-certificates-java python3 python3-pyjks python3-cryptography
  # test tools (python3-icalendar: a second reader of expiry --format ics;
  # gdb: gcore for the no-secrets-in-a-core-image test)
  unzip zip graphviz python3-icalendar gdb
)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

# The fixture PKI's fake public roots stand in for /etc/ssl/certs, so the plan shows what the
# README shows: the one error is ERP's company-CA client certificate (SAP's load balancer
# refuses it), not the fake SAP and DigiCert roots no real trust store holds.
echo "== pseconv plan fixtures/landscape/landscape.ini"
PSECONV_PUBLIC_ROOTS=fixtures/landscape/pki/public-roots.pem ./build/pseconv plan fixtures/landscape/landscape.ini || [ $? -eq 1 ]  # 1 = findings, still a plan
