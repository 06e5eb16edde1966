package selection

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
)

// A NotInstalledError says the selected version is not installed.
type NotInstalledError struct {
	Selection Selection
}

func (e *NotInstalledError) Error() string {
	s := e.Selection
	return s.Requested() + " (" + s.Describe() + ") is not installed (run 'gover install " + s.InstallWord() + "')"
}

// Describe says where the selection came from: "set by /p/.go-version".
func (s Selection) Describe() string {
	if s.Minimum {
		return "minimum from " + s.Origin
	}
	return "set by " + s.Origin
}

// InstallWord is the argument to 'gover install' that satisfies s.
func (s Selection) InstallWord() string {
	if s.Minimum {
		return strings.TrimPrefix(goversion.Lang(s.Word.Version), "go")
	}
	if s.Word.Kind == goversion.Latest {
		return "latest"
	}
	return strings.TrimPrefix(s.Word.Version, "go")
}

// Resolve picks the installed toolchain that satisfies s from installed
// (version names such as "go1.22.5"). It returns a *NotInstalledError when none does.
func Resolve(s Selection, installed []string) (string, error) {
	w := s.Word
	var best string
	for _, v := range installed {
		if !w.Matches(v) && !(s.Minimum && goversion.Lang(v) == goversion.Lang(w.Version) && goversion.IsStable(v)) {
			continue
		}
		if s.Minimum && goversion.Compare(v, w.Version) < 0 {
			continue
		}
		if best == "" || goversion.Compare(v, best) > 0 {
			best = v
		}
	}
	if best == "" {
		return "", &NotInstalledError{Selection: s}
	}
	return best, nil
}

// ResolveIn resolves s against the toolchains in the versions folder. An
// exact version costs one stat, so the shim never lists the folder for it.
func ResolveIn(s Selection, versions string) (string, error) {
	if s.Word.Kind == goversion.Exact && !s.Minimum {
		if fi, err := os.Stat(filepath.Join(versions, s.Word.Version)); err == nil && fi.IsDir() {
			return s.Word.Version, nil
		}
		return "", &NotInstalledError{Selection: s}
	}
	return Resolve(s, Installed(versions))
}

// Installed lists the toolchains for this platform in the versions folder:
// folders (or links to folders) named by a Go version. Temporary folders of
// installs under way (".go1.22.5.tmp-…") and other platforms' trees
// ("go1.22.5.windows-amd64") do not count.
func Installed(versions string) []string {
	names, _ := readDirNames(versions)
	var out []string
	for _, n := range names {
		if !goversion.IsValid(n) {
			continue
		}
		if fi, err := os.Stat(filepath.Join(versions, n)); err == nil && fi.IsDir() {
			out = append(out, n)
		}
	}
	return out
}
