#!/bin/bash
# Install what building and testing sessha needs, on Debian 12. Does nothing
# (quickly, without apt-get update) when everything is already installed.
#
# usage: tools/deps.sh [KERNEL]...
#
# KERNEL is a series, 6.1 (Debian 12's kernel, via linux-image-amd64) or 6.12
# (bookworm-security's linux-image-6.12.*+deb12-amd64), or an exact release
# such as 6.1.0-56-amd64. The default is 6.1. For each, the image (booted by
# the test VM) and the headers (to build the module) are installed.
set -euo pipefail

# 6.12 release installed when none is: the one the tests were last tuned on.
# If bookworm-security has dropped it, the newest 6.12 available is used.
readonly PREFERRED_612=6.12.117+deb12-amd64

readonly BASE_PACKAGES=(
	# build: module, CLI, checks
	build-essential pkg-config libnl-3-dev libnl-genl-3-dev sparse perl
	linux-source-6.12 xz-utils bc kmod
	# netlink code from the YAML spec (ynl-gen-c.py, nl-gen.py), and the
	# kernel's YNL CLI in the selftests
	python3-yaml python3-jsonschema patch
	# the parser that reads sessha stats -o prometheus back (make check)
	python3-prometheus-client
	# make dkms-check (CI): DKMS builds and signs the module per kernel
	dkms openssl
	# test VM
	qemu-system-x86 busybox-static
	# tools the selftests use inside the VM
	iproute2 socat ipvsadm ethtool tcpdump python3 iputils-ping procps
	# fuzzing the sync wire decoder (libFuzzer)
	clang-14 libclang-rt-14-dev
)

log() {
	echo "deps.sh: $*" >&2
}

installed() {
	local status

	status=$(dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null) &&
		[ "$status" = installed ]
}

# apt-get update at most once per run, and only when something is missing.
updated=0
apt_update() {
	[ "$updated" = 0 ] || return 0
	log "apt-get update"
	apt-get update -qq
	updated=1
}

apt_install() {
	apt_update
	log "installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

need_root() {
	[ "$(id -u)" = 0 ] && return
	log "missing packages: $*; run as root or install them yourself"
	exit 1
}

# Print the missing packages among the arguments.
missing() {
	local pkg

	for pkg; do
		installed "$pkg" || echo "$pkg"
	done
}

# A 6.12 image+headers pair is enough; install the preferred one, or the
# newest in the archive, only when none is installed.
kernel_612() {
	local kver

	for kver in $(dpkg-query -W -f '${Package}\n' 'linux-image-6.12.*+deb12-amd64' 2>/dev/null |
			sed 's/^linux-image-//'); do
		if installed "linux-image-$kver" && installed "linux-headers-$kver"; then
			return
		fi
	done
	need_root "linux-image-6.12.*"
	apt_update
	kver=$PREFERRED_612
	if ! apt-cache show "linux-image-$kver" >/dev/null 2>&1; then
		kver=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
			cut -d' ' -f1 | sed 's/^linux-image-//' | sort -V | tail -n1)
		[ -n "$kver" ] || { log "no linux-image-6.12.*+deb12-amd64 in the archive"; exit 1; }
		log "$PREFERRED_612 is gone from the archive, using $kver"
	fi
	apt_install "linux-image-$kver" "linux-headers-$kver"
}

main() {
	local kernel todo

	todo=$(missing "${BASE_PACKAGES[@]}")
	for kernel in "${@:-6.1}"; do
		case $kernel in
		6.1) todo+=" $(missing linux-image-amd64 linux-headers-amd64)" ;;
		6.12) kernel_612 ;;
		*) todo+=" $(missing "linux-image-$kernel" "linux-headers-$kernel")" ;;
		esac
	done
	todo=$(echo $todo)
	[ -n "$todo" ] || return 0
	need_root "$todo"
	apt_install $todo
}

main "$@"
