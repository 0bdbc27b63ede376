/* SPDX-License-Identifier: MIT */
/*
 * Debug output: one event a line, "uexec: CATEGORY: text", to stderr or
 * the --debug-file.  Writes go straight to the descriptor (no stdio
 * buffer), so nothing is lost at the point of no return.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "binprm.h"

unsigned int uexec_debug_mask;
FILE *uexec_debug_file;

static const struct {
	unsigned int bit;
	const char *name;
	const char *help;
} categories[] = {
	{ UEXEC_DBG_HANDLERS, "handlers", "each handler tried and its answer" },
	{ UEXEC_DBG_ELF, "elf", "ELF and program headers as read" },
	{ UEXEC_DBG_MAP, "map", "each mmap/munmap with address, size, protection, offset" },
	{ UEXEC_DBG_BRK, "brk", "the program break" },
	{ UEXEC_DBG_STACK, "stack", "argv/env strings, auxv and pointers with addresses" },
	{ UEXEC_DBG_ENTRY, "entry", "the register state handed over" },
	{ UEXEC_DBG_ERRORS, "errors", "each failure with errno and step" },
	{ UEXEC_DBG_EXEC, "exec", "exec semantics: signals, descriptors, prctl" },
};

const char *uexec_debug_category_name(unsigned int bit)
{
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (categories[i].bit == bit)
			return categories[i].name;
	return "debug";
}

/* Parse "a,b,c" into a mask; returns -1 on an unknown name (in *bad). */
int uexec_debug_parse(const char *spec, unsigned int *mask, const char **bad)
{
	char buf[256], *tok, *save;

	*mask = 0;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		if (!strcmp(tok, "all")) {
			*mask |= UEXEC_DBG_ALL;
			continue;
		}
		for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
			if (!strcmp(tok, categories[i].name))
				break;
		if (i == sizeof(categories) / sizeof(categories[0])) {
			static char badbuf[64];

			snprintf(badbuf, sizeof(badbuf), "%s", tok);
			*bad = badbuf;
			return -1;
		}
		*mask |= categories[i].bit;
	}
	return 0;
}

void uexec_debug_help(FILE *out)
{
	fprintf(out, "debug categories (comma-separated, or all):\n");
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		fprintf(out, "  %-9s %s\n", categories[i].name, categories[i].help);
}

void uexec_debug(unsigned int cat, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n, fd;

	n = snprintf(line, sizeof(line), "uexec: %s: ", uexec_debug_category_name(cat));
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	fd = uexec_debug_file ? fileno(uexec_debug_file) : 2;
	if (uexec_debug_file)
		fflush(uexec_debug_file);
	(void)!write(fd, line, (size_t)n);
}
