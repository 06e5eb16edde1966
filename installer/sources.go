package installer

import (
	"context"
	"errors"
	"strings"

	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/verify"
)

// Sources are where toolchains come from, in the order they are tried. A
// later source is asked only when the ones before it cannot be reached: an
// answer ("no such version") or a failed proof ends the search. Each move
// to the next source is said once, naming both. Installs, list-remote and
// gover ci all go through here, so they fall through alike.
type Sources []Source

// try runs f with each source in turn until one can be reached, saying
// (when say is not nil) each time it moves on.
func (ss Sources) try(ctx context.Context, say func(string, ...any), f func(Source) error) error {
	if len(ss) == 0 {
		return errors.New("no source to install from")
	}
	for i, src := range ss {
		err := f(src)
		if err == nil || ctx.Err() != nil || i+1 == len(ss) {
			return err
		}
		switch {
		case lacks(src, err):
			if say != nil {
				say("%s: %v; using %s", Describe(src), err, describeNext(ss[i+1]))
			}
		case Unreachable(err):
			if say != nil {
				verb := "unreachable"
				if o, ok := src.(*Official); ok && o.Partial {
					verb = "cannot be used" // a folder is there; what it lacks is the point
				}
				say("%s %s (%s); using %s", Describe(src), verb, ShortCause(err), describeNext(ss[i+1]))
			}
		default:
			return err
		}
	}
	panic("unreachable")
}

// Releases lists what the first source that can be reached offers for p,
// newest first.
func (ss Sources) Releases(ctx context.Context, p Platform, say func(string, ...any)) ([]Release, error) {
	var releases []Release
	err := ss.try(ctx, say, func(src Source) error {
		var err error
		releases, err = src.Releases(ctx, p)
		return err
	})
	return releases, err
}

// Resolve turns a word into a release name: an exact word as it is, any
// other with the list of the first source that can be reached.
func (ss Sources) Resolve(ctx context.Context, word goversion.Word, p Platform, say func(string, ...any)) (string, error) {
	if word.Kind == goversion.Exact {
		return word.Version, nil
	}
	var version string
	err := ss.try(ctx, say, func(src Source) error {
		releases, err := src.Releases(ctx, p)
		if err != nil {
			return err
		}
		v, ok := Resolve(word, releases)
		if !ok {
			return noMatch(word, p, src, releases)
		}
		version = v
		return nil
	})
	return version, err
}

// Unreachable reports whether err means a source could not be reached (so
// the next one may be tried); a failed verification never is.
func Unreachable(err error) bool {
	if errors.Is(err, verify.ErrFailed) {
		return false
	}
	return errIndexUnusable(err) || fetch.IsUnreachable(err)
}

// lacks reports whether err is a partial source's "not found": another
// source may well have what this one lacks.
func lacks(src Source, err error) bool {
	o, ok := src.(*Official)
	return ok && o.Partial && errors.Is(err, ErrNotFound)
}

// A describer says where a source's files come from, for people.
type describer interface {
	Describe() string
}

// Describe names a source for people: "official site", "mirror
// file:///srv/gomirror/", "module proxy https://proxy.golang.org".
func Describe(s Source) string {
	if d, ok := s.(describer); ok {
		return d.Describe()
	}
	switch s.Name() {
	case SourceOfficial:
		return "official site"
	case SourceMirror:
		return "mirror"
	}
	return "module proxy"
}

// describeNext names the source gover moves on to, with how it proves
// what it installs when that differs from the official site's proof.
func describeNext(s Source) string {
	if x, ok := s.(*Proxy); ok && (len(x.Proxies) == 0 || x.Proxies[0].Off) {
		return Describe(s)
	}
	if s.Name() == SourceProxy {
		return Describe(s) + ", verified by the checksum database"
	}
	return Describe(s)
}

// ShortCause is the innermost useful words of a network error.
func ShortCause(err error) string {
	var iu *IndexUnavailableError
	if errors.As(err, &iu) && len(iu.Errs) > 1 {
		return iu.Cause()
	}
	var ue *fetch.UnreachableError
	if errors.As(err, &ue) {
		return ue.Cause()
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		msg = msg[i+2:]
	}
	return msg
}
