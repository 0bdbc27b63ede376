/* SPDX-License-Identifier: MIT */
/*
 * crlf: a minimal uexec plugin, to copy.  It runs "#!" scripts saved with
 * DOS line ends ("#!/bin/sh\r\n"), which the kernel (and uexec's script
 * handler) refuse because the interpreter is then "/bin/sh\r".
 *
 * Build and use (see README.md):
 *   cc -shared -fPIC $(pkg-config --cflags uexec) -o crlf.so crlf.c
 *   uexec --plugin ./crlf.so ./script-with-crlf
 */
#include <errno.h>
#include <string.h>

#include <uexec/binfmt.h>

static int load_crlf_script(struct uexec_binprm *bprm)
{
	char line[UEXEC_BINPRM_BUF_SIZE + 1], *name, *end, *arg = NULL;
	const unsigned char *buf;
	size_t len;
	int ret;

	/* Decline (-ENOEXEC) anything but "#!...\r\n" in the header. */
	buf = uexec_binprm_buf(bprm, &len);
	memcpy(line, buf, len);
	line[len] = '\0';
	end = strstr(line, "\r\n");
	if (len < 2 || memcmp(line, "#!", 2) || !end || memchr(line, '\n', end - line))
		return -ENOEXEC;
	*end = '\0';

	/* "#!" blanks NAME [blanks ARG] */
	name = line + 2 + strspn(line + 2, " \t");
	if (!*name)
		return uexec_binprm_error(bprm, ENOEXEC, "crlf: no interpreter");
	end = name + strcspn(name, " \t");
	if (*end) {
		*end++ = '\0';
		end += strspn(end, " \t");
		if (*end)
			arg = end;
	}

	/* argv: [interpreter, arg, script, argv[1]...], as the kernel's. */
	ret = uexec_binprm_remove_arg_zero(bprm);
	if (!ret)
		ret = uexec_binprm_push_arg(bprm, uexec_binprm_filename(bprm));
	if (!ret && arg)
		ret = uexec_binprm_push_arg(bprm, arg);
	if (!ret)
		ret = uexec_binprm_push_arg(bprm, name);
	if (ret)
		return ret;
	/* Rewrite: the interpreter goes back through the handler list. */
	return uexec_binprm_set_interpreter(bprm, name);
}

static struct uexec_binfmt crlf_format = {
	.name = "crlf-script",
	.load_binary = load_crlf_script,
};

static int crlf_init(void)
{
	/* In front: the built-in script handler would fail these files. */
	uexec_insert_binfmt(&crlf_format);
	return 0;
}

UEXEC_PLUGIN("crlf", "#! scripts with DOS line ends", crlf_init);
