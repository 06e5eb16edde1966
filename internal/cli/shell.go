package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// shellCommand is a placeholder until its issue lands.
func shellCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "shell",
		Usage: "use a version in this shell only",
		Action: func(c *cli.Context) error {
			return errors.New("'gover shell' is not available in this build yet")
		},
	}
}
