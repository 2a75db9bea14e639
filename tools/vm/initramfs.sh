#!/bin/bash
# Build the test VM's initramfs for one kernel: busybox, our /init, and just
# the modules /init needs to reach the host's root over virtio-9p.
#
# usage: tools/vm/initramfs.sh KVER OUTPUT
#
# The archive is rebuilt only when its inputs change: a stamp next to it
# records the checksums of busybox, /init, this script and the module list.
set -euo pipefail

readonly KVER=$1 OUT=$2
readonly HERE=$(cd "$(dirname "$0")" && pwd)
readonly BUSYBOX=/bin/busybox
# virtio_pci is built in on 6.12 and a module on 6.1; modprobe sorts that out.
readonly WANTED_MODULES="virtio_pci 9pnet_virtio 9p"

die() {
	echo "initramfs.sh: $*" >&2
	exit 1
}

# Print the module files to load, in dependency order, each once.
module_files() {
	local mod line seen=" "

	for mod in $WANTED_MODULES; do
		modprobe -S "$KVER" --show-depends "$mod" ||
			die "cannot resolve module $mod for $KVER"
	done | while read -r line; do
		# "insmod /lib/modules/.../x.ko[.xz] [params]" or "builtin x"
		set -- $line
		[ "$1" = insmod ] || continue
		case $seen in *" $2 "*) continue ;; esac
		seen="$seen$2 "
		echo "$2"
	done
}

# Everything that should trigger a rebuild when it changes.
inputs_digest() {
	{
		sha256sum "$BUSYBOX" "$HERE/init" "$0"
		module_files | xargs sha256sum
	} | sha256sum | cut -d' ' -f1
}

staging=
main() {
	local digest f name

	[ -x "$BUSYBOX" ] || die "$BUSYBOX missing (apt-get install busybox-static)"
	[ -d "/lib/modules/$KVER/kernel" ] || die "no modules for $KVER in /lib/modules"

	digest=$(inputs_digest)
	if [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$digest" ]; then
		exit 0
	fi

	staging=$(mktemp -d "${TMPDIR:-/tmp}/sessha-initramfs.XXXXXX")
	trap 'rm -rf "$staging"' EXIT
	mkdir -p "$staging"/{bin,dev,proc,sys,newroot,modules}
	cp "$BUSYBOX" "$staging/bin/busybox"
	cp "$HERE/init" "$staging/init"
	chmod 755 "$staging/init"

	# /init loads modules in the order of modules/order; 6.12 ships .ko.xz
	# and busybox insmod cannot decompress, so unpack them here.
	module_files | while read -r f; do
		name=$(basename "$f")
		case $f in
		*.ko.xz) xz -dc "$f" >"$staging/modules/${name%.xz}"; name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$f" >"$staging/modules/${name%.zst}"; name=${name%.zst} ;;
		*) cp "$f" "$staging/modules/$name" ;;
		esac
		echo "$name" >>"$staging/modules/order"
	done

	mkdir -p "$(dirname "$OUT")"
	(cd "$staging" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) >"$OUT.tmp"
	mv "$OUT.tmp" "$OUT"
	echo "$digest" >"$OUT.stamp"
	echo "  INITRAMFS $OUT"
}

main
