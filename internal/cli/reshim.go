package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// reshimCommand is a placeholder until its issue lands.
func reshimCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "reshim",
		Usage: "rewrite the shims",
		Action: func(c *cli.Context) error {
			return errors.New("'gover reshim' is not available in this build yet")
		},
	}
}
