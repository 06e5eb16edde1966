package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/shell"
	"github.com/goverdev/gover/shims/toolenv"
)

func envCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "env",
		Usage: "print the environment a shim would set",
		Description: "Prints GOROOT, PATH and GOTOOLCHAIN as a shim sets them here, as statements for\n" +
			"--shell (default: your shell) or as a JSON object. Nothing is printed when no\n" +
			"version is selected (the go on PATH runs as it is).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "shell", Usage: "bash, zsh, fish, pwsh or json"},
			&cli.StringFlag{Name: "version", Usage: "for version `V` instead of the active one"},
			// The prompt hook of 'gover init --hook'.
			&cli.BoolFlag{Name: "hook", Hidden: true},
		},
		Action: func(c *cli.Context) error {
			name := c.String("shell")
			if c.Bool("hook") {
				return runHookEnv(c.Context, e, name)
			}
			if name == "" {
				name = "bash"
				if d, err := detectShell(e, ""); err == nil {
					name = d
				}
			}
			var sh shell.Shell
			if name != "json" {
				s, err := shell.Lookup(name)
				if err != nil {
					return usageErrorf("--shell: %w", err)
				}
				sh = s
			}
			a, err := e.active(c.String("version"))
			if err != nil {
				return err
			}
			if a.missing != nil {
				return a.missing
			}
			var vars []toolenv.Var
			if !a.system() {
				vars = toolenv.Vars(e.Getenv, a.goroot)
			}
			if sh == nil {
				m := map[string]string{}
				for _, v := range vars {
					m[v.Name] = v.Value
				}
				return writeJSON(e, m)
			}
			for _, v := range vars {
				fmt.Fprintln(e.Stdout, sh.Set(v.Name, v.Value))
			}
			return nil
		},
	}
}

// hookVars are the variables besides the folder that change what the hook
// applies; the freshness check compares them.
var hookVars = []string{"GOVER_VERSION", "GOVER_GOMOD", "GOWORK", "GOVER_ROOT", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "GOVER_AUTO_INSTALL"}

// runHookEnv prints what the prompt hook runs: the changes from what it
// applied last to what this folder selects now, and a new __gover_fresh
// that holds while the inputs of that answer stay as they are. Problems
// (a bad pin, a version not installed) are reported on stderr once, and
// the exit code stays 0 so that the shell still takes the new check.
// With GOVER_AUTO_INSTALL=1 a selected version that is missing is
// installed first, as a shim would; a failed install is not retried at
// every prompt, only when the folder, the pin or the variables change.
func runHookEnv(ctx context.Context, e *Env, name string) error {
	if name == "" {
		name = e.Getenv(shellVar)
	}
	sh, err := shell.Lookup(name)
	if err != nil {
		return usageErrorf("--shell: %w", err)
	}
	wd, err := e.Getwd()
	if err != nil {
		return fmt.Errorf("find current folder: %w", err)
	}
	l := e.Layout()
	check := shell.Check{Dir: wd}
	for _, v := range hookVars {
		check.Vars = append(check.Vars, shell.Var{Name: v, Value: e.Getenv(v)})
	}
	read := func(name string) ([]byte, error) {
		data, err := selection.ReadPin(name)
		switch {
		case err == nil:
			check.Files = append(check.Files, shell.File{Path: name, Content: string(data)})
		case errors.Is(err, fs.ErrNotExist):
			check.Absent = append(check.Absent, name)
		}
		return data, err
	}
	goroot := ""
	opt := selection.ForLayout(l, e.Getenv)
	opt.ReadFile = read
	sel, err := selection.Find(wd, opt)
	switch {
	case err != nil:
		fmt.Fprintf(e.Stderr, "gover: %v\n", err)
	case sel.Found() && !sel.System:
		e.notePin(sel)
		v, err := selection.ResolveIn(sel, l)
		if err != nil && e.Getenv("GOVER_AUTO_INSTALL") == "1" {
			if ierr := e.installWord(ctx, sel.InstallWord()); ierr != nil {
				err = ierr
			} else {
				v, err = selection.ResolveIn(sel, l)
			}
		}
		if err != nil {
			fmt.Fprintf(e.Stderr, "gover: %v\n", err)
			if sel.Word.Version != "" {
				// Installed from another shell: this check notices.
				check.Absent = append(check.Absent, l.Toolchain(sel.Word.Version))
			}
			break
		}
		goroot = l.Toolchain(v)
		check.Dirs = append(check.Dirs, filepath.Join(goroot, "bin"))
	}
	sort.Strings(check.Absent)
	var b strings.Builder
	b.WriteString(shell.Statements(sh, shell.HookChanges(e.Getenv, goroot)))
	b.WriteString(sh.Fresh(check))
	_, err = fmt.Fprint(e.Stdout, b.String())
	return err
}
