#!/bin/bash
# Unpack a bzImage's compressed kernel into an ELF vmlinux that QEMU can
# boot directly through the PVH entry point, if the kernel has one.
#
# usage: tools/vm/vmlinux.sh KVER OUTPUT
#
# Booting /boot/vmlinuz under TCG spends seconds decompressing the kernel
# in emulated code before it prints anything; decompressing it once on the
# host saves that on every boot. Prints the file to pass to -kernel: OUTPUT,
# or the bzImage itself when the kernel lacks CONFIG_PVH or the payload is
# in a format we do not know.
set -euo pipefail

readonly KVER=$1 OUT=$2
readonly IMAGE=/boot/vmlinuz-$KVER

# Little-endian unsigned integer of $2 bytes at offset $1 of the image.
le() {
	od -An -tu"$2" -j "$1" -N "$2" --endian=little "$IMAGE" | tr -d ' '
}

# The x86 boot protocol: the protected-mode part starts after the setup
# sectors; payload_offset and payload_length locate the compressed kernel,
# which kbuild follows with 4 bytes of uncompressed size.
extract() {
	local setup_sects base offset length magic unpack

	setup_sects=$(le $((0x1f1)) 1)
	[ "$setup_sects" != 0 ] || setup_sects=4
	base=$(((setup_sects + 1) * 512))
	offset=$((base + $(le $((0x248)) 4)))
	length=$(le $((0x24c)) 4)
	magic=$(od -An -tx1 -j "$offset" -N 4 "$IMAGE" | tr -d ' ')
	case $magic in
	fd377a58) unpack="xz -dc" ;;
	28b52ffd) unpack="zstd -qdc" ;;
	1f8b*) unpack="gzip -dc" ;;
	*) return 1 ;;
	esac
	dd if="$IMAGE" iflag=skip_bytes,count_bytes skip="$offset" count=$((length - 4)) \
		bs=64K status=none | $unpack >"$OUT.tmp"
	mv "$OUT.tmp" "$OUT"
}

main() {
	local id

	[ -r "$IMAGE" ] || { echo "vmlinux.sh: $IMAGE missing" >&2; exit 1; }
	if ! grep -qx CONFIG_PVH=y "/boot/config-$KVER" 2>/dev/null; then
		echo "$IMAGE"
		exit 0
	fi
	# Reuse the unpacked kernel while the image is the same file.
	id=$(stat -c '%s %Y %i' "$IMAGE")
	if [ ! -f "$OUT" ] || [ "$(cat "$OUT.stamp" 2>/dev/null)" != "$id" ]; then
		rm -f "$OUT" "$OUT.stamp"
		if ! extract; then
			rm -f "$OUT.tmp"
			echo "$IMAGE"
			exit 0
		fi
		echo "$id" >"$OUT.stamp"
	fi
	echo "$OUT"
}

main
