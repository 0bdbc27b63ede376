/* SPDX-License-Identifier: MIT */
/*
 * Loading plugins (the kernel's analogue: a module that calls
 * register_binfmt()).
 *
 * Contract of uexec_load_plugin(PATH):
 *   1. PATH without a '/' names an installed plugin: PLUGINDIR/PATH, or
 *      PLUGINDIR/PATH.so.
 *   2. The file is read as ELF (libelf), not run: it must be a shared
 *      object for this machine exporting the object `uexec_plugin`, whose
 *      first member, abi_version, must equal UEXEC_BINFMT_ABI_VERSION.
 *      Otherwise the plugin is refused with a reason and none of its code
 *      (not even an ELF constructor) has run.
 *   3. dlopen(RTLD_NOW | RTLD_LOCAL): every symbol it uses must exist in
 *      this uexec (the plugin's calls into uexec resolve against the uexec
 *      executable or libuexec.so, never a copy of its own).
 *   4. init() registers handlers; each handler it registered gets the
 *      origin "plugin PATH".  If init fails, those handlers are removed and
 *      the plugin is unloaded.
 * Loading the same file twice is a no-op.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archdep.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "formats.h"
#include "fresh.h"
#include "plugin.h"
#include "reason.h"

struct loaded_plugin {
	dev_t dev;
	ino_t ino;
	void *handle;
	struct loaded_plugin *next;
};

static struct loaded_plugin *loaded;

/* The defined dynamic symbol UEXEC_PLUGIN_SYMBOL of ELF into *SYM.
 * Returns whether it was found. */
static bool find_plugin_symbol(Elf *elf, GElf_Sym *sym)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;
		size_t count;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		count = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < count; i++) {
			const char *name;

			if (!gelf_getsym(data, (int)i, sym) || sym->st_shndx == SHN_UNDEF)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym->st_name);
			if (name && !strcmp(name, UEXEC_PLUGIN_SYMBOL))
				return true;
		}
	}
	return false;
}

/* The abi_version at the start of SYM's object, read from the file. */
static int read_symbol_word(Elf *elf, int fd, const GElf_Sym *sym, unsigned int *ver,
			    char *err, size_t errlen)
{
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (sym->st_size < sizeof(unsigned int) || sym->st_shndx >= SHN_LORESERVE ||
	    !(scn = elf_getscn(elf, sym->st_shndx)) || !gelf_getshdr(scn, &sh) ||
	    sym->st_value < sh.sh_addr || sym->st_value - sh.sh_addr + sizeof(*ver) > sh.sh_size)
		return uexec_reason(err, errlen, ENOEXEC, "its '%s' symbol is malformed",
				    UEXEC_PLUGIN_SYMBOL);
	if (sh.sh_type == SHT_NOBITS) {
		*ver = 0;
		return 0;
	}
	if (pread(fd, ver, sizeof(*ver), (off_t)(sh.sh_offset + sym->st_value -
						 sh.sh_addr)) != sizeof(*ver))
		return uexec_reason(err, errlen, EIO, "cannot read its '%s' symbol",
				    UEXEC_PLUGIN_SYMBOL);
	return 0;
}

/*
 * Read the abi_version of the plugin's uexec_plugin object from the file.
 * Returns 0 with *ver set, or -errno with the reason in ERR.
 */
static int read_plugin_abi(int fd, unsigned int *ver, char *err, size_t errlen)
{
	GElf_Ehdr eh;
	GElf_Sym sym;
	Elf *elf;
	int ret;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh))
		ret = uexec_reason(err, errlen, ENOEXEC, "not an ELF file");
	else if (eh.e_type != ET_DYN)
		ret = uexec_reason(err, errlen, ENOEXEC, "not a shared object");
	else if (gelf_getclass(elf) != UEXEC_ELF_CLASS || eh.e_machine != UEXEC_ELF_MACHINE)
		ret = uexec_reason(err, errlen, ENOEXEC, "built for another machine "
				   "(e_machine %u)", (unsigned int)eh.e_machine);
	else if (!find_plugin_symbol(elf, &sym))
		ret = uexec_reason(err, errlen, ENOEXEC, "not a uexec plugin (it defines "
				   "no '%s' symbol)", UEXEC_PLUGIN_SYMBOL);
	else
		ret = read_symbol_word(elf, fd, &sym, ver, err, errlen);
	if (elf)
		elf_end(elf);
	return ret;
}

static int resolve(const char *name, char *path, size_t len)
{
	struct stat st;

	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return 0;
	}
	snprintf(path, len, "%s/%s", UEXEC_PLUGINDIR, name);
	if (stat(path, &st) == 0)
		return 0;
	snprintf(path, len, "%s/%s.so", UEXEC_PLUGINDIR, name);
	return 0;
}

