package goproxy

// homeDir is os.UserHomeDir over an injected environment.
func homeDir(getenv func(string) string) string { return getenv("USERPROFILE") }

// netrcNames are the netrc files the go command looks for in the home
// folder, the last one used when none exists: _netrc first, for
// compatibility.
var netrcNames = []string{"_netrc", ".netrc"}
