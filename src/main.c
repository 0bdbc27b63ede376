/* SPDX-License-Identifier: MIT */
/*
 * uexec [OPTIONS] [--] PROGRAM [ARGS...]: the command line front end of
 * the library.  It parses options, finds PROGRAM as execvp(3) would, and
 * calls uexec_execve_opts(), which does not return on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uexec/uexec.h"
#ifndef UEXEC_CLI_STATIC
#include "call.h"
#endif
#include "cli.h"
#include "debug.h"
#include "plan_print.h"
#include "binfmt_d.h"
#include "compare/compare.h"
#include "binfmt_misc.h"
#include "formats.h"
#include "plugin.h"
#include "escape.h"
#include "fresh.h"
#include "ownstack.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
"Usage: uexec [OPTIONS] [--] PROGRAM [ARGS...]\n"
"       uexec --call=OBJECT:SYMBOL:SIGNATURE [--] [ARG...]\n"
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
"      --layout[=svg:FILE] draw the plan's address space, top to bottom, with\n"
"                          the gaps and what is randomised (implies --dry-run);\n"
"                          svg:FILE writes it as an SVG picture to FILE\n"
"      --break             stop (SIGSTOP) at the program's first instruction and\n"
"                          print the pid and the gdb command that attaches\n"
"      --wait-gdb          --break, then start gdb attached to the program\n"
"      --compare           run PROGRAM through the kernel's execve and through\n"
"                          uexec, stopped at the first instruction, and print\n"
"                          every difference (exit 0 same, 1 different, 2 error);\n"
"                          with -v the equal items too\n"
"      --compare-ignore=ITEMS  allow differences in these items (comma-separated\n"
"                          prefixes, e.g. exe,maps.stack-size)\n"
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
"      --quiet-setid       no notice when a set-user-ID, set-group-ID or file-\n"
"                          capability program runs without those privileges\n"
"                          (also UEXEC_QUIET_SETID=1)\n"
"      --call=OBJECT:SYMBOL:SIGNATURE [--] [ARG...]\n"
"                          load OBJECT with dlopen, call SYMBOL (exported, or\n"
"                          in its .symtab) as the C function type SIGNATURE,\n"
"                          e.g. 'double(double)', with the ARGs, and print the\n"
"                          return value; the words after it are the ARGs\n"
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

	if (!*name) {		/* execvp(""): ENOENT, not a directory of PATH */
		errno = ENOENT;
		return NULL;
	}
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

#ifdef UEXEC_CLI_STATIC
/* Never reached: plugins are handed over to uexec-dynamic (hand_over()),
 * and the static build links no dlopen. */
static int static_no_plugin(const char *name, char *err, size_t len)
{
	snprintf(err, len, "%s: plugins need uexec-dynamic", name);
	return -1;
}

static int static_no_plugin_path(const char *path, void (*report)(const char *, const char *))
{
	(void)path; (void)report;
	return 0;
}
#define uexec_load_plugin static_no_plugin
#define uexec_load_plugin_path static_no_plugin_path
#endif

static void report_bad_line(const char *file, unsigned int line, const char *reason,
			    void *arg)
{
	uexec_eprint("%s:%u: %s", file, line, reason);
	(*(int *)arg)++;
}

static void report_plugin(const char *plugin, const char *reason)
{
	fprintf(stderr, "uexec: warning: UEXEC_PLUGIN_PATH: %s\n", reason);
}

/* A handler option, applied in order after the option parsing. */
struct handler_opt {
	int kind;		/* 'R' --binfmt, 'r' --binfmt-file, 'P' --plugin,
				 * 'X' --disable-handler */
	const char *arg;
};

/* Everything the command line says.  Owns hopts (one per argument at
 * most) and debug_out; cli_free() releases them. */
struct cli {
	struct uexec_options opts;
	struct uexec_compare_opts co;
	struct handler_opt *hopts;
	size_t nhopts;
	int fd;			/* --fd, or -1 */
	bool compare, wait_gdb, list_handlers;
};

static void cli_free(struct cli *c)
{
	free(c->hopts);
	if (c->opts.debug_out)
		fclose(c->opts.debug_out);
}

static int apply_rules(const struct cli *c)
{
	char err[1024];
	int ret, bad = 0;

	for (size_t i = 0; i < c->nhopts; i++) {
		const struct handler_opt *h = &c->hopts[i];

		if (h->kind == 'R') {
			ret = uexec_misc_register(h->arg, strlen(h->arg), "--binfmt", err,
						  sizeof(err));
			if (ret) {
				fprintf(stderr, "uexec: --binfmt '%s': %s (%s)\n", h->arg, err,
					strerror(-ret));
				bad++;
			}
		} else if (h->kind == 'r') {
			ret = uexec_misc_load_file(h->arg, report_bad_line, &bad, err,
						   sizeof(err));
			if (ret < 0) {
				fprintf(stderr, "uexec: --binfmt-file %s: %s\n", h->arg, err);
				bad++;
			}
		}
	}
	return bad;
}

