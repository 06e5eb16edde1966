package toolenv

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEnv(t *testing.T) {
	sep := string(os.PathListSeparator)
	goroot := filepath.Join(string(filepath.Separator)+"v", "go1.22.5")
	bin := filepath.Join(goroot, "bin")
	for _, tt := range []struct {
		name    string
		environ []string
		want    []string // the variables Env sets, in order
		kept    []string
	}{
		{"fresh", []string{"HOME=/h", PathKey + "=/usr/bin" + sep + "/bin"},
			[]string{"GOROOT=" + goroot, PathKey + "=" + bin + sep + "/usr/bin" + sep + "/bin", "GOTOOLCHAIN=local"}, []string{"HOME=/h"}},
		{"stale GOROOT replaced, user GOTOOLCHAIN kept, bin moved first once",
			[]string{"GOROOT=/old", "GOTOOLCHAIN=go1.23.0", PathKey + "=/x" + sep + bin + sep + "/y" + sep + bin},
			[]string{"GOROOT=" + goroot, PathKey + "=" + bin + sep + "/x" + sep + "/y"}, []string{"GOTOOLCHAIN=go1.23.0"}},
		{"empty GOTOOLCHAIN is unset", []string{"GOTOOLCHAIN="},
			[]string{"GOROOT=" + goroot, PathKey + "=" + bin, "GOTOOLCHAIN=local"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := Env(tt.environ, goroot, Var{"GOVER_SHIM_DEPTH", "1"})
			want := append(append(slices.Clone(tt.kept), tt.want...), "GOVER_SHIM_DEPTH=1")
			if !slices.Equal(env, want) {
				t.Errorf("Env =\n  %s\nwant\n  %s", strings.Join(env, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

func TestPrependRemove(t *testing.T) {
	sep := string(os.PathListSeparator)
	l := func(s ...string) string { return strings.Join(s, sep) }
	if got := Prepend("", "/b"); got != "/b" {
		t.Errorf("Prepend to empty = %q", got)
	}
	if got := Prepend(l("/a", "/b/", "", "/c"), "/b"); got != l("/b", "/a", "", "/c") {
		t.Errorf("Prepend = %q (cleaned duplicates go, empty entries stay)", got)
	}
	if got := Remove(l("/b", "/b"), "/b"); got != "" {
		t.Errorf("Remove all = %q", got)
	}
}

func TestProgName(t *testing.T) {
	for in, want := range map[string]string{
		filepath.Join("a", "shims", "go"):         "go",
		filepath.Join("a", "gofmt"+ExeSuffix):     "gofmt",
		"gover-shim" + strings.ToUpper(ExeSuffix): "gover-shim",
	} {
		if got := ProgName(in); got != want {
			t.Errorf("ProgName(%q) = %q, want %q", in, got, want)
		}
	}
}
