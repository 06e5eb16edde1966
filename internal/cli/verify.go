package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// verifyCommand is a placeholder until its issue lands.
func verifyCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "re-hash installed trees against their install records",
		Action: func(c *cli.Context) error {
			return errors.New("'gover verify' is not available in this build yet")
		},
	}
}
