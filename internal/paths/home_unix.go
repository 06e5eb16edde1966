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

// userDatabaseHome is the home folder /etc/passwd gives the user this
// process runs as: what a login would have set HOME to. It is read without
// os/user, which the shim may not link (it pulls in fmt and reflect); like
// os/user built without cgo, it does not ask NSS services such as LDAP.
func userDatabaseHome() (string, error) {
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return "", err
	}
	uid := strconv.Itoa(os.Getuid())
	for _, line := range strings.Split(string(data), "\n") {
		// name:password:uid:gid:gecos:home:shell
		f := strings.Split(line, ":")
		if len(f) >= 7 && f[2] == uid {
			return f[5], nil
		}
	}
	return "", errors.New("/etc/passwd has no entry for uid " + uid)
}
