//go:build !windows && !darwin

package goproxy

// userConfigDir is os.UserConfigDir over an injected environment.
func userConfigDir(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return d
	}
	if h := getenv("HOME"); h != "" {
		return h + "/.config"
	}
	return ""
}
