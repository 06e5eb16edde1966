// Package toolenv is the environment an installed toolchain runs with, and
// the way it is started (SPEC.md, "What a shim does"): GOROOT is the
// toolchain's folder, its bin leads PATH, and GOTOOLCHAIN=local keeps the go
// command from switching toolchains behind gover's back unless the user set
// GOTOOLCHAIN. The shim, 'gover exec', 'gover env' and the shell hook all
// use it, so they cannot disagree. It also finds programs on a PATH the
// way the shim does (LookPathIn, SystemProgram), for everyone who asks.
//
// It imports next to nothing: the shim links it and starts on every go call.
package toolenv

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/internal/goenv"
)

// A Var is one environment variable to set.
type Var struct{ Name, Value string }

// Vars are the variables a toolchain at goroot runs with, given the
// current environment: GOROOT, PATH with goroot's bin first (moved there if
// it is further down, not repeated), and GOTOOLCHAIN=local unless the user
// chose a GOTOOLCHAIN (UserToolchain).
func Vars(getenv func(string) string, goroot string) []Var {
	bin := filepath.Join(goroot, "bin")
	vars := []Var{
		{"GOROOT", goroot},
		{PathKey, Prepend(getenv(PathKey), bin)},
	}
	if v, _ := UserToolchain(getenv); v == "" {
		vars = append(vars, Var{"GOTOOLCHAIN", DefaultToolchain})
	}
	return vars
}

// DefaultToolchain is the GOTOOLCHAIN gover's toolchains run with when the
// user chose none: gover chose the toolchain, and the go command must not
// switch it again behind gover's back.
const DefaultToolchain = "local"

// UserToolchain is the GOTOOLCHAIN the user chose and where: the
// environment, else the go env file ('go env -w GOTOOLCHAIN=auto'), read as
// the go command reads it (goenv); from is goenv.FromEnvironment or the
// file's path. "" when the user chose none.
func UserToolchain(getenv func(string) string) (value, from string) {
	return goenv.Lookup(getenv, "GOTOOLCHAIN")
}

// Env is environ with the toolchain's Vars, and then set, in place of any
// inherited values of the same names.
func Env(environ []string, goroot string, set ...Var) []string {
	vars := Vars(func(k string) string { return lookup(environ, k) }, goroot)
	vars = append(vars, set...)
	env := make([]string, 0, len(environ)+len(vars))
	for _, kv := range environ {
		if !setsAny(kv, vars) {
			env = append(env, kv)
		}
	}
	for _, v := range vars {
		env = append(env, v.Name+"="+v.Value)
	}
	return env
}

func setsAny(kv string, vars []Var) bool {
	for _, v := range vars {
		if HasKey(kv, v.Name) {
			return true
		}
	}
	return false
}

// lookup is Getenv over an environ slice; the last value wins, as in os.
func lookup(environ []string, key string) string {
	v := ""
	for _, kv := range environ {
		if HasKey(kv, key) {
			v = kv[len(key)+1:]
		}
	}
	return v
}

// HasKey reports whether kv ("NAME=value") sets key. Names are
// case-insensitive on Windows.
func HasKey(kv, key string) bool {
	return len(kv) > len(key) && kv[len(key)] == '=' && keyEqual(kv[:len(key)], key)
}

// Prepend puts dir first in the list, removing it from further down.
func Prepend(list, dir string) string {
	rest := Remove(list, dir)
	if rest == "" {
		return dir
	}
	return dir + string(os.PathListSeparator) + rest
}

// Remove drops every entry equal to dir (after cleaning) from the list and
// keeps the others as they were, empty entries included.
func Remove(list, dir string) string {
	if list == "" {
		return ""
	}
	sep := string(os.PathListSeparator)
	clean := filepath.Clean(dir)
	parts := strings.Split(list, sep)
	out := parts[:0]
	for _, p := range parts {
		if p == "" || !sameEntry(filepath.Clean(p), clean) {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// ProgName is the program a shim was run as: the base of argv[0] without
// the executable suffix.
func ProgName(arg0 string) string {
	base := filepath.Base(arg0)
	if n := len(base) - len(ExeSuffix); ExeSuffix != "" && n > 0 && keyEqual(base[n:], ExeSuffix) {
		return base[:n]
	}
	return base
}
