package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// whichCommand is a placeholder until its issue lands.
func whichCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "which",
		Usage: "print the real path that go (or PROGRAM) runs here",
		Action: func(c *cli.Context) error {
			return errors.New("'gover which' is not available in this build yet")
		},
	}
}
