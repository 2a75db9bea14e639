// SPDX-License-Identifier: GPL-2.0
/*
 * sessha -n NETNS: run in the network namespace that "ip netns add NETNS"
 * made, as "ip -n NETNS" does. The switch comes before any netlink socket
 * is opened: a socket belongs to the namespace it was created in, and so
 * do the objects that its requests reach. Only the network namespace
 * changes (sessha reads no sysfs, so ip's remount of /sys is not needed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sessha.h"

#define NETNS_RUN_DIR "/run/netns"	/* ip-netns(8) */

int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	/* a name, not a path: nothing outside NETNS_RUN_DIR */
	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return fail("invalid network namespace name \"%s\"", name);
	if (snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name) >=
	    (int)sizeof(path))
		return fail("invalid network namespace name \"%s\"", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("cannot open network namespace \"%s\": %s", name,
			    strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0)
		ret = fail("cannot enter network namespace \"%s\": %s", name,
			   strerror(errno));
	close(fd);
	return ret;
}
