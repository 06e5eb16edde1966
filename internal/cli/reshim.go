package cli

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/shims"
)

func reshimCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "reshim",
		Usage: "rewrite the shims",
		Description: "Makes the shims folder hold one shim per program in the installed toolchains'\n" +
			"bin folders (always go and gofmt), each a copy or hard link of gover-shim. Run it\n" +
			"after upgrading gover; install and uninstall run it themselves.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"}},
		Action: func(c *cli.Context) error {
			exe, err := e.ShimExe()
			if err != nil {
				return err
			}
			l := e.Layout()
			changed, err := shims.Reshim(l, exe)
			if err != nil {
				return fmt.Errorf("reshim %s: %w", l.Shims, err)
			}
			if c.Bool("quiet") {
				return nil
			}
			if len(changed) == 0 {
				fmt.Fprintf(e.Stderr, "shims in %s are up to date\n", l.Shims)
			} else {
				fmt.Fprintf(e.Stderr, "updated shims in %s: %s\n", l.Shims, strings.Join(changed, ", "))
			}
			return nil
		},
	}
}
