package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// execCommand is a placeholder until its issue lands.
func execCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "exec",
		Usage: "run a command with the active toolchain's environment",
		Action: func(c *cli.Context) error {
			return errors.New("'gover exec' is not available in this build yet")
		},
	}
}
