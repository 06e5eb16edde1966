//go:build !windows

// Shell rc files are a Unix matter: on Windows, setup edits the registry.

package platform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/shims/shell"
)

func TestShellName(t *testing.T) {
	for _, tc := range []struct{ asked, shell, want, err string }{
		{"", "/bin/bash", "bash", ""},
		{"", "/usr/local/bin/zsh", "zsh", ""},
		{"", "/opt/homebrew/bin/fish", "fish", ""},
		{"", "-zsh", "zsh", ""},
		{"", "/usr/bin/pwsh-preview", "pwsh", ""},
		{"fish", "/bin/bash", "fish", ""},
		{"", "/bin/dash", "", `set up shell "dash": gover setup knows bash, zsh, fish, pwsh (pass --shell`},
		{"", "", "", "$SHELL is not set (pass --shell bash|zsh|fish|pwsh)"},
		{"tcsh", "/bin/bash", "", `set up shell "tcsh": gover setup knows`},
	} {
		got, err := shellName(tc.asked, mapEnv(map[string]string{"SHELL": tc.shell}))
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("shellName(%q) with SHELL=%q = %q, %v; want %q, %q", tc.asked, tc.shell, got, err, tc.want, tc.err)
		}
	}
}

func TestRCFile(t *testing.T) {
	env := map[string]string{"HOME": "/h"}
	for _, tc := range []struct {
		shell       string
		env         map[string]string
		bashProfile bool
		want        string
	}{
		{"bash", env, false, "/h/.bashrc"},
		{"bash", env, true, "/h/.bash_profile"},
		{"zsh", env, false, "/h/.zshrc"},
		{"zsh", map[string]string{"HOME": "/h", "ZDOTDIR": "/z"}, false, "/z/.zshrc"},
		{"fish", env, false, "/h/.config/fish/config.fish"},
		{"fish", map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "/c"}, false, "/c/fish/config.fish"},
		{"fish", map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "relative"}, false, "/h/.config/fish/config.fish"},
		{"pwsh", env, false, "/h/.config/powershell/Microsoft.PowerShell_profile.ps1"},
	} {
		got, err := rcFile(tc.shell, mapEnv(tc.env), tc.bashProfile)
		if err != nil || got != tc.want {
			t.Errorf("rcFile(%s, %v) = %q, %v; want %q", tc.shell, tc.env, got, err, tc.want)
		}
	}
}

func TestInitLine(t *testing.T) {
	for _, tc := range []struct{ shell, gover, want string }{
		{"bash", "gover", `eval "$(gover init bash)"  # added by 'gover setup'`},
		{"zsh", "/Users/a b/bin/gover", `eval "$('/Users/a b/bin/gover' init zsh)"  # added by 'gover setup'`},
		{"fish", "gover", `gover init fish | source  # added by 'gover setup'`},
		{"fish", "/it's/gover", `'/it\'s/gover' init fish | source  # added by 'gover setup'`},
		{"pwsh", "/opt/gover", `Invoke-Expression (& '/opt/gover' init pwsh | Out-String)  # added by 'gover setup'`},
		{"pwsh", `/it's/gover`, `Invoke-Expression (& '/it''s/gover' init pwsh | Out-String)  # added by 'gover setup'`},
	} {
		if got := initLine(tc.shell, tc.gover); got != tc.want {
			t.Errorf("initLine(%s, %s) =\n%s\nwant\n%s", tc.shell, tc.gover, got, tc.want)
		}
	}
}

func TestAddAndRemoveRCLines(t *testing.T) {
	line := rcLine{kind: "init", text: initLine("bash", "gover")}
	for _, tc := range []struct {
		name, in, want string
		did            int
	}{
		{"empty file", "", line.text + "\n", 1},
		{"no final newline", "alias l=ls", "alias l=ls\n" + line.text + "\n", 1},
		{"there already", "x\n" + line.text + "\ny\n", "x\n" + line.text + "\ny\n", 0},
		{"the user's own line", "eval \"$(~/bin/gover init bash --hook)\"\n", "eval \"$(~/bin/gover init bash --hook)\"\n", 0},
		{"a commented-out line does not count", "# eval \"$(gover init bash)\"\n", "# eval \"$(gover init bash)\"\n" + line.text + "\n", 1},
		{"an older line of ours is replaced in place", "a\neval \"$(/old/gover init bash)\"  " + rcMarker + "\nb\n", "a\n" + line.text + "\nb\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, did := addRCLines(tc.in, []rcLine{line})
			if got != tc.want || len(did) != tc.did {
				t.Errorf("addRCLines(%q) = %q, %q; want %q and %d change(s)", tc.in, got, did, tc.want, tc.did)
			}
		})
	}
	for _, in := range []string{"", "alias l=ls\n", "a\n\nb\n"} {
		added, _ := addRCLines(in, []rcLine{line, {kind: "pkg-config", text: pkgConfigLine("bash", []string{"/opt/homebrew/lib/pkgconfig"})}})
		if got, n := removeRCLines(added); got != in || n != 2 {
			t.Errorf("removeRCLines(addRCLines(%q)) = %q, %d; want it back", in, got, n)
		}
	}
}

