package selection

import (
	"errors"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
)

var (
	errEmpty       = errors.New("holds no version")
	errNoVersion   = errors.New("names no version")
	errSystemFirst = errors.New("system ends the list: words after it are never tried")
)

// lines splits a pin file into trimmed lines, dropping a UTF-8 byte order
// mark, carriage returns and # comments (whole-line or after a blank).
// Blank lines are kept as "" so line numbers stay right.
func lines(data []byte) []string {
	s := strings.TrimPrefix(string(data), "\uFEFF")
	out := strings.Split(s, "\n")
	for i, l := range out {
		if c := strings.IndexByte(l, '#'); c == 0 || c > 0 && (l[c-1] == ' ' || l[c-1] == '\t') {
			l = l[:c]
		}
		out[i] = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
	}
	return out
}

// A pinWord is one word of a pin file and the line it is on.
type pinWord struct {
	text string
	line int
}

// parseGoVersion reads a .go-version or the global file: one version word
// a line. Further lines are fallbacks, as goenv reads them: the first
// installed one wins. A line is one word even with blanks in it, so a range
// such as ">=1.22 <1.24" fits on one.
func parseGoVersion(kind Kind, file string, data []byte) (Selection, error) {
	var words []pinWord
	for i, l := range lines(data) {
		if l != "" {
			words = append(words, pinWord{l, i + 1})
		}
	}
	if len(words) == 0 {
		return Selection{}, &PinError{File: file, Err: errEmpty}
	}
	return parsePinWords(kind, file, words)
}

// parseWords reads words given without line numbers (GOVER_VERSION).
func parseWords(kind Kind, origin string, line int, words []string) (Selection, error) {
	pw := make([]pinWord, len(words))
	for i, w := range words {
		pw[i] = pinWord{w, line}
	}
	return parsePinWords(kind, origin, pw)
}

// parsePinWords reads the words of one pin, in order: the first is the
// request, the rest its fallbacks. "system" first means the go on PATH;
// "system" later ends the list (asdf's "golang 1.22.5 system").
func parsePinWords(kind Kind, origin string, words []pinWord) (Selection, error) {
	s := Selection{Kind: kind, Origin: origin}
	for i, pw := range words {
		if pw.text == "system" {
			if i == 0 {
				s.System = true
			} else {
				s.ElseSystem = true
			}
			if i+1 < len(words) {
				next := words[i+1]
				return Selection{}, &PinError{File: origin, Line: next.line, Content: next.text, Err: errSystemFirst,
					Fix: "remove what follows system, or move system last"}
			}
			break
		}
		w, err := goversion.Parse(pw.text)
		if err != nil {
			reason := ""
			var pe *goversion.ParseError
			if errors.As(err, &pe) {
				reason = pe.Reason
			}
			return Selection{}, &PinError{File: origin, Line: pw.line, Content: pw.text, Err: invalidWord(reason)}
		}
		if i == 0 {
			s.Word = w
		} else {
			s.Fallbacks = append(s.Fallbacks, w)
		}
	}
	return s, nil
}

// invalidWord says why a word is not a version; it matches
// goversion.ErrInvalid.
type invalidWord string

func (r invalidWord) Error() string {
	if r == "" {
		return goversion.ErrInvalid.Error()
	}
	return goversion.ErrInvalid.Error() + ": " + string(r)
}

func (r invalidWord) Unwrap() error { return goversion.ErrInvalid }

// parseToolVersions reads asdf's .tool-versions: "golang 1.22.5" (or "go",
// as mise writes it). Further versions on the line are asdf's fallbacks:
// the first installed one wins.
func parseToolVersions(kind Kind, file string, data []byte) (Selection, error) {
	for i, l := range lines(data) {
		f := strings.Fields(l)
		if len(f) == 0 || f[0] != "golang" && f[0] != "go" {
			continue
		}
		if len(f) == 1 {
			return Selection{}, &PinError{File: file, Line: i + 1, Content: l, Err: errNoVersion}
		}
		var words []pinWord
		for _, w := range f[1:] {
			if strings.HasPrefix(w, "ref:") || strings.HasPrefix(w, "path:") {
				return Selection{}, &PinError{File: file, Line: i + 1, Content: w,
					Err: errors.New("asdf ref: and path: versions are not supported")}
			}
			words = append(words, pinWord{w, i + 1})
		}
		return parsePinWords(kind, file, words)
	}
	return Selection{}, nil
}
