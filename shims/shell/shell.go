// Package shell renders gover's shell integration — the 'gover init'
// snippets, the statements 'gover shell' and 'gover env' print, and the
// hook's freshness check — for bash, zsh, fish and PowerShell, with one file
// per shell and the quoting each one needs.
//
// Two modes share the gover function and completion:
//   - shims: the shims folder goes first on PATH, once; every go call then
//     picks its version through the shim;
//   - hook: no shims; before each prompt the shell runs __gover_fresh, a
//     function of plain tests and builtin reads that gover generated for the
//     state it last applied, and asks gover again ('gover env --hook') only
//     when that check fails: the folder, a variable or a pin file changed.
//     A prompt where nothing changed starts no process.
package shell

import (
	"fmt"
	"path"
	"strings"
	"text/template"
)

// Names are the shells gover integrates with.
var Names = []string{"bash", "zsh", "fish", "pwsh"}

// A Shell renders code for one shell.
type Shell interface {
	Name() string
	// Quote makes s one literal word.
	Quote(s string) string
	// Set and Unset are one statement each, exporting the variable.
	Set(name, value string) string
	Unset(name string) string
	// Init is the snippet 'gover init' prints; it includes Completion's.
	Init(o Init) string
	// Completion is the script 'gover completion' prints.
	Completion(c Completion) string
	// Fresh defines __gover_fresh, true while c still holds.
	Fresh(c Check) string
}

// Lookup returns the shell called name, as Name spells it ("powershell"
// is pwsh).
func Lookup(name string) (Shell, error) {
	switch Name(name) {
	case "bash":
		return bash{}, nil
	case "zsh":
		return zsh{}, nil
	case "fish":
		return fish{}, nil
	case "pwsh":
		return pwsh{}, nil
	}
	return nil, fmt.Errorf("%q is not a shell gover supports (use %s)", name, strings.Join(Names, ", "))
}

// Init is what a snippet needs to know.
type Init struct {
	// Gover is the gover binary the shell function runs (an absolute path,
	// so the function works whether or not gover is on PATH).
	Gover string
	// Shims is the shims folder, put first on PATH in shims mode.
	Shims string
	// Completion is the command line the completion script knows.
	Completion Completion
	// Hook selects hook mode.
	Hook bool
}

// A Check is what the hook's last answer depended on: the folder, some
// variables, and the pin files selection read or looked for.
type Check struct {
	Dir string
	// Vars are variables that change the answer, with the values they had
	// ("" also stands for unset).
	Vars []Var
	// Absent are files that did not exist and must still not.
	Absent []string
	// Files are files that were read, with their content.
	Files []File
	// Dirs must still exist (the toolchain's bin that was put on PATH).
	Dirs []string
}

// A Var is a variable and its value.
type Var struct{ Name, Value string }

// A File is a file and its content; the check ignores trailing newlines,
// which never change what a pin says.
type File struct{ Path, Content string }

// trimmed is the content as every shell reads it back.
func (f File) trimmed() string { return strings.TrimRight(f.Content, "\n") }

func render(name, text string, sh Shell, data any) string {
	t := template.Must(template.New(name).Funcs(template.FuncMap{
		"q":     sh.Quote,
		"words": func(ws []string) string { return sh.Quote(strings.Join(ws, " ")) },
		"qwords": func(ws []string) string {
			q := make([]string, len(ws))
			for i, w := range ws {
				q[i] = sh.Quote(w)
			}
			return strings.Join(q, " ")
		},
		"join":       strings.Join,
		"shell":      sh.Name,
		"completion": sh.Completion,
	}).Parse(text))
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		panic(err) // the templates are constants; tests render every one
	}
	return b.String()
}

// posixQuote is a single-quoted word for sh, bash and zsh: everything is
// literal between single quotes, and a quote is closed, escaped, reopened.
func posixQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safe runes need no quoting in any shell.
func safe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:@", r)
}

// Detect names the shell gover runs under: its parent process when that is
// a shell gover knows ('eval "$(gover init)"' runs gover from the shell),
// else $SHELL's, else PowerShell when PSModulePath says so.
func Detect(parent, shellEnv, psModulePath string) (string, error) {
	if name := Name(parent); name != "" {
		return name, nil
	}
	if name := Name(shellEnv); name != "" {
		return name, nil
	}
	if psModulePath != "" && shellEnv == "" {
		return "pwsh", nil
	}
	return "", fmt.Errorf("cannot tell which shell this is (name it: gover init %s)", strings.Join(Names, "|"))
}

// Name maps a process name or path ("-bash", "/usr/bin/zsh", "pwsh.exe",
// "powershell", "pwsh-preview") to the shell gover calls it, or "" for
// other programs. It is the one shell detector: 'gover init', 'gover
// env' and 'gover setup' all ask it.
func Name(p string) string {
	p = strings.ReplaceAll(strings.TrimSpace(p), `\`, "/")
	base := strings.TrimPrefix(path.Base(p), "-") // a login shell's argv[0]
	base = strings.TrimSuffix(strings.ToLower(base), ".exe")
	switch {
	case base == "bash", base == "zsh", base == "fish":
		return base
	case base == "powershell", strings.HasPrefix(base, "pwsh"):
		// pwsh-preview, pwsh-lts: PowerShell, with pwsh's profile.
		return "pwsh"
	}
	return ""
}

// LoadLine is the start-up file line that loads gover's snippet in sh,
// running gover (best an absolute path: a new shell's PATH may not lead
// to gover).
func LoadLine(sh Shell, gover string) string {
	switch sh.Name() {
	case "fish":
		return sh.Quote(gover) + " init fish | source"
	case "pwsh":
		return "Invoke-Expression (& " + sh.Quote(gover) + " init pwsh | Out-String)"
	}
	return `eval "$(` + sh.Quote(gover) + " init " + sh.Name() + `)"`
}