/* Every refusal of PATH: "plugin PATH: why" in ERR, -ERRNUM returned. */
#define REFUSE(errnum, fmt, ...) \
	uexec_reason(err, errlen, (errnum), "plugin %s: " fmt, path, ##__VA_ARGS__)

static bool already_loaded(const struct stat *st)
{
	for (const struct loaded_plugin *lp = loaded; lp; lp = lp->next)
		if (lp->dev == st->st_dev && lp->ino == st->st_ino)
			return true;
	return false;
}

/*
 * Check the file PATH before any of its code runs: a regular file, not
 * loaded yet (*NEW false then), built for this uexec's plugin ABI.
 * Returns 0 or -errno with the reason in ERR.
 */
static int check_plugin_file(const char *path, struct stat *st, bool *new,
			     char *err, size_t errlen)
{
	char why[512];
	unsigned int ver;
	int fd, ret;

	/* Without blocking: a FIFO or a device is refused, never waited for. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return REFUSE(errno, "%s", strerror(errno));
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return REFUSE(EINVAL, "not a regular file");
	}
	*new = !already_loaded(st);
	ret = *new ? read_plugin_abi(fd, &ver, why, sizeof(why)) : 0;
	close(fd);
	if (ret)
		return REFUSE(-ret, "%s", why);
	if (*new && ver != UEXEC_BINFMT_ABI_VERSION)
		return REFUSE(EPROTO, "refused: built for plugin ABI version %u, this "
			      "uexec has version %u (rebuild it with this uexec's "
			      "<uexec/binfmt.h>); none of its code was run", ver,
			      UEXEC_BINFMT_ABI_VERSION);
	return 0;
}

/* dlopen PATH and find its uexec_plugin.  On success *HANDLE is the
 * caller's to dlclose. */
static int open_plugin(const char *path, void **handle, const struct uexec_plugin **pl,
		       char *err, size_t errlen)
{
	/* Its constructors are foreign code: the process is no longer one
	 * the kernel just exec'd (fresh.h). */
	uexec_fresh_process_forget();
	*handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!*handle)
		return REFUSE(ENOEXEC, "%s", dlerror());
	*pl = dlsym(*handle, UEXEC_PLUGIN_SYMBOL);
	if (!*pl || (*pl)->abi_version != UEXEC_BINFMT_ABI_VERSION || !(*pl)->init) {
		const char *why = !*pl ? "no uexec_plugin symbol" :
				  !(*pl)->init ? "uexec_plugin.init is NULL" :
				  "its ABI version changed when loaded";

		dlclose(*handle);
		return REFUSE(ENOEXEC, "%s", why);
	}
	return 0;
}

/*
 * Run PL's init(); the handlers it registered (those not on the list
 * before) get ORIGIN (borrowed for the life of the process), or are taken
 * off the list again when init() fails.  Returns 0 or -errno.
 */
static int run_init(const struct uexec_plugin *pl, const char *path, const char *origin,
		    char *err, size_t errlen)
{
	struct uexec_binfmt **before, *fmt;
	size_t nbefore = 0;
	int ret;

	for (fmt = uexec_binfmt_first(); fmt; fmt = fmt->next)
		nbefore++;
	before = malloc((nbefore + 1) * sizeof(*before));
	if (!before)
		return REFUSE(ENOMEM, "out of memory");
	nbefore = 0;
	for (fmt = uexec_binfmt_first(); fmt; fmt = fmt->next)
		before[nbefore++] = fmt;
	ret = pl->init();
	for (fmt = uexec_binfmt_first(); fmt; ) {
		struct uexec_binfmt *next = fmt->next;
		size_t i;

		for (i = 0; i < nbefore && before[i] != fmt; i++)
			;
		if (i == nbefore) {
			if (ret)
				uexec_unregister_binfmt(fmt);
			else
				fmt->origin = origin;
		}
		fmt = next;
	}
	free(before);
	if (ret)
		return REFUSE(ret < 0 ? -ret : ret, "init failed: %s",
			      strerror(ret < 0 ? -ret : ret));
	return 0;
}

int uexec_load_plugin(const char *name, char *err, size_t errlen)
{
	const struct uexec_plugin *pl = NULL;
	struct loaded_plugin *lp;
	char path[PATH_MAX], *origin;
	struct stat st;
	void *handle;
	bool new;
	int ret;

	uexec_builtin_formats_init();	/* plugins register after them */
	resolve(name, path, sizeof(path));
	ret = check_plugin_file(path, &st, &new, err, errlen);
	if (ret || !new)
		return ret;
	ret = open_plugin(path, &handle, &pl, err, errlen);
	if (ret)
		return ret;
	lp = calloc(1, sizeof(*lp));
	if (!lp) {
		ret = REFUSE(ENOMEM, "out of memory");
		goto close_handle;
	}
	if (asprintf(&origin, "plugin %s", path) < 0) {
		ret = REFUSE(ENOMEM, "out of memory");
		goto free_lp;
	}
	ret = run_init(pl, path, origin, err, errlen);
	if (ret)
		goto free_origin;
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "plugin %s (%s) loaded from %s",
		    pl->name ? pl->name : "?", pl->description ? pl->description : "",
		    path);
	lp->dev = st.st_dev;
	lp->ino = st.st_ino;
	lp->handle = handle;
	lp->next = loaded;
	loaded = lp;
	return 0;	/* origin, lp and handle live as long as the process */

free_origin:
	free(origin);
free_lp:
	free(lp);
close_handle:
	dlclose(handle);
	return ret;
}

#undef REFUSE

static int so_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 3 && !strcmp(d->d_name + n - 3, ".so");
}

int uexec_load_plugin_path(const char *value,
			   void (*report)(const char *plugin, const char *reason))
{
	char *copy = strdup(value), *ent, *save = NULL, err[1024];
	int bad = 0;

	if (!copy)
		return 1;
	for (ent = strtok_r(copy, ":", &save); ent; ent = strtok_r(NULL, ":", &save)) {
		struct stat st;

		if (stat(ent, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct dirent **list;
			int n = scandir(ent, &list, so_filter, alphasort);

			for (int i = 0; i < n; i++) {
				char path[PATH_MAX];

				snprintf(path, sizeof(path), "%s/%s", ent, list[i]->d_name);
				if (uexec_load_plugin(path, err, sizeof(err))) {
					bad++;
					if (report)
						report(path, err);
				}
				free(list[i]);
			}
			if (n >= 0)
				free(list);
			continue;
		}
		if (uexec_load_plugin(ent, err, sizeof(err))) {
			bad++;
			if (report)
				report(ent, err);
		}
	}
	free(copy);
	return bad;
}
