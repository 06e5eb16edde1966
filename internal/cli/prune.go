package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// pruneCommand is a placeholder until its issue lands.
func pruneCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "prune",
		Usage: "remove versions nothing selects",
		Action: func(c *cli.Context) error {
			return errors.New("'gover prune' is not available in this build yet")
		},
	}
}