// TestPkgConfigLineInShells runs the lines through the real shells that are
// installed, to prove they parse and export what they should.
func TestPkgConfigLineInShells(t *testing.T) {
	dirs := []string{"/opt/homebrew/opt/openssl@3/lib/pkgconfig", "/opt/homebrew/lib/pkgconfig"}
	want := strings.Join(dirs, ":") + ":/old"
	ran := 0
	for _, sh := range []struct{ shell, run string }{
		{"bash", "bash"}, {"zsh", "zsh"}, {"fish", "fish"},
	} {
		if _, err := lookPath(sh.run, os.Getenv("PATH")); err != nil {
			t.Logf("%s is not installed: its line is not run", sh.run)
			continue
		}
		ran++
		script := pkgConfigLine(sh.shell, dirs) + "\nenv | grep '^PKG_CONFIG_PATH='\n"
		out, err := ExecRunner{Environ: append(os.Environ(), "PKG_CONFIG_PATH=/old")}.Output(t.Context(), sh.run, "-c", script)
		if err != nil {
			t.Errorf("%s: %v", sh.shell, err)
			continue
		}
		if got := strings.TrimSpace(string(out)); got != "PKG_CONFIG_PATH="+want {
			t.Errorf("%s exports %q, want %q", sh.shell, got, want)
		}
	}
	if ran == 0 {
		t.Fatal("no bash on PATH to run the line with")
	}
}

func TestRCSetup(t *testing.T) {
	home := t.TempDir()
	env := mapEnv(map[string]string{"HOME": home, "SHELL": "/bin/bash"})
	rc := filepath.Join(home, ".bashrc")
	orig := "# my bashrc\nexport EDITOR=vi\n"
	writeFiles(t, home, map[string]string{"dotfiles/bashrc": orig, ".bashrc": "-> dotfiles/bashrc"})

	changes, err := rcSetup(SetupOptions{}, env, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) == 0 || !strings.Contains(changes[0].Message, `added 'eval "$(gover init bash)"' to `+rc) {
		t.Errorf("changes = %+v", changes)
	}
	// The link stays a link; its target gets the line.
	if fi, err := os.Lstat(rc); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("~/.bashrc is no longer a link: %v", err)
	}
	data, _ := os.ReadFile(rc)
	if string(data) != orig+initLine("bash", "gover")+"\n" {
		t.Errorf("~/.bashrc =\n%s", data)
	}

	changes, err = rcSetup(SetupOptions{}, env, false, nil)
	if err != nil || !strings.Contains(changes[0].Message, "already loads gover") {
		t.Errorf("second setup: %+v, %v", changes, err)
	}
	if again, _ := os.ReadFile(rc); string(again) != string(data) {
		t.Errorf("second setup changed ~/.bashrc:\n%s", again)
	}

	if _, err := rcSetup(SetupOptions{Undo: true}, env, false, nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(rc); string(data) != orig {
		t.Errorf("after undo ~/.bashrc =\n%q\nwant\n%q", data, orig)
	}
	changes, _ = rcSetup(SetupOptions{Undo: true}, env, false, nil)
	if !strings.Contains(changes[0].Message, "nothing to undo") {
		t.Errorf("second undo: %+v", changes)
	}

	// fish: the folder is created.
	if _, err := rcSetup(SetupOptions{Shell: "fish", Gover: "/opt/gover/bin/gover"}, env, false, nil); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(filepath.Join(home, ".config", "fish", "config.fish"))
	if string(data) != "/opt/gover/bin/gover init fish | source  "+rcMarker+"\n" {
		t.Errorf("config.fish = %q", data)
	}
}

// TestOneShellDetector: setup and 'gover init' name the same shell for
// every $SHELL (they had two detectors that disagreed on powershell and
// pwsh-preview).
func TestOneShellDetector(t *testing.T) {
	for _, tc := range []struct{ shellEnv, want string }{
		{"/bin/bash", "bash"}, {"-zsh", "zsh"}, {"/usr/bin/fish", "fish"},
		{"/usr/bin/pwsh", "pwsh"}, {"/usr/bin/powershell", "pwsh"}, {"/opt/microsoft/powershell/7-preview/pwsh-preview", "pwsh"},
		{`C:\Program Files\PowerShell\7\pwsh.exe`, "pwsh"},
		{"/bin/tcsh", ""}, {"/bin/sh", ""},
	} {
		got, err := shellName("", mapEnv(map[string]string{"SHELL": tc.shellEnv}))
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("setup's shell for SHELL=%s: %q, %v; want %q", tc.shellEnv, got, err, tc.want)
		}
		init, _ := shell.Detect("", tc.shellEnv, "")
		if init != got {
			t.Errorf("SHELL=%s: setup says %q, gover init says %q", tc.shellEnv, got, init)
		}
	}
}