static int apply_plugins_and_disables(const struct cli *c)
{
	char err[1024];
	int bad = 0;

	for (size_t i = 0; i < c->nhopts; i++) {
		if (c->hopts[i].kind == 'P' && uexec_load_plugin(c->hopts[i].arg, err,
								 sizeof(err))) {
			uexec_eprint("%s", err);
			bad++;
		}
	}
	for (size_t i = 0; i < c->nhopts; i++) {
		if (c->hopts[i].kind == 'X' && !uexec_disable_handler(c->hopts[i].arg)) {
			fprintf(stderr, "uexec: --disable-handler: no handler '%s' "
				"(--list-handlers lists them)\n", c->hopts[i].arg);
			bad++;
		}
	}
	return bad;
}

/*
 * The handler list, in the order the kernel's would be built: the system's
 * binfmt.d rules (at boot), then --binfmt and --binfmt-file in command line
 * order (each new rule goes in front), then the plugins of
 * UEXEC_PLUGIN_PATH and of --plugin, then --disable-handler.  Any error of
 * an explicit option is fatal (returns -1, message printed).
 */
static int setup_handlers(const struct cli *c)
{
	const char *env = getenv("UEXEC_PLUGIN_PATH");
	int bad;

	uexec_handlers_init(c->opts.debug, c->opts.debug_out);
	if (!(c->opts.flags & UEXEC_F_NO_SYSTEM_BINFMT))
		uexec_misc_load_system();
	bad = apply_rules(c);
	if (env && *env)
		uexec_load_plugin_path(env, report_plugin);
	bad += apply_plugins_and_disables(c);
	return bad ? -1 : 0;
}

/* The value of --fd: a descriptor number, or -1. */
static int parse_fd(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || end == s || v < 0 || v > 0x7fffffff) {
		fprintf(stderr, "uexec: --fd: not a descriptor: %s\n", s);
		return -1;
	}
	return (int)v;
}

static int parse_debug(struct cli *c, const char *spec, const char *what)
{
	const char *bad;

	if (!uexec_cli_debug_parse(spec, &c->opts.debug, &bad))
		return 0;
	fprintf(stderr, "uexec: %s: unknown category '%s' (--debug=help lists them)\n", what,
		bad);
	return -1;
}

/* Options that only set a flag of the exec. */
static bool flag_option(struct cli *c, int opt)
{
	switch (opt) {
	case 'v': c->opts.debug = UEXEC_DBG_ALL; return true;
	case 'n': c->opts.flags |= UEXEC_F_DRY_RUN; return true;
	case 'J': c->opts.flags |= UEXEC_F_JSON | UEXEC_F_DRY_RUN; return true;
	case 'B': c->opts.flags |= UEXEC_F_BREAK; return true;
	case 'S': c->opts.flags |= UEXEC_F_NO_SYSTEM_BINFMT; return true;
	case 'W': c->wait_gdb = true; return true;
	case 'C': c->compare = true; return true;
	case 'L': c->list_handlers = true; return true;
	case 'q': c->opts.flags |= UEXEC_F_QUIET_SETID; return true;
	}
	return false;
}

/* --layout, --layout=svg:FILE (the picture goes to FILE). */
static int layout_option(struct cli *c, const char *arg)
{
	c->opts.flags |= UEXEC_F_LAYOUT | UEXEC_F_DRY_RUN;
	if (!arg || !strcmp(arg, "text"))
		return 0;
	if (strncmp(arg, "svg:", 4) || !arg[4]) {
		fprintf(stderr, "uexec: --layout=%s: expected --layout or --layout=svg:FILE\n", arg);
		return 1 + 2;
	}
	c->opts.plan_out = fopen(arg + 4, "we");
	if (!c->opts.plan_out) {
		fprintf(stderr, "uexec: %s: %s\n", arg + 4, strerror(errno));
		return 1 + 2;
	}
	c->opts.flags |= UEXEC_F_LAYOUT_SVG;
	return 0;
}

/*
 * One option.  Returns 0 to go on, or 1 + the exit status to stop with
 * (help, version, an error).
 */
