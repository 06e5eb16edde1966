package doctor

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/goverdev/gover/internal/goversion"
)

// The vendor-consistency check is cmd/go's own rule
// (cmd/go/internal/modload: setDefaultBuildMod says when vendor/ is used,
// readVendorList reads vendor/modules.txt, checkVendorConsistency
// compares it with go.mod), for a single module; a workspace's vendor
// folder is left to the go command.

// vendorList is vendor/modules.txt as readVendorList reads it.
type vendorList struct {
	// Version is the version of each module path that provides packages.
	Version map[string]string
	// List are the modules that provide packages, in order.
	List []module.Version
	// Explicit and Replacement are the "## explicit" annotations and the
	// "=>" replacements, by module.
	Explicit    map[module.Version]bool
	Replacement map[module.Version]module.Version
	// Replaced are the modules marked replaced, in order.
	Replaced  []module.Version
	Workspace bool
}

func readVendorList(data string) vendorList {
	v := vendorList{Version: map[string]string{}, Explicit: map[module.Version]bool{}, Replacement: map[module.Version]module.Version{}}
	var mod module.Version
	for _, line := range strings.Split(data, "\n") {
		if line == "## workspace" {
			v.Workspace = true
		}
		if strings.HasPrefix(line, "# ") {
			f := strings.Fields(line)
			if len(f) < 3 {
				continue
			}
			switch {
			case semver.IsValid(f[2]):
				mod = module.Version{Path: f[1], Version: f[2]}
				f = f[3:]
			case f[2] == "=>":
				mod = module.Version{Path: f[1]}
				f = f[2:]
			default:
				mod = module.Version{}
				continue
			}
			if len(f) >= 2 && f[0] == "=>" {
				switch {
				case len(f) == 2:
					v.Replacement[mod] = module.Version{Path: f[1]}
					v.Replaced = append(v.Replaced, mod)
				case len(f) == 3 && semver.IsValid(f[2]):
					v.Replacement[mod] = module.Version{Path: f[1], Version: f[2]}
					v.Replaced = append(v.Replaced, mod)
				}
			}
			continue
		}
		if mod.Path == "" {
			continue
		}
		if annotations, ok := strings.CutPrefix(line, "## "); ok {
			for _, entry := range strings.Split(annotations, ";") {
				if strings.TrimSpace(entry) == "explicit" {
					v.Explicit[mod] = true
				}
			}
			continue
		}
		if f := strings.Fields(line); len(f) == 1 && module.CheckImportPath(f[0]) == nil {
			if have, ok := v.Version[mod.Path]; !ok || semver.Compare(have, mod.Version) < 0 {
				v.List = append(v.List, mod)
				v.Version[mod.Path] = mod.Version
			}
		}
	}
	return v
}

// vendorInconsistencies lists what checkVendorConsistency reports for a
// single module's go.mod, in its words; pre114 relaxes the rules as it does
// for a go line older than 1.14.
func vendorInconsistencies(mf *modfile.File, v vendorList, pre114 bool) []string {
	var errs []string
	errorf := func(m module.Version, format string, args ...any) {
		name := m.Path
		if m.Version != "" {
			name += "@" + m.Version
		}
		errs = append(errs, name+": "+fmt.Sprintf(format, args...))
	}
	required := map[module.Version]bool{}
	for _, r := range mf.Require {
		required[r.Mod] = true
		if v.Explicit[r.Mod] {
			continue
		}
		if !pre114 {
			errorf(r.Mod, "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt")
		} else if vv, ok := v.Version[r.Mod.Path]; ok && vv != r.Mod.Version {
			errorf(r.Mod, "is explicitly required in go.mod, but vendor/modules.txt indicates %s@%s", r.Mod.Path, vv)
		}
	}
	replace := map[module.Version]module.Version{}
	for _, r := range mf.Replace {
		replace[r.Old] = r.New
	}
	replacement := func(m module.Version) (module.Version, bool) {
		if r, ok := replace[m]; ok {
			return r, true
		}
		r, ok := replace[module.Version{Path: m.Path}]
		return r, ok
	}
	describe := func(m module.Version) string {
		if m.Version == "" {
			return m.Path
		}
		return m.Path + "@" + m.Version
	}
	seen := map[module.Version]bool{}
	for _, r := range mf.Replace {
		if seen[r.Old] {
			continue
		}
		seen[r.Old] = true
		rNew, _ := replacement(r.Old)
		vr, marked := v.Replacement[r.Old]
		switch {
		case !marked && pre114 && (r.Old.Version == "" || v.Version[r.Old.Path] != r.Old.Version):
		case !marked:
			errorf(r.Old, "is replaced in go.mod, but not marked as replaced in vendor/modules.txt")
		case vr != rNew:
			errorf(r.Old, "is replaced by %s in go.mod, but marked as replaced by %s in vendor/modules.txt", describe(rNew), describe(vr))
		}
	}
	for _, m := range v.List {
		if v.Explicit[m] && !required[m] {
			errorf(m, "is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod")
		}
	}
	for _, m := range v.Replaced {
		if _, ok := replacement(m); !ok {
			errorf(m, "is marked as replaced in vendor/modules.txt, but not replaced in go.mod")
		}
	}
	return errs
}

