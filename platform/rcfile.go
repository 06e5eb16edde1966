package platform

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/shims/shell"
)

// rcMarker ends every line 'gover setup' writes into a shell's rc file, so
// that 'gover setup --undo' removes exactly those lines and no other.
const rcMarker = "# added by 'gover setup'"

// shellName is the shell setup is for: the one asked for, else $SHELL's,
// as shell.Name (the one detector 'gover init' uses too) names it.
func shellName(asked string, getenv func(string) string) (string, error) {
	if asked != "" {
		if name := shell.Name(asked); name != "" {
			return name, nil
		}
		return "", fmt.Errorf("set up shell %q: gover setup knows %s", asked, strings.Join(shell.Names, ", "))
	}
	env := getenv("SHELL")
	if name := shell.Name(env); name != "" {
		return name, nil
	}
	if env == "" {
		return "", fmt.Errorf("find your shell: $SHELL is not set (pass --shell %s)", strings.Join(shell.Names, "|"))
	}
	return "", fmt.Errorf("set up shell %q: gover setup knows %s (pass --shell, or add the output of 'gover init' to your shell's startup file yourself)", strings.TrimPrefix(filepath.Base(env), "-"), strings.Join(shell.Names, ", "))
}

// rcFile is the file an interactive shell reads at start-up. macOS
// terminals start bash as a login shell, which reads ~/.bash_profile and
// not ~/.bashrc, so there bashProfile is true.
func rcFile(sh string, getenv func(string) string, bashProfile bool) (string, error) {
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("find your shell's rc file: $HOME is not set")
	}
	config := getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(config) {
		config = filepath.Join(home, ".config")
	}
	switch sh {
	case "bash":
		if bashProfile {
			return filepath.Join(home, ".bash_profile"), nil
		}
		return filepath.Join(home, ".bashrc"), nil
	case "zsh":
		if z := getenv("ZDOTDIR"); filepath.IsAbs(z) {
			return filepath.Join(z, ".zshrc"), nil
		}
		return filepath.Join(home, ".zshrc"), nil
	case "fish":
		return filepath.Join(config, "fish", "config.fish"), nil
	case "pwsh":
		return filepath.Join(config, "powershell", "Microsoft.PowerShell_profile.ps1"), nil
	}
	return "", fmt.Errorf("set up shell %q: gover setup knows %s", sh, strings.Join(shell.Names, ", "))
}

// initLine is the line that loads gover's shell snippet at start-up.
func initLine(sh, gover string) string {
	s, err := shell.Lookup(sh)
	if err != nil {
		panic(err) // sh came from shellName
	}
	return shell.LoadLine(s, gover) + "  " + rcMarker
}

// pkgConfigLine puts dirs ahead of PKG_CONFIG_PATH.
func pkgConfigLine(sh string, dirs []string) string {
	s, err := shell.Lookup(sh)
	if err != nil {
		panic(err) // sh came from shellName
	}
	switch sh {
	case "fish":
		q := make([]string, len(dirs))
		for i, d := range dirs {
			q[i] = s.Quote(d)
		}
		// fish joins a variable whose name ends in PATH with ":" on export.
		return fmt.Sprintf("set -gx PKG_CONFIG_PATH %s $PKG_CONFIG_PATH  %s", strings.Join(q, " "), rcMarker)
	case "pwsh":
		return fmt.Sprintf("$env:PKG_CONFIG_PATH = (@(%s) + @($env:PKG_CONFIG_PATH) | Where-Object { $_ }) -join ':'  %s",
			s.Quote(strings.Join(dirs, ":")), rcMarker)
	}
	return fmt.Sprintf(`export PKG_CONFIG_PATH=%s"${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"  %s`, s.Quote(strings.Join(dirs, ":")), rcMarker)
}

// loadsGover matches a line that runs 'gover init', written by setup or
// by hand ("gover init", "'/opt/gover' init", "~/bin/gover init --hook").
var loadsGover = regexp.MustCompile(`gover['"]?\s+init\b`)

// rcLine is one line setup wants in an rc file. kind tells lines of the
// same purpose apart: a newer one replaces an older one.
type rcLine struct {
	kind string // "init" or "pkg-config"
	text string
}

