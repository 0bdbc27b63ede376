/* SPDX-License-Identifier: MIT */
/*
 * The musl CLI's allocator (src/cli_malloc.c), linked with musl as in
 * src/uexec: TAP on stdout.  Alignment and usable size in every class and
 * for mappings, contents kept across a random run of malloc, calloc,
 * realloc and free, calloc's zeroing of a reused block, the overflow and
 * alignment errors.  Built only where configure chose the musl CLI.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed, n_test;

static void ok(int cond, const char *what)
{
	n_test++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n_test, what);
	if (!cond)
		failed = 1;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 31);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 31))
			return 0;
	return 1;
}

static void test_sizes(void)
{
	int aligned = 1, usable = 1;

	for (size_t n = 0; n < (1UL << 20); n = n ? n * 2 - n / 3 : 1) {
		unsigned char *p = malloc(n);

		if (!p || (uintptr_t)p % 16)
			aligned = 0;
		if (p && malloc_usable_size(p) < n)
			usable = 0;
		if (p)
			memset(p, 0xa5, n);
		free(p);
	}
	ok(aligned, "every block from 0 bytes to 1 MiB is 16-byte aligned");
	ok(usable, "malloc_usable_size() covers the request");
}

#define SLOTS 512
static struct { unsigned char *p; size_t n; unsigned seed; } slot[SLOTS];

static size_t random_size(void)
{
	uint64_t r = next_random();

	if (r % 64 == 0)
		return 100000 + (size_t)(r >> 20) % 300000;	/* mapped */
	return (size_t)(r >> 16) % (r % 4 ? 256 : 20000);
}

static int random_step(unsigned i)
{
	unsigned k = (unsigned)(next_random() % SLOTS);
	size_t n = random_size();

	if (slot[k].p && !intact(slot[k].p, slot[k].n, slot[k].seed))
		return 0;
	switch (next_random() % 4) {
	case 0:
		free(slot[k].p);
		slot[k].p = malloc(n);
		break;
	case 1: {
		size_t keep = n < slot[k].n ? n : slot[k].n;
		unsigned char *q = realloc(slot[k].p, n);

		if (!q || (slot[k].p && !intact(q, keep, slot[k].seed)))
			return 0;
		slot[k].p = q;
		break;
	}
	case 2:
		free(slot[k].p);
		slot[k].p = calloc(1, n);
		for (size_t j = 0; slot[k].p && j < n; j++)
			if (slot[k].p[j])
				return 0;
		break;
	default:
		free(slot[k].p);
		slot[k].p = NULL;
		n = 0;
	}
	if (n && (!slot[k].p || (uintptr_t)slot[k].p % 16))
		return 0;
	slot[k].n = n;
	slot[k].seed = i;
	if (slot[k].p)
		fill(slot[k].p, n, i);
	return 1;
}

static void test_random(void)
{
	int good = 1;

	for (unsigned i = 0; i < 40000 && good; i++)
		good = random_step(i);
	for (unsigned k = 0; k < SLOTS && good; k++)
		if (slot[k].p && !intact(slot[k].p, slot[k].n, slot[k].seed))
			good = 0;
	ok(good, "40000 random malloc/calloc/realloc/free keep every block's contents");
	for (unsigned k = 0; k < SLOTS; k++)
		free(slot[k].p);
}

static void test_calloc(void)
{
	unsigned char *p = malloc(200), *q;
	int zero = 1;

	memset(p, 0xff, 200);
	free(p);
	q = calloc(200, 1);
	for (int i = 0; i < 200; i++)
		zero &= q[i] == 0;
	ok(zero, "calloc() zeroes a reused block");
	free(q);
	errno = 0;
	ok(!calloc(SIZE_MAX / 2, 3) && errno == ENOMEM, "calloc() overflow: NULL, ENOMEM");
	errno = 0;
	ok(!malloc(SIZE_MAX - 8) && errno == ENOMEM, "a request too large to map: NULL, ENOMEM");
}

static void test_aligned(void)
{
	void *p = aligned_alloc(4096, 100), *q = NULL;

	ok(p && (uintptr_t)p % 4096 == 0, "aligned_alloc(4096, 100)");
	free(p);
	ok(posix_memalign(&q, 3, 10) == EINVAL, "posix_memalign() refuses an alignment of 3");
	ok(posix_memalign(&q, 64, 10) == 0 && (uintptr_t)q % 64 == 0, "posix_memalign(64)");
	free(q);
	p = memalign(16, 40);
	ok(p && (uintptr_t)p % 16 == 0, "memalign(16)");
	free(p);
	p = realloc(NULL, 30);
	ok(p != NULL, "realloc(NULL, n) allocates");
	free(p);
	free(NULL);
	ok(1, "free(NULL) returns");
}

int main(void)
{
	test_sizes();
	test_random();
	test_calloc();
	test_aligned();
	printf("1..%d\n", n_test);
	return failed;
}
