package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// setupCommand is a placeholder until its issue lands.
func setupCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "one-time OS integration: shims onto the user's PATH",
		Action: func(c *cli.Context) error {
			return errors.New("'gover setup' is not available in this build yet")
		},
	}
}
