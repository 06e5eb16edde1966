package installer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/verify"
)

// A Check is what CheckInstalled found about one installed tree: the one
// chain record → manifest → tree → record proof (→ checksum database)
// that 'gover verify', 'gover ci' and doctor's install-integrity render
// each in their own words.
type Check struct {
	Installed Installed
	// Record is nil when there is no usable install record.
	Record *Record
	// Report is nil when the tree could not be checked.
	Report *verify.TreeReport
	// Problem is what is wrong beyond the report's differences, and
	// Kind says which step found it; both are zero when nothing is.
	Problem error
	Kind    CheckProblem
	// Vouched is the checksum database's proof, asked again.
	Vouched *verify.Proof
	// Unasked is why the checksum database could not be asked (not a
	// verification failure: it could not be reached).
	Unasked error
	// NoModule is set when the database cannot vouch for the record at
	// all: a release before Go 1.21 has no golang.org/toolchain module.
	NoModule error
}

// A CheckProblem says which step of CheckInstalled found a problem.
type CheckProblem int

const (
	CheckFine       CheckProblem = iota
	CheckUntrusted               // the entry is someone else's or writable by others
	CheckNoRecord                // no install record, or one that cannot be read
	CheckNoFiles                 // the record's manifest lists no files
	CheckUnreadable              // the tree cannot be read at all
	CheckProof                   // the record no longer matches the proof made at install
	CheckIdentity                // the record or tree is another release or platform than the folder's name
	CheckVouch                   // the checksum database does not vouch for the record
)

// OK reports whether the tree is exactly as installed and its record as proven.
func (c *Check) OK() bool {
	return c.Problem == nil && c.Report != nil && c.Report.OK()
}

// CheckOptions say how CheckInstalled checks.
type CheckOptions struct {
	// Tree checks the tree against the manifest; nil means verify.Tree.
	Tree func(ctx context.Context, dir string, m manifest.Manifest) (*verify.TreeReport, error)
	// Vouch, if set, asks the checksum database about a record whose
	// tree matches it (Proxy.Vouch).
	Vouch func(ctx context.Context, rec *Record) (verify.Proof, error)
	// Host is this machine's platform: a folder named by a version alone
	// holds a tree for it. The zero Platform leaves that unchecked.
	Host Platform
}

// CheckInstalled checks the installed tree in against the record at
// record. The error is only for a cancelled context; everything found
// wrong is in the Check.
func CheckInstalled(ctx context.Context, in Installed, record string, opt CheckOptions) (*Check, error) {
	c := &Check{Installed: in}
	if in.Untrusted != nil {
		c.Problem, c.Kind = in.Untrusted, CheckUntrusted
		return c, nil
	}
	rec, err := ReadRecord(record)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return c, err
		}
		c.Problem, c.Kind = err, CheckNoRecord
		return c, nil
	}
	c.Record = rec
	if len(rec.Manifest.Files) == 0 {
		c.Problem, c.Kind = errNoFiles, CheckNoFiles
		return c, nil
	}
	tree := opt.Tree
	if tree == nil {
		tree = verify.Tree
	}
	r, err := tree(ctx, in.Dir, rec.Manifest)
	if err != nil {
		if ctx.Err() != nil {
			return c, ctx.Err()
		}
		c.Problem, c.Kind = err, CheckUnreadable
		return c, nil
	}
	c.Report = r
	if err := CheckRecordProof(rec); err != nil {
		c.Problem, c.Kind = err, CheckProof
		return c, nil
	}
	if !r.OK() {
		return c, nil
	}
	if err := checkNamed(in, rec, opt.Host); err != nil {
		c.Problem, c.Kind = err, CheckIdentity
		return c, nil
	}
	if opt.Vouch == nil {
		return c, nil
	}
	p, err := opt.Vouch(ctx, rec)
	switch {
	case errors.Is(err, ErrNotModule):
		c.NoModule = err
	case errors.Is(err, verify.ErrFailed):
		c.Problem, c.Kind = err, CheckVouch
	case err != nil:
		if ctx.Err() != nil {
			return c, ctx.Err()
		}
		c.Unasked = err
	default:
		c.Vouched = &p
	}
	return c, nil
}

var errNoFiles = errors.New("its install record lists no files")

// checkNamed binds a tree to the name of its folder, whatever its record
// says: the checksum database vouches for the release and platform the
// record names, so a genuine go1.22.4 tree and record renamed to
// versions/go1.22.5 (a poisoned CI cache) would otherwise pass as
// go1.22.5. The record must name the folder's release and platform, and
// the tree's VERSION file (which the manifest covers) its release.
func checkNamed(in Installed, rec *Record, host Platform) error {
	version, foreign, ok := paths.ParseToolchainName(in.Name)
	if !ok {
		return fmt.Errorf("%s is not a toolchain folder's name (go1.22.5, or go1.22.5.windows-amd64 for another platform)", in.Name)
	}
	plat := Platform{OS: rec.OS, Arch: rec.Arch}
	switch {
	case rec.Version != version:
		return fmt.Errorf("its install record is for %s, not %s: a tree renamed into %s (%w)", rec.Version, version, in.Name, verify.ErrFailed)
	case foreign != "" && (Request{Platform: plat}).Name(version) != in.Name: // the one naming rule
		return fmt.Errorf("its install record is for %s, not %s (%w)", plat, strings.Replace(foreign, "-", "/", 1), verify.ErrFailed)
	case foreign == "" && host != (Platform{}) && plat != host:
		return fmt.Errorf("its install record is for %s, but a folder named %s holds this machine's %s (%w)", plat, in.Name, host, verify.ErrFailed)
	}
	tv, err := verify.TreeVersion(in.Dir)
	if err != nil {
		return fmt.Errorf("%s: %v (%w)", in.Name, err, verify.ErrFailed)
	}
	if tv != version {
		return fmt.Errorf("its VERSION says %s, not %s (%w)", tv, version, verify.ErrFailed)
	}
	return nil
}
