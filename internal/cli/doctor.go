package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// doctorCommand is a placeholder until its issue lands.
func doctorCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check the Go environment for problems",
		Action: func(c *cli.Context) error {
			return errors.New("'gover doctor' is not available in this build yet")
		},
	}
}
