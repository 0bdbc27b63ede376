/* SPDX-License-Identifier: MIT */
/*
 * uexec [OPTIONS] [--] PROGRAM [ARGS...]: the command line front end of
 * the library.  It parses options, finds PROGRAM as execvp(3) would, and
 * calls uexec_execve_opts(), which does not return on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uexec/uexec.h"
#include "cli.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
"Usage: uexec [OPTIONS] [--] PROGRAM [ARGS...]\n"
"Run PROGRAM in this process without execve(2), as the kernel would run it.\n"
"PROGRAM without a slash is looked up in PATH; '-' reads it from standard input.\n"
"\n"
"  -a, --argv0=NAME        pass NAME as argv[0]\n"
"      --fd=N              run the program open on descriptor N (as fexecve)\n"
"      --interp=PATH       use PATH as the ELF interpreter instead of PT_INTERP\n"
"  -v, --verbose           print each step to stderr (--debug=all)\n"
"      --debug=CATS        trace categories (comma-separated; 'help' lists them)\n"
"      --debug-file=FILE   write the trace to FILE instead of stderr\n"
"  -n, --dry-run           do everything up to the point of no return, print\n"
"                          the plan, run nothing\n"
"      --json              with --dry-run: print the plan as JSON\n"
"      --break             stop (SIGSTOP) at the program's first instruction\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Exit status: the program's; 126 if it cannot be executed, 127 if not found.\n");
}

/* The execvp(3) search, without its ENOEXEC fallback to /bin/sh (the
 * kernel has none either).  Returns a malloc'd path, or NULL with errno. */
static char *search_path(const char *name)
{
	const char *path = getenv("PATH");
	int saw_eacces = 0;

	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (const char *p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		char *cand = malloc(dlen + strlen(name) + 2);

		if (!cand)
			return NULL;
		if (dlen)
			sprintf(cand, "%.*s/%s", (int)dlen, p, name);
		else
			sprintf(cand, "%s", name);
		if (access(cand, X_OK) == 0) {
			char err[128];
			int fd;

			if (uexec_cli_open_check(cand, &fd, err, sizeof(err)) == 0) {
				close(fd);
				return cand;
			}
		}
		if (errno == EACCES)
			saw_eacces = 1;
		free(cand);
		if (!colon)
			break;
		p = colon + 1;
	}
	errno = saw_eacces ? EACCES : ENOENT;
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "argv0", required_argument, NULL, 'a' },
		{ "fd", required_argument, NULL, 'F' },
		{ "interp", required_argument, NULL, 'I' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "debug", required_argument, NULL, 'D' },
		{ "debug-file", required_argument, NULL, 'O' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'J' },
		{ "break", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct uexec_options opts;
	const char *prog, *bad;
	char *path = NULL;
	int c, fd = -1, ret;

	memset(&opts, 0, sizeof(opts));
	while ((c = getopt_long(argc, argv, "+a:vnhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			opts.argv0 = optarg;
			break;
		case 'F': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || end == optarg || v < 0 || v > 0x7fffffff) {
				fprintf(stderr, "uexec: --fd: not a descriptor: %s\n", optarg);
				return 2;
			}
			fd = (int)v;
			break;
		}
		case 'I':
			opts.interp = optarg;
			break;
		case 'v':
			opts.debug = UEXEC_DBG_ALL;
			break;
		case 'D':
			if (!strcmp(optarg, "help")) {
				uexec_cli_debug_help(stdout);
				return 0;
			}
			if (uexec_cli_debug_parse(optarg, &opts.debug, &bad)) {
				fprintf(stderr, "uexec: --debug: unknown category '%s' "
					"(--debug=help lists them)\n", bad);
				return 2;
			}
			break;
		case 'O':
			opts.debug_out = fopen(optarg, "we");
			if (!opts.debug_out) {
				fprintf(stderr, "uexec: %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			break;
		case 'n':
			opts.flags |= UEXEC_F_DRY_RUN;
			break;
		case 'J':
			opts.flags |= UEXEC_F_JSON;
			break;
		case 'B':
			opts.flags |= UEXEC_F_BREAK;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("uexec %s\n", UEXEC_VERSION_STRING);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!opts.debug) {
		const char *env = getenv("UEXEC_DEBUG");

		if (env && *env && uexec_cli_debug_parse(env, &opts.debug, &bad)) {
			fprintf(stderr, "uexec: UEXEC_DEBUG: unknown category '%s'\n", bad);
			return 2;
		}
	}
	if (fd >= 0) {
		if (optind > argc) {
			usage(stderr);
			return 2;
		}
		ret = uexec_execve_opts(NULL, fd, argv + optind, environ, &opts);
		prog = "(fd)";
		goto out;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	prog = argv[optind];
	if (!strcmp(prog, "-")) {
		ret = uexec_cli_exec_stdin(argv + optind, environ, &opts);
		goto out;
	}
	if (!strchr(prog, '/')) {
		path = search_path(prog);
		if (!path) {
			int e = errno;

			fprintf(stderr, "uexec: %s: %s\n", prog,
				e == ENOENT ? "command not found" : strerror(e));
			return uexec_exit_status(e);
		}
	}
	ret = uexec_execve_opts(path ? path : prog, -1, argv + optind, environ, &opts);
out:
	if (ret == 0)		/* a dry run */
		return 0;
	fprintf(stderr, "uexec: %s\n", uexec_strerror());
	return uexec_exit_status(errno);
}
