package doctor_test

import (
	"testing"

	"github.com/goverdev/gover/doctor"
)

// The platform backend looks at dpkg and rpm only on Linux.

func TestPackageHolds(t *testing.T) {
	w := newWorld(t)
	// Nothing from a package manager.
	want(t, w.check("apt-hold"), doctor.Skip, "no Go from apt")
	want(t, w.check("dnf-versionlock"), doctor.Skip, "no golang rpm")

	// golang-go held, the golang-1.19-go it depends on not: apt can still
	// replace the GOROOT under it.
	w.script("dpkg-query", `printf 'golang-go 2:1.19~1 hi\ngolang-1.19-go 1.19.8-2 ii\n'`)
	r := w.check("apt-hold")
	want(t, r, doctor.Warn, "golang-go held but golang-1.19-go not")
	wantFix(t, r, "sudo gover system hold")
	w.script("dpkg-query", `printf 'golang-go 2:1.19~1 hi\ngolang-1.19-go 1.19.8-2 hi\n'`)
	want(t, w.check("apt-hold"), doctor.OK, "held: golang-go, golang-1.19-go")

	// Fedora's golang, locked with dnf versionlock.
	w.script("rpm", `echo "golang 1.21.5-1.fc39"`)
	w.script("dnf", `echo "golang-0:1.21.5-1.fc39.*"`)
	want(t, w.check("dnf-versionlock"), doctor.OK, "held: golang")
	w.script("dnf", `exit 0`)
	want(t, w.check("dnf-versionlock"), doctor.OK, "not held")

	// Windows' checks do not apply here (the backend's own tests run them
	// under Wine).
	want(t, w.check("windows-path"), doctor.Skip, "not Windows")
	want(t, w.check("msi-install"), doctor.Skip, "not Windows")
}
