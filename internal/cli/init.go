package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// initCommand is a placeholder until its issue lands.
func initCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "print the shell snippet for bash, zsh, fish or pwsh",
		Action: func(c *cli.Context) error {
			return errors.New("'gover init' is not available in this build yet")
		},
	}
}
