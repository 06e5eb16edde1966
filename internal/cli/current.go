package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// currentCommand is a placeholder until its issue lands.
func currentCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "current",
		Usage: "print the active version and where it came from",
		Action: func(c *cli.Context) error {
			return errors.New("'gover current' is not available in this build yet")
		},
	}
}
