package shell

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envFunc(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestHookChanges(t *testing.T) {
	const (
		r1 = "/v/go1.22.5"
		r2 = "/v/go1.21.13"
	)
	state := func(bin, goroot string, toolchain bool) string {
		s := `{"bin":"` + bin + `"`
		if goroot != "" {
			s += `,"goroot":"` + goroot + `"`
		}
		if toolchain {
			s += `,"toolchain":true`
		}
		return s + "}"
	}
	for _, tt := range []struct {
		name   string
		env    map[string]string
		goroot string
		want   []string // "NAME=value" or "-NAME"
	}{
		{"first apply", map[string]string{"PATH": "/usr/bin:/bin"}, r1,
			[]string{"PATH=/v/go1.22.5/bin:/usr/bin:/bin", "GOROOT=/v/go1.22.5", "GOTOOLCHAIN=local", "__GOVER_HOOK=" + state(r1+"/bin", "", true)}},
		{"user GOTOOLCHAIN and GOROOT kept for undo", map[string]string{"PATH": "/bin", "GOTOOLCHAIN": "auto", "GOROOT": "/old"}, r1,
			[]string{"PATH=/v/go1.22.5/bin:/bin", "GOROOT=/v/go1.22.5", "__GOVER_HOOK=" + state(r1+"/bin", "/old", false)}},
		{"switch", map[string]string{"PATH": "/v/go1.22.5/bin:/x:/bin", "GOROOT": r1, "GOTOOLCHAIN": "local", "__GOVER_HOOK": state(r1+"/bin", "", true)}, r2,
			[]string{"PATH=/v/go1.21.13/bin:/x:/bin", "GOROOT=/v/go1.21.13", "__GOVER_HOOK=" + state(r2+"/bin", "", true)}},
		{"leave: everything undone", map[string]string{"PATH": "/y:/v/go1.22.5/bin:/bin", "GOROOT": r1, "GOTOOLCHAIN": "local", "__GOVER_HOOK": state(r1+"/bin", "/old", true)}, "",
			[]string{"PATH=/y:/bin", "GOROOT=/old", "-GOTOOLCHAIN", "-__GOVER_HOOK"}},
		{"leave: a GOTOOLCHAIN the user set since is theirs", map[string]string{"PATH": "/v/go1.22.5/bin", "GOROOT": r1, "GOTOOLCHAIN": "go1.23.0", "__GOVER_HOOK": state(r1+"/bin", "", true)}, "",
			[]string{"-PATH", "-GOROOT", "-__GOVER_HOOK"}},
		{"same again: nothing to do", map[string]string{"PATH": "/v/go1.22.5/bin:/bin", "GOROOT": r1, "GOTOOLCHAIN": "local", "__GOVER_HOOK": state(r1+"/bin", "", true)}, r1,
			nil},
		{"nothing applied, nothing selected", map[string]string{"PATH": "/bin"}, "", nil},
		{"garbled state is ignored", map[string]string{"PATH": "/bin", "__GOVER_HOOK": "{"}, "", []string{"-__GOVER_HOOK"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range HookChanges(envFunc(tt.env), tt.goroot) {
				if c.Unset {
					got = append(got, "-"+c.Name)
				} else {
					got = append(got, c.Name+"="+c.Value)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// __gover_fresh holds until one of its inputs changes, in each real shell.
func TestFresh(t *testing.T) {
	for _, name := range realShells {
		t.Run(name, func(t *testing.T) {
			sh := lookup(t, name)
			root := filepath.Join(t.TempDir(), `it's "here"`)
			proj := filepath.Join(root, "p q")
			work := filepath.Join(proj, "a", "b")
			bin := filepath.Join(root, "versions", "go1.22.5", "bin")
			for _, d := range []string{work, bin} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			pin := filepath.Join(proj, ".go-version")
			content := "# it's pinned\r\n1.22.5\n\n"
			write := func(p, s string) {
				if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write(pin, content)
			check := Check{
				Dir:    work,
				Vars:   []Var{{"GOVER_VERSION", ""}, {"GOVER_ROOT", root}},
				Absent: []string{filepath.Join(work, ".go-version"), filepath.Join(proj, "a", ".go-version")},
				Files:  []File{{pin, content}},
				Dirs:   []string{bin},
			}
			file := filepath.Join(t.TempDir(), "fresh")
			write(file, sh.Fresh(check))
			fresh := func() int {
				t.Helper()
				_, code := run(t, name, "source "+sh.Quote(file)+"\ncd "+sh.Quote(work)+"\n__gover_fresh", "GOVER_ROOT="+root, "GOVER_VERSION=")
				return code
			}
			if code := fresh(); code != 0 {
				t.Fatalf("unchanged: __gover_fresh = %d, want 0\n%s", code, sh.Fresh(check))
			}
			write(pin, content+"\n\n") // trailing newlines say nothing new
			if code := fresh(); code != 0 {
				t.Errorf("after adding trailing newlines: __gover_fresh = %d, want 0", code)
			}
			write(pin, "1.21.13\n")
			if code := fresh(); code == 0 {
				t.Errorf("after the pin changed: __gover_fresh = 0, want a failure")
			}
			write(pin, content)
			write(filepath.Join(proj, "a", ".go-version"), "1.20\n")
			if code := fresh(); code == 0 {
				t.Errorf("after a nearer pin appeared: __gover_fresh = 0, want a failure")
			}
			os.Remove(filepath.Join(proj, "a", ".go-version"))
			os.Remove(bin)
			if code := fresh(); code == 0 {
				t.Errorf("after the toolchain went away: __gover_fresh = 0, want a failure")
			}
			os.MkdirAll(bin, 0o755)
			if _, code := run(t, name, "source "+sh.Quote(file)+"\ncd "+sh.Quote(work)+"\n__gover_fresh", "GOVER_ROOT="+root, "GOVER_VERSION=1.21"); code == 0 {
				t.Errorf("with GOVER_VERSION set: __gover_fresh = 0, want a failure")
			}
			if _, code := run(t, name, "source "+sh.Quote(file)+"\ncd "+sh.Quote(proj)+"\n__gover_fresh", "GOVER_ROOT="+root, "GOVER_VERSION="); code == 0 {
				t.Errorf("in another folder: __gover_fresh = 0, want a failure")
			}
		})
	}
}

func TestPwshFreshText(t *testing.T) {
	sh := lookup(t, "pwsh")
	text := sh.Fresh(Check{
		Dir:    `C:\it's\p`,
		Vars:   []Var{{"GOVER_VERSION", ""}},
		Absent: []string{`C:\it's\p\.go-version`},
		Files:  []File{{`C:\it's\.go-version`, "1.22.5\n"}},
		Dirs:   []string{`C:\v\go1.22.5\bin`},
	})
	for _, want := range []string{
		`if ($PWD.ProviderPath -cne 'C:\it''s\p') { return $false }`,
		`if ("$env:GOVER_VERSION" -cne '') { return $false }`,
		`if (Test-Path -LiteralPath 'C:\it''s\p\.go-version') { return $false }`,
		`if (-not (Test-Path -LiteralPath 'C:\v\go1.22.5\bin' -PathType Container)) { return $false }`,
		`[IO.File]::ReadAllText('C:\it''s\.go-version').TrimEnd([char]10) -cne '1.22.5'`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("fresh check lacks %s:\n%s", want, text)
		}
	}
}
