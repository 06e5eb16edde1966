//go:build !windows

package paths

import (
	"errors"
	"os"
	"strconv"
	"strings"
)

// homeVar names the variable that holds the user's home folder.
const homeVar = "HOME"

// userDatabaseHome is the home folder the user database gives the user
// this process runs as: what a login would have set HOME to.
func userDatabaseHome() (string, error) {
	f, err := passwd(os.Getuid())
	if err != nil {
		return "", err
	}
	return f[5], nil
}

// passwd is uid's /etc/passwd entry, split into its seven fields (name,
// password, uid, gid, gecos, home, shell). It is read without os/user,
// which the shim may not link (it pulls in fmt and reflect); like os/user
// built without cgo, it does not ask NSS services such as LDAP.
func passwd(uid int) ([]string, error) {
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return nil, err
	}
	id := strconv.Itoa(uid)
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, ":"); len(f) >= 7 && f[2] == id {
			return f, nil
		}
	}
	return nil, errors.New("/etc/passwd has no entry for uid " + id)
}
