/* SPDX-License-Identifier: MIT */
/*
 * The binprm's life and its accessors (binprm.h, and the plugin ABI of
 * include/uexec/binfmt.h): what a handler may read of the exec in progress
 * and how it may rewrite it.  None of it touches the address space.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binfmt_elf.h"
#include "binprm.h"
#include "exec.h"

void uexec_binprm_init(struct uexec_binprm *bprm, const struct uexec_options *opts)
{
	static const struct uexec_options no_opts;

	memset(bprm, 0, offsetof(struct uexec_binprm, plan));
	bprm->fd = bprm->next_fd = bprm->execfd = bprm->fd_arg = bprm->timens_fd = -1;
	bprm->opts = opts ? opts : &no_opts;
	uexec_plan_init(&bprm->plan);
	bprm->err[0] = '\0';
}

void uexec_binprm_free(struct uexec_binprm *bprm)
{
	uexec_plan_free(&bprm->plan);
	if (bprm->fd >= 0)
		close(bprm->fd);
	if (bprm->next_fd >= 0)
		close(bprm->next_fd);
	if (bprm->execfd >= 0)
		close(bprm->execfd);
	if (bprm->timens_fd >= 0)
		close(bprm->timens_fd);
	bprm->fd = bprm->next_fd = bprm->execfd = bprm->timens_fd = -1;
	free(bprm->filename);
	free(bprm->interp_name);
	free(bprm->next_name);
	bprm->filename = bprm->interp_name = bprm->next_name = NULL;
	uexec_strv_free(&bprm->argv);
	uexec_strv_free(&bprm->envp);
}



/* String vectors */

static int strv_reserve(struct uexec_strv *sv, size_t n)
{
	char **nv;
	size_t cap;

	if (n + 1 <= sv->cap)
		return 0;
	cap = sv->cap ? sv->cap * 2 : 8;
	while (cap < n + 1)
		cap *= 2;
	nv = realloc(sv->v, cap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	sv->v = nv;
	sv->cap = cap;
	return 0;
}

int uexec_strv_init(struct uexec_strv *sv, char *const *src)
{
	size_t n = 0;

	memset(sv, 0, sizeof(*sv));
	while (src && src[n])
		n++;
	if (strv_reserve(sv, n))
		return -ENOMEM;
	if (n)
		memcpy(sv->v, src, n * sizeof(*sv->v));
	sv->v[n] = NULL;
	sv->n = n;
	return 0;
}

/* A copy pushed in front: owned by the vector's list. */
struct uexec_strv_own {
	struct uexec_strv_own *next;
	char s[];
};

int uexec_strv_push_front(struct uexec_strv *sv, const char *s)
{
	size_t len = strlen(s) + 1;
	struct uexec_strv_own *copy = malloc(sizeof(*copy) + len);

	if (!copy || strv_reserve(sv, sv->n + 1)) {
		free(copy);
		return -ENOMEM;
	}
	memcpy(copy->s, s, len);
	copy->next = sv->own;
	sv->own = copy;
	memmove(sv->v + 1, sv->v, (sv->n + 1) * sizeof(*sv->v));
	sv->v[0] = copy->s;
	sv->n++;
	return 0;
}

void uexec_strv_free(struct uexec_strv *sv)
{
	while (sv->own) {
		struct uexec_strv_own *next = sv->own->next;

		free(sv->own);
		sv->own = next;
	}
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}


/* binprm accessors (the plugin ABI) */

const unsigned char *uexec_binprm_buf(const struct uexec_binprm *bprm,
				       size_t *len)
{
	if (len)
		*len = bprm->buf_len;
	return bprm->buf;
}

const char *uexec_binprm_filename(const struct uexec_binprm *bprm)
{
	return bprm->interp_name;
}

int uexec_binprm_fd(const struct uexec_binprm *bprm)
{
	return bprm->fd;
}

long uexec_binprm_read(const struct uexec_binprm *bprm, long long offset,
		       void *buf, size_t len)
{
	ssize_t n;

	if (offset < 0)
		return -EINVAL;
	do
		n = pread(bprm->fd, buf, len, (off_t)offset);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

int uexec_binprm_load_elf(struct uexec_binprm *bprm)
{
	return uexec_elf_format.load_binary(bprm);
}

struct uexec_binfmt *uexec_binprm_handler(const struct uexec_binprm *bprm)
{
	return bprm->handler;
}

int uexec_binprm_argc(const struct uexec_binprm *bprm)
{
	return (int)bprm->argv.n;
}

const char *uexec_binprm_arg(const struct uexec_binprm *bprm, int i)
{
	if (i < 0 || (size_t)i >= bprm->argv.n)
		return NULL;
	return bprm->argv.v[i];
}

int uexec_binprm_remove_arg_zero(struct uexec_binprm *bprm)
{
	struct uexec_strv *sv = &bprm->argv;

	if (sv->n == 0)
		return -EINVAL;
	memmove(sv->v, sv->v + 1, sv->n * sizeof(*sv->v));	/* a copy stays owned */
	sv->n--;
	return 0;
}

int uexec_binprm_push_arg(struct uexec_binprm *bprm, const char *arg)
{
	return uexec_strv_push_front(&bprm->argv, arg);
}

int uexec_binprm_set_interpreter_fd(struct uexec_binprm *bprm, int fd,
				    const char *name)
{
	char *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	if (bprm->next_fd >= 0)
		close(bprm->next_fd);
	free(bprm->next_name);
	bprm->next_fd = fd;
	bprm->next_name = copy;
	return 0;
}

int uexec_binprm_set_interpreter(struct uexec_binprm *bprm,
				 const char *filename)
{
	int fd, ret;

	ret = uexec_open_exec(filename, &fd, bprm->err, sizeof(bprm->err));
	if (ret)
		return ret;
	ret = uexec_binprm_set_interpreter_fd(bprm, fd, filename);
	if (ret)
		close(fd);
	return ret;
}

void uexec_binprm_set_preserve_argv0(struct uexec_binprm *bprm)
{
	bprm->interp_flags |= UEXEC_BINPRM_F_PRESERVE_ARGV0;
}

/* The kernel's have_execfd: exec_binprm() keeps the file this handler
 * rewrites away from as bprm->execfd. */
int uexec_binprm_set_execfd(struct uexec_binprm *bprm)
{
	bprm->interp_flags |= UEXEC_BINPRM_F_EXECFD;
	return 0;
}

int uexec_binprm_error(struct uexec_binprm *bprm, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(bprm->err, sizeof(bprm->err), fmt, ap);
	va_end(ap);
	return -err;
}

