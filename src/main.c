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
#include "compare.h"
#include "compare/compare.h"
#include "binfmt_misc.h"
#include "plugin.h"

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
"      --json              print the plan as one JSON document (implies\n"
"                          --dry-run; schema in doc/plan-schema.md)\n"
"      --break             stop (SIGSTOP) at the program's first instruction and\n"
"                          print the pid and the gdb command that attaches\n"
"      --wait-gdb          --break, then start gdb attached to the program\n"
"      --compare           run PROGRAM through the kernel's execve and through\n"
"                          uexec, stopped at the first instruction, and print\n"
"                          every difference (exit 0 same, 1 different, 2 error);\n"
"                          with -v the equal items too\n"
"      --compare-ignore=ITEMS  allow differences in these items (comma-separated\n"
"                          prefixes, e.g. regs.eflags,maps)\n"
"      --report-fd=N       with --break: write the stop report to descriptor N\n"
"                          instead of stderr (used by --compare)\n"
"      --binfmt=RULE       register a binfmt_misc rule (:name:type:offset:magic:\n"
"                          mask:interpreter:flags); repeatable\n"
"      --binfmt-file=FILE  register the rules of a binfmt.d(5) file; repeatable\n"
"      --no-system-binfmt  do not read /etc/binfmt.d, /run/binfmt.d,\n"
"                          /usr/local/lib/binfmt.d, /usr/lib/binfmt.d\n"
"      --plugin=FILE       load a handler plugin (a path, or the name of an\n"
"                          installed one); repeatable; also UEXEC_PLUGIN_PATH\n"
"      --disable-handler=NAME  disable a handler (or binfmt_misc rule)\n"
"      --list-handlers     print the handler list in order and exit\n"
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

static void report_bad_line(const char *file, unsigned int line, const char *reason,
			    void *arg)
{
	fprintf(stderr, "uexec: %s:%u: %s\n", file, line, reason);
	(*(int *)arg)++;
}

static void report_plugin(const char *plugin, const char *reason)
{
	fprintf(stderr, "uexec: warning: UEXEC_PLUGIN_PATH: %s\n", reason);
}

/*
 * The handler list, in the order the kernel's would be built: the system's
 * binfmt.d rules (at boot), then --binfmt and --binfmt-file in command line
 * order (each new rule goes in front), then the plugins of
 * UEXEC_PLUGIN_PATH and of --plugin, then --disable-handler.  Any error of
 * an explicit option is fatal (returns -1, message printed).
 */
static int setup_handlers(struct uexec_options *opts, const void *hv, size_t n)
{
	const struct { int kind; const char *arg; } *h = hv;
	const char *env = getenv("UEXEC_PLUGIN_PATH");
	char err[1024];
	int ret, bad = 0;

	uexec_handlers_init(opts->debug, opts->debug_out);
	if (!(opts->flags & UEXEC_F_NO_SYSTEM_BINFMT))
		uexec_misc_load_system();
	for (size_t i = 0; i < n; i++) {
		if (h[i].kind == 'R') {
			ret = uexec_misc_register(h[i].arg, strlen(h[i].arg), "--binfmt",
						  err, sizeof(err));
			if (ret) {
				fprintf(stderr, "uexec: --binfmt '%s': %s (%s)\n", h[i].arg,
					err, strerror(-ret));
				bad++;
			}
		} else if (h[i].kind == 'r') {
			ret = uexec_misc_load_file(h[i].arg, report_bad_line, &bad);
			if (ret < 0) {
				fprintf(stderr, "uexec: --binfmt-file %s: %s\n", h[i].arg,
					strerror(-ret));
				bad++;
			}
		}
	}
	if (env && *env)
		uexec_load_plugin_path(env, report_plugin);
	for (size_t i = 0; i < n; i++) {
		if (h[i].kind == 'P' && uexec_load_plugin(h[i].arg, err, sizeof(err))) {
			fprintf(stderr, "uexec: %s\n", err);
			bad++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (h[i].kind == 'X' && !uexec_disable_handler(h[i].arg)) {
			fprintf(stderr, "uexec: --disable-handler: no handler '%s' "
				"(--list-handlers lists them)\n", h[i].arg);
			bad++;
		}
	}
	return bad ? -1 : 0;
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
		{ "wait-gdb", no_argument, NULL, 'W' },
		{ "compare", no_argument, NULL, 'C' },
		{ "compare-ignore", required_argument, NULL, 'G' },
		{ "report-fd", required_argument, NULL, 'Q' },
		{ "binfmt", required_argument, NULL, 'R' },
		{ "binfmt-file", required_argument, NULL, 'r' },
		{ "no-system-binfmt", no_argument, NULL, 'S' },
		{ "plugin", required_argument, NULL, 'P' },
		{ "disable-handler", required_argument, NULL, 'X' },
		{ "list-handlers", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct uexec_options opts;
	struct uexec_compare_opts co = { 0 };
	int compare = 0, wait_gdb = 0;
	const char *prog, *bad;
	char *path = NULL;
	int c, fd = -1, ret, list_handlers = 0;
	/* Handler options, applied in order after the option parsing (at
	 * most one per argument; on the stack, so that no exit path leaks). */
	struct handler_opt { int kind; const char *arg; } hopts[argc + 1];
	size_t nhopts = 0;

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
			opts.flags |= UEXEC_F_JSON | UEXEC_F_DRY_RUN;
			break;
		case 'B':
			opts.flags |= UEXEC_F_BREAK;
			break;
		case 'W':
			wait_gdb = 1;
			break;
		case 'C':
			compare = 1;
			break;
		case 'G':
			co.ignore = optarg;
			break;
		case 'Q':
			uexec_set_break_report_fd(atoi(optarg));
			break;
		case 'R': case 'r': case 'P': case 'X':
			hopts[nhopts].kind = c;
			hopts[nhopts++].arg = optarg;
			break;
		case 'S':
			opts.flags |= UEXEC_F_NO_SYSTEM_BINFMT;
			break;
		case 'L':
			list_handlers = 1;
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
	ret = setup_handlers(&opts, hopts, nhopts);
	if (ret)
		return 2;
	if (list_handlers) {
		uexec_list_handlers(stdout);
		return 0;
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
	if (compare) {
		co.argv0 = opts.argv0;
		co.interp = opts.interp;
		co.verbose = opts.debug == UEXEC_DBG_ALL;
		return uexec_compare_main(path ? path : prog, argv + optind, environ, &co);
	}
	if (wait_gdb)
		return uexec_wait_gdb_main(path ? path : prog, argv + optind, environ, &opts);
	ret = uexec_execve_opts(path ? path : prog, -1, argv + optind, environ, &opts);
out:
	if (ret == 0)		/* a dry run */
		return 0;
	ret = errno;
	if (opts.flags & UEXEC_F_JSON)
		uexec_plan_print_json_error(stdout, uexec_strerror(), ret, uexec_exit_status(ret));
	fprintf(stderr, "uexec: %s\n", uexec_strerror());
	return uexec_exit_status(ret);
}
