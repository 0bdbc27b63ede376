/* SPDX-License-Identifier: MIT */
/*
 * gzip: run programs compressed with gzip(1).
 *
 * load_gzip() takes a file starting with the gzip magic (1f 8b, method 8),
 * decompresses it (every member, as gunzip does) into a sealed memfd named
 * after the file, and rewrites the exec to that memfd: the result goes
 * back through the handler list (an ELF program is then loaded by the ELF
 * handler, a compressed x86_64 program of another format by its handler).
 * argv is left as it is: the program sees the name it was run by.
 *
 * Outcomes: not gzip -> -ENOEXEC (decline); corrupt data, a result over
 * GZIP_MAX_SIZE, or a compressed "#!" script (its interpreter would re-read
 * the compressed file) -> fail; else 0 with a rewrite.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* memfd_create */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <uexec/binfmt.h>

#define GZIP_MAX_SIZE (1ULL << 30)	/* refuse to inflate more (a bomb) */
#define CHUNK 65536

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Inflate the whole current file into FD.  Returns 0 or -errno, with the
 * reason set on BPRM. */
static int inflate_file(struct uexec_binprm *bprm, int fd)
{
	static unsigned char in[CHUNK], out[CHUNK];
	unsigned long long total = 0;
	long long off = 0;
	z_stream zs;
	int zret = Z_OK, ret = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return uexec_binprm_error(bprm, ENOMEM, "gzip: zlib: out of memory");
	for (;;) {
		long n;

		if (zs.avail_in == 0) {
			n = uexec_binprm_read(bprm, off, in, sizeof(in));
			if (n < 0) {
				ret = uexec_binprm_error(bprm, (int)-n, "gzip: read: %s",
							 strerror((int)-n));
				goto end_inflate;
			}
			if (n == 0)
				break;
			off += n;
			zs.next_in = in;
			zs.avail_in = (uInt)n;
		}
		/* A new member after the end of one (gunzip's concatenation). */
		if (zret == Z_STREAM_END) {
			if (inflateReset(&zs) != Z_OK) {
				ret = uexec_binprm_error(bprm, EINVAL, "gzip: zlib reset failed");
				goto end_inflate;
			}
		}
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		zret = inflate(&zs, Z_NO_FLUSH);
		if (zret != Z_OK && zret != Z_STREAM_END && zret != Z_BUF_ERROR) {
			ret = uexec_binprm_error(bprm, EINVAL, "gzip: corrupt data (%s)",
						 zs.msg ? zs.msg : zError(zret));
			goto end_inflate;
		}
		total += sizeof(out) - zs.avail_out;
		if (total > GZIP_MAX_SIZE) {
			ret = uexec_binprm_error(bprm, EFBIG, "gzip: more than %llu bytes "
						 "decompressed", GZIP_MAX_SIZE);
			goto end_inflate;
		}
		ret = write_all(fd, out, sizeof(out) - zs.avail_out);
		if (ret) {
			uexec_binprm_error(bprm, -ret, "gzip: memfd: %s", strerror(-ret));
			goto end_inflate;
		}
	}
	if (zret != Z_STREAM_END)
		ret = uexec_binprm_error(bprm, EINVAL, "gzip: truncated data");
end_inflate:
	inflateEnd(&zs);
	return ret;
}

static int load_gzip(struct uexec_binprm *bprm)
{
	const unsigned char *head;
	const char *name = uexec_binprm_filename(bprm), *base;
	char memname[64], magic[2];
	size_t len;
	int fd, ret;

	head = uexec_binprm_buf(bprm, &len);
	if (len < 18 || head[0] != 0x1f || head[1] != 0x8b || head[2] != 8)
		return -ENOEXEC;

	base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	snprintf(memname, sizeof(memname), "%.*s", (int)strcspn(base, "."), base);
	fd = memfd_create(memname[0] ? memname : "gzip", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return uexec_binprm_error(bprm, errno, "gzip: memfd_create: %s",
					  strerror(errno));
	ret = inflate_file(bprm, fd);
	if (ret)
		goto close_fd;
	if (pread(fd, magic, 2, 0) == 2 && magic[0] == '#' && magic[1] == '!') {
		ret = uexec_binprm_error(bprm, ENOEXEC, "gzip: a compressed #! script "
					 "cannot run (its interpreter would read the "
					 "compressed file)");
		goto close_fd;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
		  F_SEAL_SEAL)) {
		ret = uexec_binprm_error(bprm, errno, "gzip: sealing: %s", strerror(errno));
		goto close_fd;
	}
	/* The memfd goes back through the list; uexec owns it from here. */
	ret = uexec_binprm_set_interpreter_fd(bprm, fd, name);
	if (ret)
		goto close_fd;
	return 0;

close_fd:
	close(fd);
	return ret;
}

static struct uexec_binfmt gzip_format = {
	.name = "gzip",
	.load_binary = load_gzip,
};

static int gzip_init(void)
{
	/* After ELF and scripts: nothing else claims the gzip magic. */
	uexec_register_binfmt(&gzip_format);
	return 0;
}

UEXEC_PLUGIN("gzip", "programs compressed with gzip, decompressed into a sealed memfd",
	     gzip_init);
