#!/bin/sh
# Print the kernel release to build and test against for a kernel series.
#
# usage: tools/vm/kver.sh [SERIES]   SERIES is 6.1 (default) or 6.12
#
# 6.1 is Debian 12's own kernel: the release the linux-headers-amd64
# meta-package points at, so a fresh CI machine picks whatever ABI (6.1.0-NN)
# apt installed today. Otherwise, and for 6.12 (bookworm-security's
# linux-image-6.12.*+deb12-amd64), the newest release with headers installed.
# Prints nothing and fails if there is none.
set -eu

series=${1:-6.1}

has_headers() {
	[ -e "/lib/modules/$1/build/Makefile" ]
}

# linux-headers-amd64 depends on "linux-headers-6.1.0-NN-amd64 (= ...)".
from_meta() {
	dpkg-query -W -f '${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p'
}

newest() {
	# The glob matches 6.1.0-NN-amd64 for "6.1" and 6.12.NNN+deb12-amd64 for
	# "6.12", but neither matches the other.
	for dir in /lib/modules/"$series".*-amd64; do
		kver=${dir##*/}
		has_headers "$kver" && echo "$kver"
	done | sort -V | tail -n1
}

kver=
if [ "$series" = 6.1 ]; then
	kver=$(from_meta)
	case $kver in 6.1.*) has_headers "$kver" || kver= ;; *) kver= ;; esac
fi
[ -n "$kver" ] || kver=$(newest)
[ -n "$kver" ] || { echo "kver.sh: no $series kernel headers installed" >&2; exit 1; }
echo "$kver"