static int one_option(struct cli *c, int opt, char *arg)
{
	if (flag_option(c, opt))
		return 0;
	switch (opt) {
	case 'a': c->opts.argv0 = arg; return 0;
	case 'I': c->opts.interp = arg; return 0;
	case 'G': c->co.ignore = arg; return 0;
	case 'Q': uexec_set_break_report_fd(atoi(arg)); return 0;
	case 'F': c->fd = parse_fd(arg); return c->fd < 0 ? 1 + 2 : 0;
	case 'Y': return layout_option(c, arg);
	case 'D':
		if (!strcmp(arg, "help")) {
			uexec_cli_debug_help(stdout);
			return 1 + 0;
		}
		return parse_debug(c, arg, "--debug") ? 1 + 2 : 0;
	case 'O':
		if (c->opts.debug_out)
			fclose(c->opts.debug_out);
		c->opts.debug_out = fopen(arg, "we");
		if (c->opts.debug_out)
			return 0;
		fprintf(stderr, "uexec: %s: %s\n", arg, strerror(errno));
		return 1 + 2;
	case 'R': case 'r': case 'P': case 'X':
		c->hopts[c->nhopts++] = (struct handler_opt){ opt, arg };
		return 0;
	case 'h': usage(stdout); return 1 + 0;
	case 'V': printf("uexec %s\n", UEXEC_VERSION_STRING); return 1 + 0;
	}
	usage(stderr);
	return 1 + 2;
}

/* --call's status, or UEXEC_CALL_HAND_OVER where this build cannot dlopen. */
#define UEXEC_CALL_HAND_OVER 1000
#ifdef UEXEC_CLI_STATIC
static int call_main(const char *spec, int argc, char **argv)
{
	(void)spec; (void)argc; (void)argv;
	return UEXEC_CALL_HAND_OVER;
}
#else
#define call_main uexec_call_main
#endif

/* Is WORD (after its "--", up to any '=') a prefix of more than one long option? */
static bool ambiguous(const char *word, const struct option *longopts)
{
	size_t n = strcspn(word, "="), hits = 0;

	for (const struct option *o = longopts; o->name; o++) {
		if (strlen(o->name) == n && !strncmp(o->name, word, n))
			return false;	/* exact */
		hits += !strncmp(o->name, word, n);
	}
	return hits > 1;
}

/*
 * A bad option (getopt_long() returned OPT, ':' or '?'): one line, in
 * glibc's words, the same in every build (getopt's own messages are the
 * libc's, and musl's differ).  Returns 1 + the usage error's status.
 */
static int option_error(int opt, int argc, char **argv, const char *shortopts,
			const struct option *longopts)
{
	/* The word getopt stopped at: musl counts a missing argument, glibc not. */
	const char *word = argv[optind - 1 < argc ? optind - 1 : argc - 1];
	bool is_long = !strncmp(word, "--", 2), valid_short = optopt && strchr(shortopts, optopt);
	int n = is_long ? (int)strcspn(word + 2, "=") : 0;

	if (opt == ':' && is_long)
		fprintf(stderr, "uexec: option '--%.*s' requires an argument", n, word + 2);
	else if (opt == ':')
		fprintf(stderr, "uexec: option requires an argument -- '%c'", optopt);
	else if (is_long && optopt && (valid_short || word[2 + n] == '='))
		fprintf(stderr, "uexec: option '--%.*s' doesn't allow an argument", n, word + 2);
	else if (is_long && ambiguous(word + 2, longopts))
		fprintf(stderr, "uexec: option '--%.*s' is ambiguous", n, word + 2);
	else if (is_long)
		fprintf(stderr, "uexec: unrecognized option '%s'", word);
	else
		fprintf(stderr, "uexec: invalid option -- '%c'", optopt);
	fprintf(stderr, " (uexec --help lists the options)\n");
	return 1 + 2;
}

static int parse_options(struct cli *c, int argc, char **argv)
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
		{ "layout", optional_argument, NULL, 'Y' },
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
		{ "quiet-setid", no_argument, NULL, 'q' },
		{ "call", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env;
	int opt, ret;

	/* "+": options end at PROGRAM; ":": a missing argument is told apart. */
	static const char shortopts[] = "+:a:vnhV";

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			return option_error(opt, argc, argv, shortopts + 2, longopts);
		/* --call SPEC ends the options: the words after SPEC are the
		 * call's. */
		if (opt == 'K')
			return 1 + call_main(optarg, argc - optind, argv + optind);
		if ((ret = one_option(c, opt, optarg)))
			return ret;
	}
	env = getenv("UEXEC_DEBUG");
	if (!c->opts.debug && env && *env && parse_debug(c, env, "UEXEC_DEBUG"))
		return 1 + 2;
	return 0;
}

/* The exit status of a failed exec (a dry run's success is 0). */
static int exec_status(const struct cli *c, int ret)
{
	int e = errno;

	if (ret == 0)
		return 0;
	if (c->opts.flags & UEXEC_F_JSON)
		uexec_plan_print_json_error(stdout, uexec_strerror(), e, uexec_exit_status(e));
	fprintf(stderr, "uexec: %s\n", uexec_strerror());
	return uexec_exit_status(e);
}

