package selection

import (
	"strings"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
)

// NotInstalled is the error for a selection nothing installed satisfies:
// a *paths.NotInstalledError naming what was asked for, by whom, and the
// command that installs it.
func (s Selection) NotInstalled() error {
	return &paths.NotInstalledError{Name: s.Requested(), Origin: s.Describe(), Install: s.InstallWord()}
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
// (version names such as "go1.22.5"). It returns a *paths.NotInstalledError when none does.
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
		return "", s.NotInstalled()
	}
	return best, nil
}

// ResolveIn resolves s against the toolchains installed in l (as
// paths.Layout.CheckToolchain judges them). An exact version costs one
// lstat, so the shim never lists the folder for it; one that is there but
// untrusted is that *paths.UntrustedError, never a fall-through.
func ResolveIn(s Selection, l paths.Layout) (string, error) {
	if s.Word.Kind == goversion.Exact && !s.Minimum {
		err := l.CheckToolchain(s.Word.Version)
		if _, missing := err.(*paths.NotInstalledError); missing {
			return "", s.NotInstalled()
		}
		if err != nil {
			return "", err
		}
		return s.Word.Version, nil
	}
	return Resolve(s, Installed(l))
}

// Installed lists the toolchains for this platform installed in l: entries
// named by a Go version that paths.Layout.CheckToolchain accepts. Other
// platforms' trees ("go1.22.5.windows-amd64"), temporary folders of
// installs under way and untrusted entries do not count.
func Installed(l paths.Layout) []string {
	names, _ := readDirNames(l.Versions)
	var out []string
	for _, n := range names {
		if v, platform, ok := paths.ParseToolchainName(n); ok && platform == "" && l.CheckToolchain(v) == nil {
			out = append(out, n)
		}
	}
	return out
}
