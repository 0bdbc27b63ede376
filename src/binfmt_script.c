/* SPDX-License-Identifier: MIT */
/*
 * "#!" scripts (the kernel's fs/binfmt_script.c, as of Linux >= 5.1).
 *
 * load_script() reads the first SCRIPT_BUF_SIZE (256, the kernel's
 * BINPRM_BUF_SIZE since 5.1) bytes of the file itself: the selection
 * header uexec gives every handler is only 128 bytes.  The line is parsed
 * as the kernel parses it:
 *   - "#!" then optional blanks (space, tab), then the interpreter path up
 *     to the first blank or NUL, then optional blanks, then the rest of the
 *     line (trailing blanks removed) is ONE optional argument;
 *   - the line ends at the first '\n' within the buffer; without one, the
 *     interpreter path must be followed by a blank or a NUL inside the
 *     buffer, else it could be truncated and the exec fails with ENOEXEC
 *     (the argument may be truncated: the interpreter re-reads the file);
 *   - argv becomes [interpreter, optional-arg, filename, argv[1]...] where
 *     filename is the name the script was opened by (not argv[0]), and the
 *     exec is rewritten to the interpreter and goes back through the list.
 * The rewrite depth limit (ELOOP) is exec.c's, as it is fs/exec.c's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binprm.h"
#include "binfmt_script.h"
#include "debug.h"
#include "exec.h"

#define SCRIPT_BUF_SIZE 256

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first byte of [first, last] (LAST included) that is not a blank,
 * or NULL. */
static char *next_non_spacetab(char *first, const char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* The first blank or NUL of [first, last] (LAST included), or NULL. */
static char *next_terminator(char *first, const char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/* The parsed "#!" line: pointers into the caller's buffer, each
 * NUL-terminated once parse_line() returns 0. */
struct script_line {
	char *i_name;		/* the interpreter path */
	char *i_arg;		/* the optional argument, or NULL */
};

/* Parse the first SCRIPT_BUF_SIZE bytes of the file (BUF, zero-padded) as
 * the kernel does.  Returns 0, or -ENOEXEC with the reason in bprm->err. */
static int parse_line(struct uexec_binprm *bprm, char *buf, struct script_line *l)
{
	/* The last byte is never part of the line: it becomes the NUL. */
	const char *buf_end = buf + SCRIPT_BUF_SIZE - 1;
	char *i_end = memchr(buf, '\n', SCRIPT_BUF_SIZE), *i_sep;

	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end)
			return uexec_binprm_error(bprm, ENOEXEC, "#! line: only blanks "
						  "in the first %d bytes", SCRIPT_BUF_SIZE);
		/* No blank or NUL after the path: it may be truncated. */
		if (!next_terminator(i_end, buf_end))
			return uexec_binprm_error(bprm, ENOEXEC, "#! line: the interpreter "
						  "path does not end within the first %d "
						  "bytes", SCRIPT_BUF_SIZE);
		i_end = (char *)buf_end;
	}
	/* Trailing blanks are not part of the line (buf[0..1] is "#!"). */
	while (spacetab(i_end[-1]))
		i_end--;

	l->i_name = next_non_spacetab(buf + 2, i_end);
	if (!l->i_name || l->i_name == i_end)
		return uexec_binprm_error(bprm, ENOEXEC, "#! line: no interpreter");

	l->i_arg = NULL;
	i_sep = next_terminator(l->i_name, i_end);
	if (i_sep && *i_sep != '\0')
		l->i_arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (i_sep)
		*i_sep = '\0';
	return 0;
}

/*
 * argv[0] goes; the script's name, the optional argument and the
 * interpreter go in front, in reverse order as the kernel copies them.
 * The name is copied first: pushing args does not change it, but
 * set_interpreter does.  Returns 0 or -errno with the reason in bprm->err.
 */
static int rewrite_to_interpreter(struct uexec_binprm *bprm,
				  const struct script_line *l)
{
	char *filename = strdup(uexec_binprm_filename(bprm));
	int ret;

	if (!filename)
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	ret = uexec_binprm_remove_arg_zero(bprm);
	if (!ret)
		ret = uexec_binprm_push_arg(bprm, filename);
	if (!ret && l->i_arg)
		ret = uexec_binprm_push_arg(bprm, l->i_arg);
	if (!ret)
		ret = uexec_binprm_push_arg(bprm, l->i_name);
	if (ret)
		goto free_filename;

	ret = uexec_binprm_set_interpreter(bprm, l->i_name);
	if (ret) {
		char reason[256];

		snprintf(reason, sizeof(reason), "%s", strerror(-ret));
		uexec_binprm_error(bprm, -ret, "interpreter %s: %s", l->i_name, reason);
	}
free_filename:
	if (ret == -ENOMEM)
		uexec_binprm_error(bprm, ENOMEM, "out of memory");
	free(filename);
	return ret;
}

static int load_script(struct uexec_binprm *bprm)
{
	char buf[SCRIPT_BUF_SIZE];
	struct script_line line = { NULL, NULL };
	const unsigned char *head;
	size_t head_len;
	ssize_t n;
	int ret;

	/* Not ours to exec if we don't start with "#!". */
	head = uexec_binprm_buf(bprm, &head_len);
	if (head_len < 2 || head[0] != '#' || head[1] != '!')
		return -ENOEXEC;

	/* The kernel's buffer: zero-padded when the file is shorter. */
	memset(buf, 0, sizeof(buf));
	n = pread(uexec_binprm_fd(bprm), buf, sizeof(buf), 0);
	if (n < 0)
		return uexec_binprm_error(bprm, errno, "read: %s", strerror(errno));
	ret = parse_line(bprm, buf, &line);
	if (ret)
		return ret;
	if (uexec_binprm_path_inaccessible(bprm))
		return uexec_binprm_error(bprm, ENOENT, "a script run through a "
					  "close-on-exec descriptor cannot be "
					  "opened by its interpreter");
	/* "#!" then a NUL: the kernel's open_exec("") looks the empty name
	 * up as the current directory, which may_open() refuses with EACCES
	 * (fs/namei.c); uexec_open_exec() would say ENOENT. */
	if (!line.i_name[0])
		return uexec_binprm_error(bprm, EACCES, "#! line: empty interpreter name");
	return rewrite_to_interpreter(bprm, &line);
}

struct uexec_binfmt uexec_script_format = {
	.name = "script",
	.load_binary = load_script,
	.origin = "built-in",
};
