//go:build cgo

package main

// The fast path is fast_linux.c, which runs before the Go runtime starts
// and execs the toolchain itself when it can decide with certainty. This
// is its only Go side: fastDecide lets tests call its decision.

/*
#include <stdlib.h>
int gover_fast_decide(int argc, char **argv, char **envp, char **exe, char ***xargv, char ***xenv);
void gover_fast_free(char *exe, char **xargv);
*/
import "C"

import "unsafe"

// fastDecide is the fast path's decision for a shim run with args and
// environ in the working directory, without the exec: the program, its
// arguments and its environment, or ok false when it leaves the decision to
// the Go code.
func fastDecide(args, environ []string) (exe string, argv, env []string, ok bool) {
	cargs, cenv := cStrings(args), cStrings(environ)
	defer freeStrings(cargs)
	defer freeStrings(cenv)
	var cexe *C.char
	var xargv, xenv **C.char
	if C.gover_fast_decide(C.int(len(args)), &cargs[0], &cenv[0], &cexe, &xargv, &xenv) == 0 {
		return "", nil, nil, false
	}
	defer C.gover_fast_free(cexe, xargv)
	return C.GoString(cexe), goStrings(xargv), goStrings(xenv), true
}

// cStrings is list as a NULL-terminated C array.
func cStrings(list []string) []*C.char {
	out := make([]*C.char, len(list)+1)
	for i, s := range list {
		out[i] = C.CString(s)
	}
	return out
}

func freeStrings(list []*C.char) {
	for _, p := range list {
		C.free(unsafe.Pointer(p))
	}
}

func goStrings(p **C.char) []string {
	var out []string
	for _, s := range unsafe.Slice(p, 1<<20) {
		if s == nil {
			return out
		}
		out = append(out, C.GoString(s))
	}
	return out
}