/* PROGRAM [ARGS...] at ARGV: found, then run, compared or debugged. */
static int run_program(struct cli *c, char **argv)
{
	const char *prog = argv[0];
	char *path = NULL;
	int ret;

	if (!strcmp(prog, "-"))
		return exec_status(c, uexec_cli_exec_stdin(argv, environ, &c->opts));
	if (!strchr(prog, '/')) {
		path = search_path(prog);
		if (!path) {
			int e = errno;

			uexec_eprint("%s: %s", prog,
				     e == ENOENT ? "command not found" : strerror(e));
			return uexec_exit_status(e);
		}
		prog = path;
	}
	if (c->compare) {
		c->co.argv0 = c->opts.argv0;
		c->co.interp = c->opts.interp;
		c->co.verbose = c->opts.debug == UEXEC_DBG_ALL;
		ret = uexec_compare_main(prog, argv, environ, &c->co);
	} else if (c->wait_gdb) {
		ret = uexec_wait_gdb_main(prog, argv, environ, &c->opts);
	} else {
		ret = exec_status(c, uexec_execve_opts(prog, -1, argv, environ, &c->opts));
	}
	free(path);
	return ret;
}

#ifdef UEXEC_CLI_STATIC
/*
 * This uexec is statically linked, for a cheap start; a static glibc cannot
 * dlopen (it would load a second libc, and plugins link against uexec's
 * own API).  What needs dlopen (--plugin, UEXEC_PLUGIN_PATH, --call) is
 * handed over, with the same arguments, to the dynamically linked build
 * installed beside it (UEXEC_DYNAMIC_NAME).  Returns only on failure.
 */
static int hand_over(char **argv)
{
	char self[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *path = UEXEC_DYNAMIC_PATH;

	if (n > 0 && (size_t)n + sizeof(UEXEC_DYNAMIC_NAME) < sizeof(self)) {
		self[n] = 0;
		slash = strrchr(self, '/');
		strcpy(slash ? slash + 1 : self, UEXEC_DYNAMIC_NAME);
		if (access(self, X_OK) == 0)
			path = self;
	}
	execve(path, argv, environ);
	uexec_eprint("%s: %s (plugins and --call need the dynamically linked uexec)",
		     path, strerror(errno));
	return errno == ENOENT ? UEXEC_EXIT_NOT_FOUND : UEXEC_EXIT_CANNOT_EXECUTE;
}

static bool needs_dlopen(const struct cli *c)
{
	const char *env = getenv("UEXEC_PLUGIN_PATH");

	for (size_t i = 0; i < c->nhopts; i++)
		if (c->hopts[i].kind == 'P')
			return true;
	return env && *env;
}

/* The kernel has just exec'd this static uexec, which runs nothing foreign
 * (plugins and --call are handed over) and installs no signal handler:
 * the core may rely on what that guarantees (fresh.h).  ENVP is the
 * original one, on the initial stack. */
static void announce_fresh_process(char **envp)
{
	uexec_fresh_process_announce(envp);
}
#else
static int hand_over(char **argv)
{
	(void)argv;
	return 2;
}

static bool needs_dlopen(const struct cli *c)
{
	(void)c;
	return false;
}

/* uexec-dynamic may load plugins, or run under LD_PRELOAD: not fresh. */
static void announce_fresh_process(char **envp)
{
	(void)envp;
}
#endif

static int run(struct cli *c, int argc, char **argv)
{
	int ret = parse_options(c, argc, argv);

	if (ret == 1 + UEXEC_CALL_HAND_OVER || (!ret && needs_dlopen(c)))
		return hand_over(argv);
	if (ret)
		return ret - 1;
	if (setup_handlers(c))
		return 2;
	if (c->list_handlers) {
		uexec_list_handlers(stdout);
		return 0;
	}
	if (c->fd >= 0)
		return exec_status(c, uexec_execve_opts(NULL, c->fd, argv + optind, environ,
							&c->opts));
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	return run_program(c, argv + optind);
}

struct main_args {
	struct cli c;
	int argc;
	char **argv;
};

static int run_main(void *p)
{
	struct main_args *m = p;

	return run(&m->c, m->argc, m->argv);
}

/* The CLI's work, the exec included, runs on uexec's own stack
 * (ownstack.h): its arguments take the stack the kernel gave it. */
int main(int argc, char **argv)
{
	static struct main_args m;
	int status;

	announce_fresh_process(argv + argc + 1);	/* envp follows argv's NULL */
	m.c.fd = -1;
	m.argc = argc;
	m.argv = argv;
	m.c.hopts = calloc((size_t)argc + 1, sizeof(*m.c.hopts));
	if (!m.c.hopts) {
		fprintf(stderr, "uexec: out of memory\n");
		return 2;
	}
	status = uexec_on_own_stack(run_main, &m);
	cli_free(&m.c);
	return status;
}
