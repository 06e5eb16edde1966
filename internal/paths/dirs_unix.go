//go:build !windows && !darwin

package paths

import "path/filepath"

// DefaultDirs applies adrg/xdg's rules for this OS to getenv.
func DefaultDirs(getenv func(string) string) Dirs {
	home := getenv("HOME")
	return Dirs{
		DataHome:   envPath(getenv, "XDG_DATA_HOME", home, filepath.Join(home, ".local", "share")),
		ConfigHome: envPath(getenv, "XDG_CONFIG_HOME", home, filepath.Join(home, ".config")),
		CacheHome:  envPath(getenv, "XDG_CACHE_HOME", home, filepath.Join(home, ".cache")),
	}
}
