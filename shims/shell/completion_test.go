package shell

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testCompletion is a small command tree with the shapes gover's has: an
// alias, value and short flags, installed versions, fixed words and a
// command with subcommands.
func testCompletion(t *testing.T) Completion {
	versions := filepath.Join(t.TempDir(), `it's "versions"`)
	for _, v := range []string{"go1.22.5", "go1.21.13", "go1.22.5.windows-amd64"} {
		if err := os.MkdirAll(filepath.Join(versions, v), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return Completion{
		Versions: versions,
		Commands: []Command{
			{Names: []string{"install"}, Flags: []string{"--source", "--force", "--quiet", "-q", "--help", "-h"}},
			{Names: []string{"uninstall", "rm"}, Flags: []string{"--force", "--help", "-h"}, Versions: true},
			{Names: []string{"init"}, Flags: []string{"--hook", "--help", "-h"}, Words: Names},
			{Names: []string{"completion"}, Flags: []string{"--help", "-h"}, Words: Names},
			{Names: []string{"mirror"}, Flags: []string{"--help", "-h"}, Words: []string{"sync", "sign"}},
			{Names: []string{"mirror sync"}, Flags: []string{"--versions", "--dry-run", "--help", "-h"}},
			{Names: []string{"mirror sign"}, Flags: []string{"--key", "--help", "-h"}},
		},
	}
}

// completionCases: a command line (the cursor at its end) and what
// completion offers there.
var completionCases = []struct{ line, want string }{
	{"gover ", "completion init install mirror uninstall"},
	{"gover ins", "install"},
	{"gover install --f", "--force"},
	{"gover install 1.22.5 --q", "--quiet"},
	{"gover rm ", "1.21.13 1.22.5"},
	{"gover uninstall 1.22", "1.22.5"},
	{"gover uninstall --", "--force --help"},
	{"gover init ", "bash fish pwsh zsh"},
	{"gover completion f", "fish"},
	{"gover mirror s", "sign sync"},
	{"gover mirror sync --v", "--versions"},
	{"gover mirror sign --", "--help --key"},
}

// TestCompletionRealShells loads each script in the real shell and asks
// it to complete, as the shell does at a Tab: bash calls the function
// with COMP_WORDS set, zsh with words and CURRENT (compadd stood in for,
// as outside a completion widget it cannot run), fish answers
// 'complete -C'.
func TestCompletionRealShells(t *testing.T) {
	c := testCompletion(t)
	for _, name := range realShells {
		t.Run(name, func(t *testing.T) {
			sh := lookup(t, name)
			file := filepath.Join(t.TempDir(), "completion."+name)
			if err := os.WriteFile(file, []byte(sh.Completion(c)), 0o644); err != nil {
				t.Fatal(err)
			}
			var script strings.Builder
			script.WriteString("source " + sh.Quote(file) + "\n")
			if name == "zsh" {
				// compadd offers the words the typed prefix matches.
				script.WriteString("compadd() { [[ $1 == -- ]] && shift; local w; for w; do [[ $w == ${words[CURRENT]}* ]] && print -r -- $w; done; return 0; }\n")
			}
			for _, tc := range completionCases {
				words := strings.Split(tc.line, " ")
				var q []string
				for _, w := range words {
					q = append(q, sh.Quote(w))
				}
				switch name {
				case "bash":
					script.WriteString("COMP_WORDS=(" + strings.Join(q, " ") + "); COMP_CWORD=" + strconv.Itoa(len(words)-1) +
						"; __gover_complete; printf '%s\\n' \"${COMPREPLY[@]}\"; echo ---\n")
				case "zsh":
					script.WriteString("words=(" + strings.Join(q, " ") + "); CURRENT=" + strconv.Itoa(len(words)) +
						"; __gover_complete; echo ---\n")
				case "fish":
					script.WriteString("complete -C " + sh.Quote(tc.line) + " | string replace -r '\\t.*' ''; echo ---\n")
				}
			}
			out, code := run(t, name, script.String())
			got := strings.Split(out, "---\n")
			if code != 0 || len(got) != len(completionCases)+1 {
				t.Fatalf("exit %d, %d answers for %d cases:\n%s", code, len(got)-1, len(completionCases), out)
			}
			for i, tc := range completionCases {
				offered := strings.Fields(got[i])
				slices.Sort(offered)
				if strings.Join(offered, " ") != tc.want {
					t.Errorf("%s: %q offers %q; want %q", name, tc.line, offered, tc.want)
				}
			}
		})
	}
}

// Init includes the completion script as it is, so 'gover completion'
// and 'gover init' never differ.
func TestInitIncludesCompletion(t *testing.T) {
	for _, name := range Names {
		sh := lookup(t, name)
		for _, hook := range []bool{false, true} {
			o := weirdInit(t, hook)
			o.Completion = testCompletion(t)
			if !strings.Contains(sh.Init(o), sh.Completion(o.Completion)) {
				t.Errorf("%s (hook %v): init lacks the completion script", name, hook)
			}
		}
	}
}
