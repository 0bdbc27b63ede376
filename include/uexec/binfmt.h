/* SPDX-License-Identifier: MIT */
/*
 * uexec binary format handlers: the interface of the built-in handlers and
 * of plugins.  It mirrors the kernel's struct linux_binfmt.
 *
 * A handler's load_binary(bprm) answers in one of three ways:
 *   0         the format is mine and the exec is set up, in one of two ways:
 *             REWRITE: the handler switched the exec to another file
 *             (uexec_binprm_set_interpreter() or ..._set_interpreter_fd()),
 *             and uexec tries the handler list again on it (at most
 *             UEXEC_MAX_REWRITE_DEPTH times, then ELOOP);
 *             ACCEPT: the handler produced the load plan, which for a
 *             plugin means calling uexec_binprm_load_elf() and returning
 *             its 0 (the ELF handler itself plans directly).
 *             Returning 0 having done neither fails the exec (ENOEXEC).
 *   -ENOEXEC  DECLINE: not my format: try the next handler;
 *   -errno    FAIL: my format, and it failed (the exec fails with that
 *             error; set the reason with uexec_binprm_error()).
 * Handlers never recurse into the handler list themselves.
 *
 * ABI: a plugin is a shared object exporting
 *     const struct uexec_plugin uexec_plugin;
 * whose abi_version equals UEXEC_BINFMT_ABI_VERSION of the header it was
 * built with.  uexec reads that number from the file before loading it and
 * refuses (never runs any code of, constructors included) a plugin whose
 * version differs.  abi_version stays the first member of struct
 * uexec_plugin in every version.  The version changes whenever a struct
 * here changes layout or a function here changes meaning; functions are
 * only added within a version.  The struct uexec_binprm is opaque; plugins
 * use the accessors, which they resolve from the uexec executable (or
 * libuexec.so) that loads them: build plugins with `pkg-config --cflags
 * uexec` and without -luexec.
 */
#ifndef UEXEC_BINFMT_H
#define UEXEC_BINFMT_H

#include <stddef.h>

#ifndef UEXEC_API
#define UEXEC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define UEXEC_BINFMT_ABI_VERSION 1u

/* How many bytes of the file every handler sees (the kernel's
 * BINPRM_BUF_SIZE).  A handler may read more of the file itself. */
#define UEXEC_BINPRM_BUF_SIZE 128

/* The kernel's recursion limit for rewriting handlers (#!, binfmt_misc). */
#define UEXEC_MAX_REWRITE_DEPTH 5

struct uexec_binprm;

struct uexec_binfmt {
	const char *name;
	int (*load_binary)(struct uexec_binprm *bprm);
	void *priv;				/* the handler's own data */
	/* Filled in by uexec: where the handler came from (for
	 * --list-handlers), and the list linkage. */
	const char *origin;
	int enabled;
	struct uexec_binfmt *next;
};

/* The handler list, as the kernel's formats list. */
UEXEC_API void uexec_register_binfmt(struct uexec_binfmt *fmt);	/* at the tail */
UEXEC_API void uexec_insert_binfmt(struct uexec_binfmt *fmt);	/* at the head */
UEXEC_API void uexec_unregister_binfmt(struct uexec_binfmt *fmt);
UEXEC_API struct uexec_binfmt *uexec_binfmt_first(void);

/* --- binprm accessors --------------------------------------------- */

/* The first bytes of the current file; *len is at most
 * UEXEC_BINPRM_BUF_SIZE (less for a shorter file). */
UEXEC_API const unsigned char *uexec_binprm_buf(const struct uexec_binprm *bprm,
				       size_t *len);
/* The name the current file was opened by (what the kernel calls
 * bprm->interp: after a rewrite, the interpreter's path). */
