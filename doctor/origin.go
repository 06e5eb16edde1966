package doctor

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// A place is where a variable gets its value: a line of a shell start-up
// file, or the file 'go env -w' writes.
type place struct {
	File  string
	Line  int
	GoEnv bool
}

// startupFiles are the files shells read at start-up that set variables,
// under $HOME, then system-wide under Root. gover itself writes only the
// 'gover init' line (and, on macOS, PKG_CONFIG_PATH) into them.
func (s *state) startupFiles() []string {
	var files []string
	if home := s.env.Getenv("HOME"); home != "" {
		for _, f := range []string{".profile", ".bash_profile", ".bash_login", ".bashrc", ".zshenv", ".zprofile", ".zshrc", ".cshrc", ".tcshrc"} {
			files = append(files, filepath.Join(home, f))
		}
		config := s.env.Getenv("XDG_CONFIG_HOME")
		if !filepath.IsAbs(config) {
			config = filepath.Join(home, ".config")
		}
		files = append(files,
			filepath.Join(config, "fish", "config.fish"),
			filepath.Join(config, "powershell", "Microsoft.PowerShell_profile.ps1"))
		if conf, _ := filepath.Glob(filepath.Join(config, "fish", "conf.d", "*.fish")); len(conf) > 0 {
			files = append(files, conf...)
		}
	}
	root := s.env.Root
	if root == "" {
		root = string(filepath.Separator)
	}
	for _, f := range []string{"etc/environment", "etc/profile", "etc/bash.bashrc", "etc/zsh/zshenv", "etc/zshenv", "etc/zprofile"} {
		files = append(files, filepath.Join(root, f))
	}
	if d, _ := filepath.Glob(filepath.Join(root, "etc", "profile.d", "*.sh")); len(d) > 0 {
		files = append(files, d...)
	}
	return files
}

// setsVar matches a line that sets key in sh, csh, fish or PowerShell.
func setsVar(key string) *regexp.Regexp {
	k := regexp.QuoteMeta(key)
	return regexp.MustCompile(`(^|[\s;&])((export|declare\s+-x|typeset\s+-x)\s+)?` + k + `=` +
		`|(^|[\s;&])setenv\s+` + k + `(\s|$)` +
		`|(^|[\s;&])set\s+(-\S+\s+)*` + k + `(\s|$)` +
		`|\$env:` + k + `\s*=`)
}

// whereSet lists the start-up file lines that set key, and the go env file
// when it does.
func (s *state) whereSet(ctx context.Context, key string) []place {
	re := setsVar(key)
	var places []place
	for _, f := range s.startupFiles() {
		file, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(file)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if re.MatchString(line) {
				places = append(places, place{File: f, Line: n})
			}
		}
		file.Close()
	}
	if f, ok := s.envFile.get(ctx); ok && f.Vars[key] != "" {
		places = append(places, place{File: f.Path, GoEnv: true})
	}
	return places
}

// describe says where a place is, for people.
func (s *state) describe(p place) string {
	f := tilde(p.File, s.env.Getenv("HOME"))
	if p.GoEnv {
		return "the go env file " + f + " ('go env -w')"
	}
	return fmt.Sprintf("%s line %d", f, p.Line)
}

// origin says where key's value comes from: "" when unknown.
func (s *state) origin(ctx context.Context, key string) string {
	var where []string
	for _, p := range s.whereSet(ctx, key) {
		where = append(where, s.describe(p))
	}
	return strings.Join(where, " and ")
}

// unsetFix says how to stop setting key: the lines to delete, 'go env -u',
// or where else environments come from.
func (s *state) unsetFix(ctx context.Context, key string) string {
	var fixes []string
	shell := false
	for _, p := range s.whereSet(ctx, key) {
		if p.GoEnv {
			fixes = append(fixes, "run 'go env -u "+key+"'")
			continue
		}
		shell = true
		fixes = append(fixes, fmt.Sprintf("delete the %s line from %s (line %d)", key, tilde(p.File, s.env.Getenv("HOME")), p.Line))
	}
	if s.env.Getenv(key) != "" && !shell {
		if s.env.HostOS == "windows" {
			fixes = append(fixes, "remove "+key+" from your environment variables (Settings > System > About > Advanced system settings > Environment Variables), or from your IDE's or CI's settings")
		} else {
			fixes = append(fixes, "unset "+key+" where your environment sets it (a shell start-up file, /etc/environment, your IDE's or CI's settings)")
		}
	}
	fix := strings.Join(fixes, "; ")
	if shell {
		fix += ", then open a new shell"
	}
	return fix
}
