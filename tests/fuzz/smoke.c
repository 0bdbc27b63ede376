/* SPDX-License-Identifier: MIT */
/*
 * smoke SEED...: a short, deterministic fuzzing run of fuzz_dry_run.c
 * without libFuzzer, for the test suite: each seed file as it is, then
 * RUNS (UEXEC_FUZZ_RUNS, default 2000) mutations of the seeds (bytes
 * flipped, set to 0x00/0xff/0x7f, the file cut short), from a fixed seed
 * of the generator so that a failure repeats.  Prints "N inputs" and
 * exits 0 when the contract held (fuzz_dry_run aborts otherwise).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seed {
	unsigned char *buf;
	size_t len;
};

static int load(const char *path, struct seed *s)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || st.st_size > (64 << 20))
		return -1;
	s->len = (size_t)st.st_size;
	s->buf = malloc(s->len ? s->len : 1);
	if (!s->buf || read(fd, s->buf, s->len) != (ssize_t)s->len)
		return -1;
	close(fd);
	return 0;
}

/* One mutation of SEED into OUT: mostly in the headers, where the checks are. */
static size_t mutate(const struct seed *seed, unsigned char *out)
{
	static const unsigned char values[] = { 0x00, 0xff, 0x7f, 0x80, 0x01 };
	size_t len = seed->len, n = 1 + (size_t)(rand() % 8);

	memcpy(out, seed->buf, len);
	for (size_t i = 0; i < n && len; i++) {
		size_t at = rand() % 4 ? (size_t)rand() % (len < 512 ? len : 512) :
			    (size_t)rand() % len;

		if (rand() % 2)
			out[at] ^= (unsigned char)(1u << (rand() % 8));
		else
			out[at] = values[rand() % (int)sizeof(values)];
	}
	if (rand() % 16 == 0)
		len = (size_t)rand() % (len + 1);
	return len;
}

int main(int argc, char **argv)
{
	const char *env = getenv("UEXEC_FUZZ_RUNS");
	long runs = env ? atol(env) : 2000, done = 0;
	struct seed *seeds = calloc((size_t)argc, sizeof(*seeds));
	size_t nseeds = 0, max = 1;
	unsigned char *buf;

	for (int i = 1; i < argc; i++) {
		if (load(argv[i], &seeds[nseeds])) {
			fprintf(stderr, "smoke: %s: cannot read\n", argv[i]);
			return 2;
		}
		if (seeds[nseeds].len > max)
			max = seeds[nseeds].len;
		LLVMFuzzerTestOneInput(seeds[nseeds].buf, seeds[nseeds].len);
		nseeds++, done++;
	}
	if (!nseeds)
		return 2;
	buf = malloc(max);
	srand(12345);
	for (long r = 0; r < runs; r++, done++)
		LLVMFuzzerTestOneInput(buf, mutate(&seeds[(size_t)rand() % nseeds], buf));
	printf("%ld inputs\n", done);
	free(buf);
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i].buf);
	free(seeds);
	return 0;
}
