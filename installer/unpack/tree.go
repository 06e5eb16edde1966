package unpack

import (
	"strings"
)

type kind uint8

const (
	kindDir kind = iota + 1
	kindFile
	kindLink
)

type node struct {
	kind     kind
	explicit bool // named by an entry, not only implied by one below it
}

// A tree records every path an archive names, before anything is written, and decides
// whether the next entry may be written: it is the pure half of the unpackers.
type tree struct {
	prefix  string            // for messages
	nodes   map[string]node   // by path inside the tree; "" is the root
	folded  map[string]string // fold(path) → path, to catch case collisions
	targets map[string]string // link path → target
	links   []string          // link paths, in archive order
	mkdirs  []string          // scratch for add's result
}

func newTree(prefix string) *tree {
	return &tree{
		prefix:  prefix,
		nodes:   map[string]node{"": {kind: kindDir, explicit: true}},
		folded:  map[string]string{"": ""},
		targets: map[string]string{},
	}
}

// add records an entry and returns the folders to create before it, parents first
// (the result is reused by the next call). A link's target is checked by checkLinks,
// once every link is known.
func (t *tree) add(rel string, k kind) ([]string, error) {
	t.mkdirs = t.mkdirs[:0]
	for i := 0; i < len(rel); i++ {
		if rel[i] != '/' {
			continue
		}
		parent := rel[:i]
		if n, ok := t.nodes[parent]; ok {
			switch n.kind {
			case kindLink:
				return nil, unsafePath("passes through the symbolic link %s%s", t.prefix, parent)
			case kindFile:
				return nil, unsafePath("sits inside the file %s%s", t.prefix, parent)
			}
			continue
		}
		if err := t.claim(parent); err != nil {
			return nil, err
		}
		t.nodes[parent] = node{kind: kindDir}
		t.mkdirs = append(t.mkdirs, parent)
	}
	if n, ok := t.nodes[rel]; ok {
		if k == kindDir && n.kind == kindDir && !n.explicit {
			t.nodes[rel] = node{kind: kindDir, explicit: true}
			return t.mkdirs, nil
		}
		return nil, unsafePath("duplicates an earlier entry")
	}
	if err := t.claim(rel); err != nil {
		return nil, err
	}
	t.nodes[rel] = node{kind: k, explicit: true}
	switch k {
	case kindDir:
		t.mkdirs = append(t.mkdirs, rel)
	case kindLink:
		t.links = append(t.links, rel)
	}
	return t.mkdirs, nil
}

func (t *tree) claim(rel string) error {
	f := fold(rel)
	if other, ok := t.folded[f]; ok {
		return unsafePath("collides with %s%s on case-insensitive file systems", t.prefix, other)
	}
	t.folded[f] = rel
	return nil
}

func (t *tree) setTarget(rel, target string) { t.targets[rel] = target }

// checkLinks refuses a link that, followed through the archive's other links, resolves
// outside the tree. Reading each target alone is not enough: with "a/b -> .." a target
// "a/b/../.." stays inside on paper but climbs out through b.
func (t *tree) checkLinks() (link string, err error) {
	for _, rel := range t.links {
		hops := 0
		dir := strings.Split(rel, "/")
		if _, err := t.resolve(dir[:len(dir)-1], t.targets[rel], false, &hops); err != nil {
			return rel, err
		}
	}
	return "", nil
}

// resolve walks target from the folder dir as the kernel would, substituting the links it
// passes through, and returns where it ends. The last element is followed too when
// followLast is set, as it must be when the walk continues past it.
func (t *tree) resolve(dir []string, target string, followLast bool, hops *int) ([]string, error) {
	cur := append([]string(nil), dir...)
	elems := strings.Split(target, "/")
	for i, elem := range elems {
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return nil, unsafePath("symbolic link resolves outside the tree")
			}
			cur = cur[:len(cur)-1]
			continue
		}
		cur = append(cur, elem)
		if i == len(elems)-1 && !followLast {
			break // a link there is checked on its own
		}
		p := t.canonical(strings.Join(cur, "/"))
		if t.nodes[p].kind != kindLink {
			continue
		}
		if *hops++; *hops > maxLinkHops {
			return nil, unsafePath("symbolic links nest more than %d deep", maxLinkHops)
		}
		next, err := t.resolve(cur[:len(cur)-1], t.targets[p], true, hops)
		if err != nil {
			return nil, err
		}
		cur = next
	}
	return cur, nil
}

// canonical returns the recorded spelling of rel, so that link resolution matches
// names the way a case-insensitive file system would.
func (t *tree) canonical(rel string) string {
	if p, ok := t.folded[fold(rel)]; ok {
		return p
	}
	return rel
}
