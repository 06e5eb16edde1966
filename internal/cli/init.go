package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/shims/shell"
)

func initCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "print the shell snippet for bash, zsh, fish or pwsh",
		ArgsUsage: "[bash|zsh|fish|pwsh]",
		Description: "Prints code for your shell's start-up file: the shims folder first on PATH (once),\n" +
			"a gover function that makes 'gover shell' work, and completion. With --hook, no shims:\n" +
			"before each prompt the shell puts the selected toolchain's bin first on PATH and sets\n" +
			"GOROOT, asking gover only when the folder or a pin changed. With no shell named, the\n" +
			"shell is the one running gover, else $SHELL's.\n\n" +
			"  bash  ~/.bashrc                    eval \"$(gover init bash)\"\n" +
			"  zsh   ~/.zshrc                     eval \"$(gover init zsh)\"\n" +
			"  fish  ~/.config/fish/config.fish   gover init fish | source\n" +
			"  pwsh  $PROFILE                     Invoke-Expression (& gover init pwsh | Out-String)",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "hook", Usage: "switch PATH and GOROOT at the prompt instead of using shims"},
		},
		Action: func(c *cli.Context) error {
			names := c.Args().Slice()
			if len(names) > 1 {
				return usageErrorf("name one shell: bash, zsh, fish or pwsh")
			}
			name := ""
			if len(names) == 1 {
				name = names[0]
			}
			if name == "" {
				d, err := detectShell(e, parentComm())
				if err != nil {
					return usageErrorf("%w", err)
				}
				name = d
			}
			sh, err := shell.Lookup(name)
			if err != nil {
				return usageErrorf("%w", err)
			}
			gover := e.Executable
			if gover == "" {
				gover = "gover"
			}
			l := e.Layout()
			_, err = fmt.Fprint(e.Stdout, sh.Init(shell.Init{
				Gover:      gover,
				Shims:      l.Shims,
				Completion: e.completion(c.App),
				Hook:       c.Bool("hook"),
			}))
			return err
		},
	}
}

// detectShell names the shell gover runs under (see shell.Detect).
func detectShell(e *Env, parent string) (string, error) {
	return shell.Detect(parent, e.Getenv("SHELL"), e.Getenv("PSModulePath"))
}

// parentComm is the parent process's name where the system says it
// (/proc on Linux), else "".
func parentComm() string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

// rcFile is sh's start-up file, for messages.
func rcFile(sh string) string {
	switch sh {
	case "zsh":
		return "~/.zshrc"
	case "fish":
		return "~/.config/fish/config.fish"
	case "pwsh":
		return "$PROFILE"
	}
	return "~/.bashrc"
}
