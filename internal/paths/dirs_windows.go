package paths

import "path/filepath"

// DefaultDirs applies adrg/xdg's rules for this OS to getenv. adrg/xdg asks
// the shell for the Local AppData known folder; %LOCALAPPDATA% names the same
// folder without loading shell32 into every go call.
func DefaultDirs(getenv func(string) string) Dirs {
	home := getenv("USERPROFILE")
	local := getenv("LOCALAPPDATA")
	if local == "" {
		local = filepath.Join(home, "AppData", "Local")
	}
	return Dirs{
		DataHome:   envPath(getenv, "XDG_DATA_HOME", home, local),
		ConfigHome: envPath(getenv, "XDG_CONFIG_HOME", home, local),
		CacheHome:  envPath(getenv, "XDG_CACHE_HOME", home, filepath.Join(local, "cache")),
	}
}
