// Package winetest runs gover's Windows code for real on Linux, under Wine:
// the Windows test binary of package platform (registry PATH edits against
// Wine's registry), and gover.exe end to end (setup, install from the module
// proxy, the go.exe shim). See wine_test.go; CI sets GOVER_TEST_WINE=1.
//
// testdata/prng.c and prng.def build a stand-in bcryptprimitives.dll, which Wine 8
// lacks and every Go 1.22+ Windows program needs.
package winetest
