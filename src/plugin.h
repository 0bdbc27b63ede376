/* SPDX-License-Identifier: MIT */
/*
 * Plugins: shared objects that register handlers (include/uexec/binfmt.h).
 *
 * uexec_load_plugin() (public, binfmt.h) checks the plugin's ABI version
 * by reading its uexec_plugin symbol from the file, BEFORE dlopen(3): a
 * plugin built for another ABI is refused without running any of its
 * code, constructors included.
 */
#ifndef UEXEC_PLUGIN_H
#define UEXEC_PLUGIN_H

#include <stddef.h>

/* Where `make install` puts plugins; --plugin NAME (no '/') looks there. */
#ifndef UEXEC_PLUGINDIR
#define UEXEC_PLUGINDIR "/usr/local/lib/uexec/plugins"
#endif

/*
 * Load every plugin named in PATH (UEXEC_PLUGIN_PATH's value): entries
 * separated by ':', each a plugin file or a directory whose *.so files are
 * loaded in name order.  REPORT is called for each plugin that fails to
 * load (the others are still loaded).  Returns the number of failures.
 */
int uexec_load_plugin_path(const char *path,
			   void (*report)(const char *plugin, const char *reason));

#endif
