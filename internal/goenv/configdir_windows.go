package goenv

// userConfigDir is os.UserConfigDir over an injected environment.
func userConfigDir(getenv func(string) string) string { return getenv("AppData") }