// buildModFlag is -mod as GOFLAGS sets it; "" when it does not.
func buildModFlag(goflags string) string {
	mode := ""
	for _, f := range strings.Fields(goflags) {
		if v, ok := strings.CutPrefix(strings.TrimPrefix(f, "-"), "-mod="); ok {
			mode = v
		} else if v, ok := strings.CutPrefix(f, "-mod="); ok {
			mode = v
		}
	}
	return mode
}

// vendorUse is whether go builds from vendor/ in the module at root, and
// why (or why not), as setDefaultBuildMod decides for a single module.
type vendorUse struct {
	On             bool
	Why            string
	Vendor, GoLine string
	List           vendorList
}

func (s *state) vendorUse(ctx context.Context, root string, mf *modfile.File) vendorUse {
	u := vendorUse{Vendor: filepath.Join(root, "vendor")}
	if mf.Go != nil {
		u.GoLine = mf.Go.Version
	}
	txt, _ := readProjectFile(filepath.Join(u.Vendor, "modules.txt"))
	u.List = readVendorList(string(txt))
	goflags := s.setting(ctx, "GOFLAGS")
	switch mode := buildModFlag(goflags.Value); {
	case mode == "vendor":
		u.On, u.Why = true, fmt.Sprintf("GOFLAGS=%s (%s) says -mod=vendor", goflags.Value, fromWords(goflags.From))
	case mode != "" && isDir(u.Vendor):
		u.Why = fmt.Sprintf("GOFLAGS has -mod=%s: go does not build from %s", mode, u.Vendor)
	case !isDir(u.Vendor):
		u.Why = "no vendor folder"
	case u.GoLine == "" || goversion.Compare("go"+u.GoLine, "go1.14") < 0:
		u.Why = fmt.Sprintf("go.mod's go line is %s (before 1.14): go does not build from %s unless told to with -mod=vendor", firstNonEmpty(u.GoLine, "missing"), u.Vendor)
	case u.List.Workspace:
		u.Why = fmt.Sprintf("%s was made for a workspace: outside it, go does not build from it", u.Vendor)
	default:
		u.On, u.Why = true, fmt.Sprintf("go.mod says go %s (1.14 or later) and %s exists", u.GoLine, u.Vendor)
	}
	return u
}

// checkVendorConsistency: when go builds from vendor/ (GOFLAGS=-mod=vendor,
// or a go line of 1.14 or later with vendor/ present), vendor/modules.txt
// must agree with go.mod, or every build stops with "inconsistent
// vendoring".
func checkVendorConsistency(ctx context.Context, s *state) Result {
	root := findUp(s.env.Dir, "go.mod", isFile)
	if root == "" {
		return skipf("not in a Go module")
	}
	if work := findUp(s.env.Dir, "go.work", isFile); work != "" && s.setting(ctx, "GOWORK").Value != "off" {
		return skipf(fmt.Sprintf("in the workspace %s: its vendor folder is go's to check ('go work vendor')", filepath.Join(work, "go.work")))
	}
	gomod := filepath.Join(root, "go.mod")
	data, err := readGoMod(gomod)
	if err != nil {
		return skipf(fmt.Sprintf("cannot read %s: %v", gomod, err))
	}
	mf, err := modfile.Parse(gomod, data, nil)
	if err != nil {
		return skipf(fmt.Sprintf("cannot read %s (go says why when it builds): %s", gomod, modFileError(err)))
	}
	u := s.vendorUse(ctx, root, mf)
	if !u.On {
		return okf(u.Why)
	}
	why, vendor, goLine, list := u.Why, u.Vendor, u.GoLine, u.List
	if isDir(vendor) && !isFile(filepath.Join(vendor, "modules.txt")) {
		return skipf(fmt.Sprintf("%s has no modules.txt (see vendor-without-gomod)", vendor))
	}
	if !isDir(vendor) {
		if len(mf.Require) == 0 {
			return okf(why + "; go.mod requires nothing, so there is nothing to vendor")
		}
		return failf(fmt.Sprintf("go builds from vendor/ (%s), but %s does not exist: every build stops with 'inconsistent vendoring'", why, vendor),
			fmt.Sprintf("run 'go mod vendor' in %s, or take -mod=vendor out of GOFLAGS", root))
	}
	pre114 := goLine == "" || goversion.Compare("go"+goLine, "go1.14") < 0
	errs := vendorInconsistencies(mf, list, pre114)
	if len(errs) == 0 {
		return okf(fmt.Sprintf("go builds from vendor/ (%s), and vendor/modules.txt agrees with go.mod", why))
	}
	return failf(fmt.Sprintf("go builds from vendor/ (%s), but vendor/modules.txt is out of step with go.mod (%s): every build stops with 'inconsistent vendoring'", why, listSome(errs, 3)),
		fmt.Sprintf("run 'go mod vendor' in %s (or build with -mod=mod to ignore vendor/)", root))
}
