package paths

// baseDirs applies adrg/xdg's rules for macOS: each XDG variable when it
// holds an absolute path, else the native folder under home.
func baseDirs(getenv func(string) string, home func() (string, error)) (Dirs, error) {
	var d Dirs
	var err error
	if d.DataHome, err = xdgPath(getenv, "XDG_DATA_HOME", home, "Library", "Application Support"); err != nil {
		return Dirs{}, err
	}
	if d.ConfigHome, err = xdgPath(getenv, "XDG_CONFIG_HOME", home, "Library", "Application Support"); err != nil {
		return Dirs{}, err
	}
	if d.CacheHome, err = xdgPath(getenv, "XDG_CACHE_HOME", home, "Library", "Caches"); err != nil {
		return Dirs{}, err
	}
	return d, nil
}
