package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// ciCommand is a placeholder until its issue lands.
func ciCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "ci",
		Usage: "CI step: install the selected version and export its environment",
		Action: func(c *cli.Context) error {
			return errors.New("'gover ci' is not available in this build yet")
		},
	}
}
