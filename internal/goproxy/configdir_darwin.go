package goproxy

// userConfigDir is os.UserConfigDir over an injected environment.
func userConfigDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h + "/Library/Application Support"
	}
	return ""
}

// homeDir is os.UserHomeDir over an injected environment.
func homeDir(getenv func(string) string) string { return getenv("HOME") }

// netrcNames are the netrc files the go command looks for in the home
// folder, the last one used when none exists.
var netrcNames = []string{".netrc"}
