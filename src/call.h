/* SPDX-License-Identifier: MIT */
/*
 * uexec --call (call.c): call one function of a shared object from the
 * command line, with libffi.  A debugging tool of the CLI only: it is not
 * in libuexec and takes no part in the exec path.
 */
#ifndef UEXEC_CALL_H
#define UEXEC_CALL_H

/*
 * `uexec --call SPEC [--] [ARG...]`.  SPEC is OBJECT:SYMBOL:SIGNATURE;
 * ARGC/ARGV are the words after SPEC (one leading "--" is skipped, so that
 * an argument may start with '-').  Loads OBJECT with dlopen(RTLD_NOW),
 * finds SYMBOL (dlsym, then the object's .symtab), calls it with the
 * arguments parsed for SIGNATURE, flushes stdio and prints the return
 * value on a line of its own.  Returns the exit status: 0 after the call,
 * 126 or 127 after one line "uexec: --call: ..." on stderr.  A crash of the
 * function kills the process with its signal.
 */
int uexec_call_main(const char *spec, int argc, char **argv);

#endif