UEXEC_API const char *uexec_binprm_filename(const struct uexec_binprm *bprm);
/* The descriptor of the current file; owned by uexec. */
UEXEC_API int uexec_binprm_fd(const struct uexec_binprm *bprm);
/* Read LEN bytes of the current file at OFFSET (beyond the header);
 * returns the count read (short at the end of the file) or -errno. */
UEXEC_API long uexec_binprm_read(const struct uexec_binprm *bprm, long long offset,
				 void *buf, size_t len);
/* The handler currently trying (its priv is the caller's). */
UEXEC_API struct uexec_binfmt *uexec_binprm_handler(const struct uexec_binprm *bprm);

/* argv as it stands; owned by uexec, edited with the calls below. */
UEXEC_API int uexec_binprm_argc(const struct uexec_binprm *bprm);
UEXEC_API const char *uexec_binprm_arg(const struct uexec_binprm *bprm, int i);
/* Remove argv[0] (the kernel's remove_arg_zero). */
UEXEC_API int uexec_binprm_remove_arg_zero(struct uexec_binprm *bprm);
/* Put a copy of ARG in front of argv (the kernel's copy_string_kernel). */
UEXEC_API int uexec_binprm_push_arg(struct uexec_binprm *bprm, const char *arg);

/* Switch the exec to FILENAME: it is opened now (the kernel's open_exec)
 * and the handler list is tried again on it after load_binary returns 0.
 * Fails with -errno (ENOENT, EACCES...) without changing the binprm. */
UEXEC_API int uexec_binprm_set_interpreter(struct uexec_binprm *bprm,
				 const char *filename);
/* The same with a descriptor the handler opened (uexec takes ownership);
 * NAME is used in messages. */
UEXEC_API int uexec_binprm_set_interpreter_fd(struct uexec_binprm *bprm, int fd,
				    const char *name);

/* ACCEPT: load the current file as an ELF program now, producing the
 * load plan (no further trip through the handler list).  Returns 0, or
 * -errno (-ENOEXEC when it is not an ELF program for this machine). */
UEXEC_API int uexec_binprm_load_elf(struct uexec_binprm *bprm);

/* binfmt_misc's flags.  set_preserve_argv0: AT_FLAGS gets
 * AT_FLAGS_PRESERVE_ARGV0.  set_execfd: when this handler rewrites the
 * exec, the current file stays open for the program, not close-on-exec,
 * and its number is AT_EXECFD (the kernel's have_execfd); a later rewrite
 * in the same exec then fails with ENOEXEC, as the kernel's does. */
UEXEC_API void uexec_binprm_set_preserve_argv0(struct uexec_binprm *bprm);
UEXEC_API int uexec_binprm_set_execfd(struct uexec_binprm *bprm);

/* The reason for a failure, as a printf format; returns -ERR for
 * "return uexec_binprm_error(bprm, EINVAL, ...);". */
UEXEC_API int uexec_binprm_error(struct uexec_binprm *bprm, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- plugins ------------------------------------------------------ */

struct uexec_plugin {
	unsigned int abi_version;	/* UEXEC_BINFMT_ABI_VERSION */
	const char *name;
	const char *description;
	/* Called once after loading; registers handlers with
	 * uexec_register_binfmt() or uexec_insert_binfmt().  Returns 0 or
	 * -errno (the plugin is then unloaded and reported). */
	int (*init)(void);
};

#define UEXEC_PLUGIN_SYMBOL "uexec_plugin"

/* Defines the plugin object with this header's ABI version. */
#define UEXEC_PLUGIN(name_, description_, init_)			\
	UEXEC_API const struct uexec_plugin uexec_plugin = {		\
		.abi_version = UEXEC_BINFMT_ABI_VERSION,		\
		.name = (name_), .description = (description_),		\
		.init = (init_),					\
	}

/* Host side: load the plugin at PATH (a path with a '/', or the name of
 * an installed plugin) and run its init().  Returns 0 or -errno with the
 * reason in ERR (the ABI check, dlopen's message, init's error). */
UEXEC_API int uexec_load_plugin(const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
