package selection

import (
	"strings"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
)

// NotInstalled is the error for a selection nothing installed satisfies:
// a *paths.NotInstalledError naming what was asked for (every word, for
// fallbacks), by whom, and the command that installs it.
func (s Selection) NotInstalled() error {
	names := make([]string, 0, 1+len(s.Fallbacks))
	for _, w := range s.Words() {
		names = append(names, spell(w))
	}
	name := names[0]
	if len(names) > 1 {
		name = strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	}
	if s.System {
		name = "system"
	}
	return &paths.NotInstalledError{Name: name, Origin: s.Describe(), Install: s.InstallWord()}
}

func spell(w goversion.Word) string {
	if w.Kind == goversion.Exact {
		return w.Version
	}
	return w.String()
}

// Describe says where the selection came from: "set by /p/.go-version".
func (s Selection) Describe() string {
	if s.Minimum() {
		return "minimum from " + s.Origin
	}
	return "set by " + s.Origin
}

// InstallWord is the argument to 'gover install' that satisfies s: for
// fallbacks, the first. A go line names the release to install when it
// names one ("1.23.0", "1.23rc1": what the go command would download), and
// the newest of its line when it names only a language version ("1.23",
// as setup-go reads it).
func (s Selection) InstallWord() string {
	w := s.Word
	switch w.Kind {
	case goversion.Exact, goversion.Line, goversion.AtLeast:
		return strings.TrimPrefix(w.Version, "go")
	}
	return w.String()
}

// Resolve picks the installed toolchain that satisfies s from installed
// (version names such as "go1.22.5"): the first of its words that names an
// installed one. It returns a *paths.NotInstalledError when none does.
func Resolve(s Selection, installed []string) (string, error) {
	for _, w := range s.Words() {
		if v, ok := w.Pick(installed); ok {
			return v, nil
		}
	}
	return "", s.NotInstalled()
}

// ResolveIn resolves s against the toolchains installed in l (as
// paths.Layout.CheckToolchain judges them). An exact version costs one
// lstat, so the shim never lists the folder for it; one that is there but
// untrusted is that *paths.UntrustedError, never a fall-through.
func ResolveIn(s Selection, l paths.Layout) (string, error) {
	for _, w := range s.Words() {
		if w.Kind != goversion.Exact {
			return Resolve(s, Installed(l))
		}
	}
	for _, w := range s.Words() {
		err := l.CheckToolchain(w.Version)
		if _, missing := err.(*paths.NotInstalledError); missing {
			continue
		}
		if err != nil {
			return "", err
		}
		return w.Version, nil
	}
	return "", s.NotInstalled()
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
