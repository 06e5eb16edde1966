package goenv

// userConfigDir is os.UserConfigDir over an injected environment.
func userConfigDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h + "/Library/Application Support"
	}
	return ""
}
