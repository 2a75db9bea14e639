/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel integer types, so that kmod/wire.c builds in userspace. */
#ifndef _SESSHA_FUZZ_KCOMPAT_H
#define _SESSHA_FUZZ_KCOMPAT_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif
