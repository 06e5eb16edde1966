package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// useCommand is a placeholder until its issue lands.
func useCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "use",
		Usage: "pin a version here (.go-version) or globally",
		Action: func(c *cli.Context) error {
			return errors.New("'gover use' is not available in this build yet")
		},
	}
}
