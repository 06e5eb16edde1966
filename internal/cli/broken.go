package cli

import (
	"context"

	"github.com/goverdev/gover/installer"
)

// brokenSource stands in for a source whose configuration is wrong, so the
// error shows only when that source is actually needed.
type brokenSource struct {
	name installer.SourceName
	err  error
}

func (b brokenSource) Name() installer.SourceName { return b.name }

func (b brokenSource) Releases(context.Context, installer.Platform) ([]installer.Release, error) {
	return nil, b.err
}

func (b brokenSource) Locate(context.Context, string, installer.Platform) (*installer.Artifact, error) {
	return nil, b.err
}
