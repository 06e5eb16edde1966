package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// mirrorCommand is a placeholder until its issue lands.
func mirrorCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "mirror",
		Usage: "build a verified mirror for an organisation",
		Action: func(c *cli.Context) error {
			return errors.New("'gover mirror' is not available in this build yet")
		},
	}
}
