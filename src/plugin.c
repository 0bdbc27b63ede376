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
#include "plugin.h"

struct loaded_plugin {
	dev_t dev;
	ino_t ino;
	void *handle;
	struct loaded_plugin *next;
};

static struct loaded_plugin *loaded;

/*
 * Read the abi_version of the plugin's uexec_plugin object from the file.
 * Returns 0 with *ver set, or -errno with the reason in ERR.
 */
static int read_plugin_abi(int fd, unsigned int *ver, char *err, size_t errlen)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	GElf_Sym sym;
	int found = 0, ret = -ENOEXEC;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		snprintf(err, errlen, "not an ELF file");
		goto end_elf;
	}
	if (eh.e_type != ET_DYN) {
		snprintf(err, errlen, "not a shared object");
		goto end_elf;
	}
	if (gelf_getclass(elf) != UEXEC_ELF_CLASS || eh.e_machine != UEXEC_ELF_MACHINE) {
		snprintf(err, errlen, "built for another machine (e_machine %u)",
			 (unsigned int)eh.e_machine);
		goto end_elf;
	}
	while (!found && (scn = elf_nextscn(elf, scn))) {
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

			if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && !strcmp(name, UEXEC_PLUGIN_SYMBOL)) {
				found = 1;
				break;
			}
		}
	}
	if (!found) {
		snprintf(err, errlen, "not a uexec plugin (it defines no '%s' symbol)",
			 UEXEC_PLUGIN_SYMBOL);
		goto end_elf;
	}
	if (sym.st_size < sizeof(unsigned int) || sym.st_shndx >= SHN_LORESERVE ||
	    !(scn = elf_getscn(elf, sym.st_shndx)) || !gelf_getshdr(scn, &sh) ||
	    sym.st_value < sh.sh_addr || sym.st_value - sh.sh_addr + sizeof(*ver) > sh.sh_size) {
		snprintf(err, errlen, "its '%s' symbol is malformed", UEXEC_PLUGIN_SYMBOL);
		goto end_elf;
	}
	if (sh.sh_type == SHT_NOBITS) {
		*ver = 0;
	} else if (pread(fd, ver, sizeof(*ver), (off_t)(sh.sh_offset + sym.st_value -
							 sh.sh_addr)) != sizeof(*ver)) {
		snprintf(err, errlen, "cannot read its '%s' symbol", UEXEC_PLUGIN_SYMBOL);
		ret = -EIO;
		goto end_elf;
	}
	ret = 0;
end_elf:
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

static int refuse(char *err, size_t errlen, const char *path, int ret, const char *why)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", why);
	snprintf(err, errlen, "plugin %s: %s", path, tmp);
	return ret;
}

int uexec_load_plugin(const char *name, char *err, size_t errlen)
{
	const struct uexec_plugin *pl;
	struct uexec_binfmt **before, *fmt;
	struct loaded_plugin *lp;
	char path[PATH_MAX], why[512], *origin;
	size_t nbefore = 0;
	unsigned int ver;
	struct stat st;
	void *handle;
	int fd, ret;

	uexec_builtin_formats_init();	/* plugins register after them */
	resolve(name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return refuse(err, errlen, path, -errno, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return refuse(err, errlen, path, -EINVAL, "not a regular file");
	}
	for (lp = loaded; lp; lp = lp->next) {
		if (lp->dev == st.st_dev && lp->ino == st.st_ino) {
			close(fd);
			return 0;
		}
	}
	ret = read_plugin_abi(fd, &ver, why, sizeof(why));
	close(fd);
	if (ret)
		return refuse(err, errlen, path, ret, why);
	if (ver != UEXEC_BINFMT_ABI_VERSION) {
		snprintf(why, sizeof(why), "refused: built for plugin ABI version %u, this "
			 "uexec has version %u (rebuild it with this uexec's "
			 "<uexec/binfmt.h>); none of its code was run", ver,
			 UEXEC_BINFMT_ABI_VERSION);
		return refuse(err, errlen, path, -EPROTO, why);
	}

	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return refuse(err, errlen, path, -ENOEXEC, dlerror());
	pl = dlsym(handle, UEXEC_PLUGIN_SYMBOL);
	if (!pl || pl->abi_version != UEXEC_BINFMT_ABI_VERSION || !pl->init) {
		dlclose(handle);
		return refuse(err, errlen, path, -ENOEXEC, !pl ? "no uexec_plugin symbol" :
			      !pl->init ? "uexec_plugin.init is NULL" :
			      "its ABI version changed when loaded");
	}
	lp = calloc(1, sizeof(*lp));
	if (asprintf(&origin, "plugin %s", path) < 0)
		origin = NULL;
	if (!lp || !origin) {
		free(lp);
		free(origin);
		dlclose(handle);
		return refuse(err, errlen, path, -ENOMEM, "out of memory");
	}

	/* The list before init(), to tell the handlers init() adds. */
	for (fmt = uexec_binfmt_first(); fmt; fmt = fmt->next)
		nbefore++;
	before = malloc((nbefore + 1) * sizeof(*before));
	if (!before) {
		free(lp);
		free(origin);
		dlclose(handle);
		return refuse(err, errlen, path, -ENOMEM, "out of memory");
	}
	nbefore = 0;
	for (fmt = uexec_binfmt_first(); fmt; fmt = fmt->next)
		before[nbefore++] = fmt;
	ret = pl->init();
	/* The handlers it registered: those not in the list before. */
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
	if (ret) {
		snprintf(why, sizeof(why), "init failed: %s", strerror(ret < 0 ? -ret : ret));
		free(lp);
		free(origin);
		dlclose(handle);
		return refuse(err, errlen, path, ret < 0 ? ret : -ret, why);
	}
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "plugin %s (%s) loaded from %s",
		    pl->name ? pl->name : "?", pl->description ? pl->description : "",
		    path);
	lp->dev = st.st_dev;
	lp->ino = st.st_ino;
	lp->handle = handle;
	lp->next = loaded;
	loaded = lp;
	return 0;
}

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
