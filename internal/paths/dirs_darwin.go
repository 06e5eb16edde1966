package paths

import "path/filepath"

// DefaultDirs applies adrg/xdg's rules for this OS to getenv.
func DefaultDirs(getenv func(string) string) Dirs {
	home := getenv("HOME")
	appSupport := filepath.Join(home, "Library", "Application Support")
	return Dirs{
		DataHome:   envPath(getenv, "XDG_DATA_HOME", home, appSupport),
		ConfigHome: envPath(getenv, "XDG_CONFIG_HOME", home, appSupport),
		CacheHome:  envPath(getenv, "XDG_CACHE_HOME", home, filepath.Join(home, "Library", "Caches")),
	}
}
