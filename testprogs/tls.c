/* SPDX-License-Identifier: MIT */
/*
 * tls: thread-local storage set up from the PT_TLS template: initialised
 * and zero-initialised __thread variables and a 64-byte aligned one, in
 * the main thread and in several threads, each with its own copy.
 */
#include <pthread.h>

#include "check.h"

#define NTHREADS 4

static __thread int tls_init = 42;
static __thread char tls_str[16] = "thread-local";
static __thread long tls_zero[64];
static _Thread_local int tls_aligned __attribute__((aligned(64))) = 7;

/* The thread's copy holds the template; then it becomes the thread's own. */
static int check_copy(const char *who, int id)
{
	int ok = 1;

	ok &= CHECK(tls_init == 42, "%s: tls_init is %d, not 42", who, tls_init);
	ok &= CHECK(!strcmp(tls_str, "thread-local"), "%s: tls_str is wrong", who);
	for (size_t i = 0; i < 64; i++)
		ok &= CHECK(tls_zero[i] == 0, "%s: tls_zero[%zu] is not zero", who, i);
	ok &= CHECK(((uintptr_t)&tls_aligned & 63) == 0, "%s: tls_aligned is not "
		    "64-byte aligned", who);
	ok &= CHECK(tls_aligned == 7, "%s: tls_aligned is %d, not 7", who, tls_aligned);
	tls_init = id;
	tls_zero[63] = id;
	tls_aligned = id * 3;
	return ok;
}

static void *thread_main(void *arg)
{
	int id = (int)(intptr_t)arg;
	char who[32];

	snprintf(who, sizeof(who), "thread %d", id);
	check_copy(who, id);
	/* Give the others time to write theirs. */
	for (volatile int i = 0; i < 100000; i++)
		;
	CHECK(tls_init == id && tls_zero[63] == id && tls_aligned == id * 3,
	      "%s: its copy was changed by another thread", who);
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	int started = 0;

	check_copy("main", 1000);
	for (int i = 0; i < NTHREADS; i++)
		if (CHECK(!pthread_create(&t[i], NULL, thread_main, (void *)(intptr_t)(i + 1)),
			  "pthread_create %d", i))
			started++;
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	CHECK(tls_init == 1000 && tls_aligned == 3000,
	      "main: its copy was changed by the threads");
	printf("tls: %d threads\n", started);
	return check_exit();
}
