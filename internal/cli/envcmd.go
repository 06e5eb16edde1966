package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// envCommand is a placeholder until its issue lands.
func envCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "env",
		Usage: "print the environment a shim would set",
		Action: func(c *cli.Context) error {
			return errors.New("'gover env' is not available in this build yet")
		},
	}
}
