package unpack

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

type add struct {
	rel    string
	k      kind
	target string
}

func TestTreeAdd(t *testing.T) {
	tests := []struct {
		name   string
		adds   []add
		mkdirs [][]string // per add, when all succeed
		err    string     // the last add's refusal
	}{
		{
			name:   "parents created once, top-down",
			adds:   []add{{"a/b/c", kindFile, ""}, {"a/b/d", kindFile, ""}, {"a/e", kindDir, ""}, {"x", kindFile, ""}},
			mkdirs: [][]string{{"a", "a/b"}, nil, {"a/e"}, nil},
		},
		{
			name:   "folder entry after its contents",
			adds:   []add{{"a/b", kindFile, ""}, {"a", kindDir, ""}},
			mkdirs: [][]string{{"a"}, nil},
		},
		{name: "duplicate file", adds: []add{{"a", kindFile, ""}, {"a", kindFile, ""}}, err: "duplicates an earlier entry"},
		{name: "duplicate folder", adds: []add{{"a", kindDir, ""}, {"a", kindDir, ""}}, err: "duplicates an earlier entry"},
		{name: "file over folder", adds: []add{{"a/b", kindFile, ""}, {"a", kindFile, ""}}, err: "duplicates an earlier entry"},
		{name: "link over folder", adds: []add{{"a/b", kindFile, ""}, {"a", kindLink, "x"}}, err: "duplicates an earlier entry"},
		{name: "inside a file", adds: []add{{"a", kindFile, ""}, {"a/b", kindFile, ""}}, err: "sits inside the file go/a"},
		{name: "through a link", adds: []add{{"l", kindLink, "sub"}, {"l/evil", kindFile, ""}}, err: "passes through the symbolic link go/l"},
		{name: "through a deep link", adds: []add{{"a/l", kindLink, "."}, {"a/l/b/c", kindDir, ""}}, err: "passes through the symbolic link go/a/l"},
		{name: "case collision", adds: []add{{"README", kindFile, ""}, {"readme", kindFile, ""}}, err: "collides with go/README"},
		{name: "folder case collision", adds: []add{{"Src/a", kindFile, ""}, {"src/b", kindFile, ""}}, err: "collides with go/Src"},
		{name: "through a link, other case", adds: []add{{"l", kindLink, "sub"}, {"L/evil", kindFile, ""}}, err: "collides with go/l"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTree("go/")
			for i, a := range tt.adds {
				mkdirs, err := tr.add(a.rel, a.k)
				if err != nil {
					if i != len(tt.adds)-1 || tt.err == "" {
						t.Fatalf("add(%q) = %v", a.rel, err)
					}
					if !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrUnsafePath) {
						t.Fatalf("add(%q) = %v, want an unsafe-path error saying %q", a.rel, err, tt.err)
					}
					return
				}
				if tt.mkdirs != nil && !slices.Equal(mkdirs, tt.mkdirs[i]) {
					t.Errorf("add(%q) mkdirs = %q, want %q", a.rel, mkdirs, tt.mkdirs[i])
				}
			}
			if tt.err != "" {
				t.Fatalf("all adds succeeded, want %q", tt.err)
			}
		})
	}
}

func TestTreeCheckLinks(t *testing.T) {
	tests := []struct {
		name string
		adds []add
		bad  string // the link refused, "" for none
	}{
		{name: "plain", adds: []add{{"src/a/x", kindFile, ""}, {"lib/l", kindLink, "../src/a"}}},
		{name: "chain inside", adds: []add{{"a/b", kindLink, ".."}, {"c", kindLink, "a/b/a"}}},
		{name: "link to a link, last element", adds: []add{{"a/b", kindLink, ".."}, {"c", kindLink, "a/b"}}},
		{name: "dangling inside", adds: []add{{"l", kindLink, "nowhere/at/all"}}},
		{name: "chain climbs out", adds: []add{{"a/b", kindLink, ".."}, {"c", kindLink, "a/b/../.."}}, bad: "c"},
		{name: "chain climbs out, link first", adds: []add{{"c", kindLink, "a/b/../.."}, {"a/b", kindLink, ".."}}, bad: "c"},
		{name: "two-step chain", adds: []add{{"x/y/up", kindLink, "../.."}, {"m/n", kindLink, "../x/y/up"}, {"out", kindLink, "m/n/x/../.."}}, bad: "out"},
		{name: "case-insensitive chain", adds: []add{{"x/L", kindLink, ".."}, {"y", kindLink, "x/l/.."}}, bad: "y"},
		{name: "loop", adds: []add{{"a", kindLink, "b/x"}, {"b", kindLink, "a/x"}}, bad: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTree("go/")
			for _, a := range tt.adds {
				if _, err := tr.add(a.rel, a.k); err != nil {
					t.Fatalf("add(%q) = %v", a.rel, err)
				}
				if a.k == kindLink {
					if err := checkTarget(a.rel, a.target); err != nil {
						t.Fatalf("checkTarget(%q, %q) = %v; the case must pass the lexical check", a.rel, a.target, err)
					}
					tr.setTarget(a.rel, a.target)
				}
			}
			bad, err := tr.checkLinks()
			if tt.bad == "" {
				if err != nil {
					t.Errorf("checkLinks refused %s: %v", bad, err)
				}
				return
			}
			if err == nil || bad != tt.bad || !errors.Is(err, ErrUnsafePath) {
				t.Errorf("checkLinks() = %q, %v; want %q refused as unsafe", bad, err, tt.bad)
			}
		})
	}
}

func TestDispatcher(t *testing.T) {
	d := dispatcher{writers: 3}
	var got []int
	for _, rel := range []string{"a/1", "a/2", "b/1", "c/1", "c/2", "d/x/1", "top", "top2", "a/3"} {
		got = append(got, d.pick(rel))
	}
	if want := []int{1, 1, 2, 0, 0, 1, 2, 2, 0}; !slices.Equal(got, want) {
		t.Errorf("picks %v, want %v", got, want)
	}

	d = dispatcher{writers: 2}
	counts := map[int]int{}
	for i := range 4 * runOf {
		counts[d.pick(fmt.Sprintf("fixedbugs/issue%d.go", i))]++
	}
	if counts[0] != 2*runOf || counts[1] != 2*runOf {
		t.Errorf("a big folder's files went %v, want shared evenly", counts)
	}
}
