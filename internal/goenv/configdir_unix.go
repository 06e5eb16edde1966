//go:build !windows && !darwin

package goenv

import "path/filepath"

// userConfigDir is os.UserConfigDir over an injected environment: a
// relative XDG_CONFIG_HOME is an error there, so no folder here.
func userConfigDir(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		if !filepath.IsAbs(d) {
			return ""
		}
		return d
	}
	if h := getenv("HOME"); h != "" {
		return h + "/.config"
	}
	return ""
}
