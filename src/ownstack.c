/* SPDX-License-Identifier: MIT */
/* uexec's own stack: the contract is ownstack.h's. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "ownstack.h"

#define OWN_STACK_SIZE (16UL << 20)	/* reserved: --compare keeps large
					 * structures there */
#define OWN_STACK_GUARD 4096UL

#ifdef __SANITIZE_ADDRESS__
#define OWN_STACK_OK false
#else
#define OWN_STACK_OK true
#endif

static struct {
	int (*fn)(void *);
	void *arg;
	int ret;
	bool active;
	ucontext_t caller, work;
} own;

static void own_stack_main(void)
{
	own.ret = own.fn(own.arg);
}

int uexec_on_own_stack(int (*fn)(void *), void *arg)
{
	void *stack;
	int ret, e;

	if (!OWN_STACK_OK || own.active)
		return fn(arg);
	stack = mmap(NULL, OWN_STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return fn(arg);
	if (mprotect(stack, OWN_STACK_GUARD, PROT_NONE) || getcontext(&own.work)) {
		munmap(stack, OWN_STACK_SIZE);
		return fn(arg);
	}
	own.fn = fn;
	own.arg = arg;
	own.active = true;
	own.work.uc_stack.ss_sp = stack;
	own.work.uc_stack.ss_size = OWN_STACK_SIZE;
	own.work.uc_link = &own.caller;
	makecontext(&own.work, own_stack_main, 0);
	if (swapcontext(&own.caller, &own.work))
		own_stack_main();	/* could not switch: here, then */
	own.active = false;
	ret = own.ret;
	e = errno;	/* FN's, for the caller */
	munmap(stack, OWN_STACK_SIZE);
	errno = e;
	return ret;
}
