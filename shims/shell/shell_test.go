package shell

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// realShells are the shells these tests run for real. A missing one fails
// the test: CI must install them (apt-get install -y bash zsh fish).
var realShells = []string{"bash", "zsh", "fish"}

// run runs script in a real shell, without start-up files, and returns
// stdout and the exit code.
func run(t *testing.T, name, script string, env ...string) (string, int) {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed; these tests run the real shell (apt-get install -y %s)", name, name)
	}
	var args []string
	switch name {
	case "bash":
		args = []string{"--norc", "--noprofile", "-c", script}
	case "zsh":
		args = []string{"-f", "-c", script}
	case "fish":
		args = []string{"--no-config", "-c", script}
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if stderr.Len() > 0 {
		t.Logf("%s stderr: %s", name, stderr.String())
	}
	return string(out), code
}

func lookup(t *testing.T, name string) Shell {
	t.Helper()
	sh, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// tricky are words that break naive quoting somewhere.
var tricky = []string{
	"plain", "", "with space", "it's", `say "hi"`, `back\slash`, `trail\`, "$HOME", "`id`", "$(id)",
	"*", "~", "~/x", "=cmd", "!!", "{a,b}", "a;b", "#x", "tab\there", "new\nline", "üñí", "-n", "%s",
	"(x)", "[x]", "a|b", "a&b", "'", "''", `\'`, "$", "%", "^x",
}

// Quote must give back every word unchanged in each real shell.
func TestQuoteRoundTrip(t *testing.T) {
	for _, name := range realShells {
		t.Run(name, func(t *testing.T) {
			sh := lookup(t, name)
			var script strings.Builder
			for _, w := range tricky {
				script.WriteString("printf '%s\\0' " + sh.Quote(w) + "\n")
			}
			out, code := run(t, name, script.String())
			got := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
			if code != 0 || !slices.Equal(got, tricky) {
				t.Errorf("exit %d; got %q\nwant %q", code, got, tricky)
			}
		})
	}
}

func TestPwshQuote(t *testing.T) {
	sh := lookup(t, "powershell")
	for in, want := range map[string]string{
		"C:\\Program Files\\gover": `'C:\Program Files\gover'`,
		"it's":                     `'it''s'`,
		"$env:PATH `n":             "'$env:PATH `n'",
		"‘smart’ ‚quotes‛":         "'‘‘smart’’ ‚‚quotes‛‛'",
		"":                         "''",
	} {
		if got := sh.Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	if got := sh.Set("GOVER_VERSION", "1.22.5"); got != "$env:GOVER_VERSION = '1.22.5'" {
		t.Errorf("Set = %s", got)
	}
	if got := sh.Unset("GOVER_VERSION"); got != "Remove-Item -LiteralPath Env:GOVER_VERSION -ErrorAction SilentlyContinue" {
		t.Errorf("Unset = %s", got)
	}
}

// Set and Unset export exactly the value, PATH included (a list in fish).
func TestSetUnset(t *testing.T) {
	path := "/a b/bin:/it's/bin:/usr/bin:/bin"
	for _, name := range realShells {
		t.Run(name, func(t *testing.T) {
			sh := lookup(t, name)
			script := sh.Set("GOVER_X", "v 'q' \"d\" $x") + "\n" + sh.Set("PATH", path) + "\n" + sh.Unset("GOVER_Y") + "\n" +
				"/usr/bin/env | /usr/bin/grep -E '^(GOVER_[XY]=|PATH=)' | /usr/bin/sort\n"
			out, code := run(t, name, script, "GOVER_Y=set")
			want := "GOVER_X=v 'q' \"d\" $x\nPATH=" + path + "\n"
			if code != 0 || out != want {
				t.Errorf("exit %d; env:\n%s\nwant:\n%s", code, out, want)
			}
		})
	}
}

func TestLookupAndDetect(t *testing.T) {
	if _, err := Lookup("tcsh"); err == nil || !strings.Contains(err.Error(), "bash, zsh, fish, pwsh") {
		t.Errorf("Lookup(tcsh) = %v; want an error naming the supported shells", err)
	}
	for _, tt := range []struct{ parent, shellEnv, ps, want string }{
		{"bash", "/usr/bin/zsh", "", "bash"},
		{"-zsh", "", "", "zsh"},
		{"gover", "/usr/local/bin/fish", "", "fish"},
		{"", "/bin/bash", "", "bash"},
		{"", "", `C:\Users\u\Documents\PowerShell\Modules`, "pwsh"},
		{"pwsh.exe", "", "", "pwsh"},
		{"", `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, "", "pwsh"},
		{"sshd", "/bin/tcsh", "", ""},
	} {
		got, err := Detect(tt.parent, tt.shellEnv, tt.ps)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("Detect(%q, %q, %q) = %q, %v; want %q", tt.parent, tt.shellEnv, tt.ps, got, err, tt.want)
		}
	}
}

// weird paths that every snippet must survive.
func weirdInit(t *testing.T, hook bool) Init {
	dir := filepath.Join(t.TempDir(), `it's a "dir" $x`)
	return Init{
		Gover: filepath.Join(dir, "bin", "gover"),
		Shims: filepath.Join(dir, "shims"),
		Completion: Completion{
			Versions: filepath.Join(dir, "versions"),
			Commands: []Command{{Names: []string{"install"}}, {Names: []string{"use"}, Versions: true}, {Names: []string{"shell"}}, {Names: []string{"current"}}},
		},
		Hook: hook,
	}
}

// Every snippet parses in its shell, and keeps PATH free of duplicates
// however often it is loaded.
func TestInitLoadsTwice(t *testing.T) {
	for _, name := range realShells {
		for _, hook := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "/shims", true: "/hook"}[hook], func(t *testing.T) {
				sh := lookup(t, name)
				o := weirdInit(t, hook)
				file := filepath.Join(t.TempDir(), "init."+name)
				if err := os.WriteFile(file, []byte(sh.Init(o)), 0o644); err != nil {
					t.Fatal(err)
				}
				printPath := `printf '%s\n' "$PATH"`
				if name == "fish" {
					printPath = `string join : -- $PATH`
				}
				load := "source " + sh.Quote(file)
				out, code := run(t, name, load+"\n"+load+"\n"+printPath+"\n", "PATH=/usr/bin:/bin")
				want := o.Shims + ":/usr/bin:/bin\n"
				if hook {
					want = "/usr/bin:/bin\n"
				}
				if code != 0 || out != want {
					t.Errorf("loaded twice: exit %d, PATH %q; want %q\n%s", code, out, want, sh.Init(o))
				}
			})
		}
	}
}

func TestPwshInitText(t *testing.T) {
	sh := lookup(t, "pwsh")
	for _, hook := range []bool{false, true} {
		o := weirdInit(t, hook)
		text := sh.Init(o)
		for _, want := range []string{
			"& " + sh.Quote(o.Gover) + " @args",
			"Register-ArgumentCompleter -Native -CommandName gover",
			"Get-ChildItem -LiteralPath " + sh.Quote(o.Completion.Versions),
			"@('install', 'use', 'shell', 'current')",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("hook=%v: snippet lacks %q:\n%s", hook, want, text)
			}
		}
		if shims := "@(" + sh.Quote(o.Shims) + ")"; strings.Contains(text, shims) == hook {
			t.Errorf("hook=%v: shims on PATH is %v, want %v", hook, !hook, hook)
		}
		if strings.Contains(text, "function global:prompt") != hook {
			t.Errorf("hook=%v: prompt wrapper present = %v", hook, !hook)
		}
		for _, pair := range [][2]string{{"{", "}"}, {"(", ")"}} {
			if strings.Count(text, pair[0]) != strings.Count(text, pair[1]) {
				t.Errorf("hook=%v: unbalanced %s%s in:\n%s", hook, pair[0], pair[1], text)
			}
		}
	}
}
