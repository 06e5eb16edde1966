//go:build !windows && !darwin

package paths

// baseDirs applies adrg/xdg's rules for Linux and the BSDs: each XDG
// variable when it holds an absolute path, else its default under home.
func baseDirs(getenv func(string) string, home func() (string, error)) (Dirs, error) {
	var d Dirs
	var err error
	if d.DataHome, err = xdgPath(getenv, "XDG_DATA_HOME", home, ".local", "share"); err != nil {
		return Dirs{}, err
	}
	if d.ConfigHome, err = xdgPath(getenv, "XDG_CONFIG_HOME", home, ".config"); err != nil {
		return Dirs{}, err
	}
	if d.CacheHome, err = xdgPath(getenv, "XDG_CACHE_HOME", home, ".cache"); err != nil {
		return Dirs{}, err
	}
	return d, nil
}
