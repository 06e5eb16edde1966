package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/shims/shell"
)

func completionCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the completion script for bash, zsh, fish or pwsh",
		ArgsUsage: strings.Join(shell.Names, "|"),
		Description: "Prints a script that completes gover's commands, their flags, installed versions\n" +
			"(use, shell, uninstall, verify) and shell names. 'gover init' includes it already;\n" +
			"load it alone when gover's shims come from elsewhere:\n\n" +
			"  bash  source <(gover completion bash)\n" +
			"  zsh   source <(gover completion zsh)      (after compinit)\n" +
			"  fish  gover completion fish | source\n" +
			"  pwsh  gover completion pwsh | Out-String | Invoke-Expression",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErrorf("name one shell: %s", strings.Join(shell.Names, ", "))
			}
			sh, err := shell.Lookup(c.Args().First())
			if err != nil {
				return usageErrorf("%w", err)
			}
			_, err = fmt.Fprint(e.Stdout, sh.Completion(e.completion(c.App)))
			return err
		},
	}
}

// versionCommands are the commands whose arguments are installed versions.
var versionCommands = []string{"use", "shell", "uninstall", "verify"}

// completion describes the command tree for a completion script: each
// visible command (a subcommand with its parent's name) with its flags,
// and the fixed words it takes.
func (e *Env) completion(app *cli.App) shell.Completion {
	out := shell.Completion{Versions: e.Layout().Versions}
	var top []string
	for _, cmd := range app.VisibleCommands() {
		top = append(top, cmd.Name)
	}
	words := map[string][]string{"init": shell.Names, "completion": shell.Names, "help": top}
	var add func(parent string, cmds []*cli.Command)
	add = func(parent string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			if cmd.Hidden {
				continue
			}
			sc := shell.Command{Flags: flagWords(cmd.Flags)}
			for _, n := range cmd.Names() {
				sc.Names = append(sc.Names, strings.TrimSpace(parent+" "+n))
			}
			if parent == "" {
				sc.Versions = slices.Contains(versionCommands, cmd.Name)
				sc.Words = words[cmd.Name]
			}
			for _, sub := range cmd.Subcommands {
				if !sub.Hidden {
					sc.Words = append(sc.Words, sub.Name)
				}
			}
			out.Commands = append(out.Commands, sc)
			add(cmd.Name, cmd.Subcommands)
		}
	}
	add("", app.Commands)
	return out
}

// flagWords spells a command's visible flags as typed, --help last.
func flagWords(flags []cli.Flag) []string {
	var out []string
	for _, f := range append(slices.Clip(flags), cli.HelpFlag) {
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		for _, n := range f.Names() {
			w := "--" + n
			if len(n) == 1 {
				w = "-" + n
			}
			if !slices.Contains(out, w) { // a command that ran has --help already
				out = append(out, w)
			}
		}
	}
	return out
}
