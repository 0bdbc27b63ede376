/* SPDX-License-Identifier: MIT */
/*
 * Detection of a caller that shares its address space with another
 * process (sharedmm.h has the contract and its limits).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "binprm.h"
#include "debug.h"
#include "mapsread.h"
#include "sharedmm.h"

/* 1 when OTHER has the caller's mm, 0 when not, -errno when kcmp fails. */
static int same_vm(pid_t other)
{
	long r = syscall(SYS_kcmp, (pid_t)getpid(), other, KCMP_VM, 0, 0);

	if (r == 0)
		return 1;
	return r > 0 ? 0 : -errno;
}

struct scan {
	pid_t self, parent, found;
	const char *relation;
};

/* The pids in /proc/PID/task/TID/children (space-separated): the first
 * other than the caller and its parent that shares the mm goes to S. */
static void scan_children_file(const char *path, struct scan *s, const char *relation)
{
	char buf[4096];
	long pid = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while (!s->found && (n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n && !s->found; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid * 10 + (buf[i] - '0');
				continue;
			}
			if (pid > 0 && pid != s->self && pid != s->parent &&
			    same_vm((pid_t)pid) == 1) {
				s->found = (pid_t)pid;
				s->relation = relation;
			}
			pid = 0;
		}
	}
	close(fd);
}

/* Every child of every thread of PID. */
static void scan_children(pid_t pid, struct scan *s, const char *relation)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while (!s->found && (d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/children", (int)pid,
			 d->d_name);
		scan_children_file(path, s, relation);
	}
	closedir(dir);
}

/* Is the range [LO, HI) a line of PID's maps?  1, 0, or -errno. */
static int maps_has(pid_t pid, uintptr_t lo, uintptr_t hi)
{
	struct uexec_maps_reader *rd = malloc(sizeof(*rd));
	struct uexec_maps_entry e;
	char path[64];
	int fd, found = 0;

	if (!rd)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(rd);
		return -errno;
	}
	uexec_maps_attach(rd, fd);
	while (!found && uexec_maps_next(rd, &e) > 0)
		found = e.lo == lo && e.hi == hi;
	uexec_maps_close(rd);
	free(rd);
	return found;
}

/* Without kcmp: a fresh page of the caller's is in the parent's maps, and
 * is gone from them once unmapped.  1, 0, or -errno. */
static int parent_maps_probe(pid_t parent)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	/* Shared anonymous memory: a mapping of its own, never merged with
	 * a neighbour, so that its maps line is exactly [p, p + pg). */
	void *p = mmap(NULL, pg, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int before, after;

	if (p == MAP_FAILED)
		return -errno;
	before = maps_has(parent, (uintptr_t)p, (uintptr_t)p + pg);
	munmap(p, pg);
	if (before != 1)
		return before;
	after = maps_has(parent, (uintptr_t)p, (uintptr_t)p + pg);
	return after < 0 ? after : after == 0;
}

int uexec_mm_alone(void)
{
	if (unshare(CLONE_VM) == 0)
		return 1;
	return errno == EINVAL ? 0 : -errno;
}

int uexec_mm_shared_unnamed(char *why, size_t len)
{
	if (uexec_mm_shared(why, len) > 0)
		return 1;
	snprintf(why, len, "the calling process shares its address space with another "
		 "process (clone with CLONE_VM; the kernel's unshare(CLONE_VM) says so); "
		 "uexec cannot replace a shared address space");
	return 1;
}

int uexec_mm_shared(char *why, size_t len)
{
	struct scan s = { getpid(), getppid(), 0, NULL };
	int r = s.parent > 0 ? same_vm(s.parent) : 0;

	if (r < 0 && s.parent > 0) {
		int e = -r;

		r = parent_maps_probe(s.parent);
		if (r < 0) {
			UEXEC_DEBUG(UEXEC_DBG_EXEC, "shared-vm: cannot tell whether the address "
				    "space is shared with the parent (kcmp: %s; /proc/%d/maps: %s)",
				    strerror(e), (int)s.parent, strerror(-r));
			return 0;
		}
	}
	if (r == 1) {
		snprintf(why, len, "the calling process shares its address space with its "
			 "parent, pid %d (vfork or clone with CLONE_VM); uexec cannot replace "
			 "a shared address space", (int)s.parent);
		return 1;
	}
	scan_children(s.self, &s, "child");
	if (!s.found && s.parent > 0)
		scan_children(s.parent, &s, "sibling");
	if (!s.found)
		return 0;
	snprintf(why, len, "the calling process shares its address space with its %s, pid "
		 "%d (clone with CLONE_VM); uexec cannot replace a shared address space",
		 s.relation, (int)s.found);
	return 1;
}
