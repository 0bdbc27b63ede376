/* SPDX-License-Identifier: MIT */
/* uexec's own stack: the contract is ownstack.h's. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/mman.h>

#include "archdep.h"
#include "ownstack.h"

#define OWN_STACK_SIZE (16UL << 20)	/* reserved: --compare keeps large
					 * structures there */
#define OWN_STACK_GUARD 4096UL

#ifdef __SANITIZE_ADDRESS__
#define OWN_STACK_OK false
#else
#define OWN_STACK_OK true
#endif

static bool active;
static char *active_stack;	/* while active: the mapping's start */

bool uexec_own_stack_prefaulted(void)
{
	unsigned char v = 0;

	return active_stack && !mincore(active_stack + OWN_STACK_GUARD, 4096, &v) && (v & 1);
}

int uexec_on_own_stack(int (*fn)(void *), void *arg)
{
	void *stack;
	int ret, e;

	if (!OWN_STACK_OK || active)
		return fn(arg);
	stack = mmap(NULL, OWN_STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return fn(arg);
	if (mprotect(stack, OWN_STACK_GUARD, PROT_NONE)) {
		munmap(stack, OWN_STACK_SIZE);
		return fn(arg);
	}
	active = true;
	active_stack = stack;
	ret = uexec_arch_call_on_stack((char *)stack + OWN_STACK_SIZE, fn, arg);
	active = false;
	active_stack = NULL;
	e = errno;	/* FN's, for the caller */
	munmap(stack, OWN_STACK_SIZE);
	errno = e;
	return ret;
}
