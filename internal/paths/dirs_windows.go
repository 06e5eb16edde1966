package paths

import (
	"path/filepath"
	"syscall"
)

// homeVar names the variable that holds the user's home folder.
const homeVar = "USERPROFILE"

// baseDirs applies adrg/xdg's rules for Windows: each XDG variable when it
// holds an absolute path, else the Local AppData folder. adrg/xdg asks the
// shell for that known folder; %LOCALAPPDATA% names the same folder
// without loading shell32 into every go call.
func baseDirs(getenv func(string) string, home func() (string, error)) (Dirs, error) {
	local := getenv("LOCALAPPDATA")
	if !filepath.IsAbs(local) {
		h, err := home()
		if err != nil {
			return Dirs{}, err
		}
		local = filepath.Join(h, "AppData", "Local")
	}
	localDir := func() (string, error) { return local, nil }
	var d Dirs
	var err error
	if d.DataHome, err = xdgPath(getenv, "XDG_DATA_HOME", localDir); err != nil {
		return Dirs{}, err
	}
	if d.ConfigHome, err = xdgPath(getenv, "XDG_CONFIG_HOME", localDir); err != nil {
		return Dirs{}, err
	}
	if d.CacheHome, err = xdgPath(getenv, "XDG_CACHE_HOME", localDir, "cache"); err != nil {
		return Dirs{}, err
	}
	return d, nil
}

// userDatabaseHome is the profile folder Windows keeps for the user of
// this process's token.
func userDatabaseHome() (string, error) {
	t, err := syscall.OpenCurrentProcessToken()
	if err != nil {
		return "", err
	}
	defer t.Close()
	return t.GetUserProfileDirectory()
}
