#!/usr/bin/env bash
# Install the Debian 12 packages that the matops lab needs on the machine itself.
#
# Idempotent: packages already installed are skipped and `apt-get update` runs at most once,
# only when something is missing. Must run as root. Called by the project's Makefile.
set -euo pipefail

PACKAGES=(
  debootstrap          # builds the lab's Debian root filesystem
  zstd                 # packs/unpacks the cached rootfs tarball
  systemd-container    # systemd-nspawn: Linux lab hosts with real systemd inside
  iproute2             # ip netns / ip link / bridge
  nftables             # guard rules that keep lab traffic inside 198.18.0.0/16
  openssh-client       # ssh, ssh-keygen (operator key, host keys, tests)
  util-linux           # unshare, nsenter, mount
  procps               # pgrep/ps used while tearing down
  ca-certificates
  dpkg-dev             # dpkg-scanpackages: the lab's APT mirror (security updates built in tests)
  apt-utils            # apt-ftparchive: the lab mirror's Packages and Release files
  gnupg                # signs the lab mirror with a key made for each lab (never a real key)
  chromium             # report tests: headless DOM and screenshot of the HTML report
  poppler-utils        # report tests: pdftotext, pdfinfo
  libpango-1.0-0       # WeasyPrint (PDF reports)
  libpangoft2-1.0-0    # WeasyPrint
  fonts-dejavu-core    # fonts for the PDF reports
  graphviz             # dot: lays out the handbook's network drawings (PyPI graphviz calls it)
)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system.sh: must run as root (the lab creates namespaces, mounts and a bridge)" >&2
  exit 1
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system.sh: all lab packages already installed"
  exit 0
fi

echo "setup-system.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A failing third-party source must not stop the Debian packages from installing.
apt-get update -qq || echo "setup-system.sh: apt-get update reported errors; trying the install anyway" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}"
