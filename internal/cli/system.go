package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// systemCommand is a placeholder until its issue lands.
func systemCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "system",
		Usage: "Go installed outside gover, and holding it",
		Action: func(c *cli.Context) error {
			return errors.New("'gover system' is not available in this build yet")
		},
	}
}