func lineKind(line string) string {
	switch {
	case strings.Contains(line, "PKG_CONFIG_PATH"):
		return "pkg-config"
	case loadsGover.MatchString(line):
		return "init"
	}
	return ""
}

// addRCLines returns content with each wanted line present once. A line of
// the same kind that setup wrote before is replaced in place; an init line
// the user wrote themselves counts as present. It also says what it did.
func addRCLines(content string, want []rcLine) (string, []string) {
	lines := splitLines(content)
	var did []string
	for _, w := range want {
		found := false
		for i, l := range lines {
			trimmed := strings.TrimSpace(l)
			if strings.HasPrefix(trimmed, "#") || lineKind(l) != w.kind {
				continue
			}
			if strings.HasSuffix(trimmed, rcMarker) && l != w.text {
				lines[i] = w.text
				did = append(did, "replaced "+show(w.text))
			}
			if w.kind == "init" || strings.HasSuffix(trimmed, rcMarker) {
				found = true
				break
			}
		}
		if !found {
			lines = append(lines, w.text)
			did = append(did, "added "+show(w.text))
		}
	}
	return joinLines(lines), did
}

// removeRCLines drops the lines setup wrote (and only those).
func removeRCLines(content string) (string, int) {
	lines := splitLines(content)
	kept := lines[:0]
	n := 0
	for _, l := range lines {
		if strings.HasSuffix(strings.TrimSpace(l), rcMarker) {
			n++
			continue
		}
		kept = append(kept, l)
	}
	return joinLines(kept), n
}

// show is a line as messages quote it: without the marker.
func show(line string) string {
	return "'" + strings.TrimSpace(strings.TrimSuffix(line, rcMarker)) + "'"
}

// splitLines splits content into lines without their "\n"; joinLines puts
// them back, ending the file with a newline.
func splitLines(content string) []string {
	if content == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(content, "\n"), "\n")
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// rcSetup is Setup on Unix: one line in the shell's rc file (two with
// o.PkgConfig), or with o.Undo none. pkgDirs are the PKG_CONFIG_PATH
// folders for o.PkgConfig.
func rcSetup(o SetupOptions, getenv func(string) string, bashProfile bool, pkgDirs []string) ([]Change, error) {
	sh, err := shellName(o.Shell, getenv)
	if err != nil {
		return nil, err
	}
	file, err := rcFile(sh, getenv, bashProfile)
	if err != nil {
		return nil, err
	}
	// Write through a link (dotfiles kept in a repository are often
	// linked), not over it.
	target := file
	if r, err := filepath.EvalSymlinks(file); err == nil {
		target = r
	}
	data, err := os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		perm = fi.Mode().Perm()
	}
	content := string(data)

	if o.Undo {
		out, n := removeRCLines(content)
		if n == 0 {
			return []Change{{Message: fmt.Sprintf("%s holds no line from 'gover setup': nothing to undo", file)}}, nil
		}
		if err := atomicfile.Write(target, []byte(out), perm); err != nil {
			return nil, fmt.Errorf("write %s: %w", file, err)
		}
		return []Change{{Message: fmt.Sprintf("removed %d line(s) 'gover setup' added to %s; open a new shell", n, file), Done: true}}, nil
	}

	gover := o.Gover
	if gover == "" {
		gover = "gover"
	}
	want := []rcLine{{kind: "init", text: initLine(sh, gover)}}
	if o.PkgConfig && len(pkgDirs) > 0 {
		want = append(want, rcLine{kind: "pkg-config", text: pkgConfigLine(sh, pkgDirs)})
	}
	out, did := addRCLines(content, want)
	if len(did) == 0 {
		return []Change{{Message: fmt.Sprintf("%s already loads gover: nothing to do", file)}}, nil
	}
	if err := atomicfile.Write(target, []byte(out), perm); err != nil {
		return nil, fmt.Errorf("write %s: %w", file, err)
	}
	var changes []Change
	for _, d := range did {
		changes = append(changes, Change{Message: fmt.Sprintf("%s to %s", d, file), Done: true})
	}
	changes = append(changes, Change{Message: fmt.Sprintf("open a new shell (or run %s) to use gover's shims", show(initLine(sh, gover)))})
	return changes, nil
}
