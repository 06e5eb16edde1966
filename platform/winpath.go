package platform

import (
	"regexp"
	"strings"
)

// Windows keeps PATH in the registry as one string of entries separated by
// ";". The user's PATH (HKCU\Environment) comes after the system's
// (HKLM\…\Session Manager\Environment) in every new process. Entries may
// hold %VAR% references, expanded at logon only when the value's type is
// REG_EXPAND_SZ. The edits below work on the raw string: they keep every
// other entry exactly as written (unexpanded, with its own spelling).

// Registry value types (winreg.h).
const (
	regSZ       uint32 = 1
	regExpandSZ uint32 = 2
)

// AddPathEntry puts entry first in the raw PATH value, once: an entry that
// names the same folder elsewhere in the value moves to the front rather
// than stay as a duplicate. It reports the new value and whether it
// changed. expand resolves %VAR% to compare entries as Windows would.
func AddPathEntry(raw, entry string, getenv func(string) string) (string, bool) {
	parts := splitPathValue(raw)
	if len(parts) > 0 && samePathEntry(parts[0], entry, getenv) {
		rest := removeEntries(parts[1:], entry, getenv)
		if len(rest) == len(parts)-1 {
			return raw, false
		}
		return strings.Join(append([]string{parts[0]}, rest...), ";"), true
	}
	rest := removeEntries(parts, entry, getenv)
	if len(rest) == 0 {
		return entry, true
	}
	return entry + ";" + strings.Join(rest, ";"), true
}

// RemovePathEntry takes every entry naming entry's folder out of the raw
// PATH value; other entries stay exactly as written.
func RemovePathEntry(raw, entry string, getenv func(string) string) (string, bool) {
	parts := splitPathValue(raw)
	rest := removeEntries(parts, entry, getenv)
	if len(rest) == len(parts) {
		return raw, false
	}
	return strings.Join(rest, ";"), true
}

// HasPathEntry reports whether the raw PATH value names entry's folder.
func HasPathEntry(raw, entry string, getenv func(string) string) bool {
	_, changed := RemovePathEntry(raw, entry, getenv)
	return changed
}

func splitPathValue(raw string) []string {
	if raw == "" {
		return nil
	}
	return strings.Split(raw, ";")
}

func removeEntries(parts []string, entry string, getenv func(string) string) []string {
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if !samePathEntry(p, entry, getenv) {
			kept = append(kept, p)
		}
	}
	return kept
}

// samePathEntry compares PATH entries as Windows resolves them: %VAR%
// expanded, quotes and a trailing separator ignored, "/" as "\", case
// folded.
func samePathEntry(a, b string, getenv func(string) string) bool {
	na, nb := normEntry(a, getenv), normEntry(b, getenv)
	return na != "" && strings.EqualFold(na, nb)
}

func normEntry(s string, getenv func(string) string) string {
	s = expandEntry(s, getenv)
	s = strings.ReplaceAll(s, "/", `\`)
	for len(s) > 3 && strings.HasSuffix(s, `\`) {
		s = strings.TrimSuffix(s, `\`)
	}
	return s
}

// expandEntry is a PATH entry as a folder name: %VAR% expanded, unquoted.
func expandEntry(s string, getenv func(string) string) string {
	return strings.Trim(expandPercent(strings.TrimSpace(s), getenv), `"`)
}

var percentVar = regexp.MustCompile(`%([^%;=]+)%`)

// expandPercent expands %VAR% as ExpandEnvironmentStrings does; an
// undefined variable stays as written.
func expandPercent(s string, getenv func(string) string) string {
	return percentVar.ReplaceAllStringFunc(s, func(m string) string {
		if v := getenv(m[1 : len(m)-1]); v != "" {
			return v
		}
		return m
	})
}

// unexpanded lists the entries of an expanded PATH still holding %VAR%:
// a REG_SZ value, or a variable that is not defined.
func unexpanded(path string) []string {
	var bad []string
	for _, p := range strings.Split(path, ";") {
		if percentVar.MatchString(p) {
			bad = append(bad, p)
		}
	}
	return bad
}
