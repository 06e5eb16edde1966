package knownpins

import (
	"reflect"
	"testing"
)

func TestMakePlan(t *testing.T) {
	installed := []string{"go1.23.0", "go1.22.5", "go1.22.4", "go1.21.13"}
	pins := []Pin{
		{Version: "go1.22.5", Origin: "set by /p/.go-version"},
		{Version: "go1.22.5", Origin: "set by /p/.go-version"},
		{Version: "go1.21.13", Origin: "set by /r/version"},
		{Version: "", Origin: "set by /q/.go-version"}, // selects nothing installed
	}
	for _, tt := range []struct {
		name   string
		keep   int
		force  bool
		remove []string
		kept   []Kept
	}{
		{"pins protect", 0, false, []string{"go1.23.0", "go1.22.4"},
			[]Kept{{"go1.22.5", "set by /p/.go-version"}, {"go1.21.13", "set by /r/version"}}},
		{"keep newest too", 1, false, []string{"go1.22.4"},
			[]Kept{{"go1.23.0", "one of the 1 newest"}, {"go1.22.5", "set by /p/.go-version"}, {"go1.21.13", "set by /r/version"}}},
		{"force ignores pins", 2, true, []string{"go1.22.4", "go1.21.13"},
			[]Kept{{"go1.23.0", "one of the 2 newest"}, {"go1.22.5", "one of the 2 newest"}}},
		{"force removes all", 0, true, installed, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := MakePlan(installed, pins, tt.keep, tt.force)
			if !reflect.DeepEqual(p.Remove, tt.remove) || !reflect.DeepEqual(p.Keep, tt.kept) {
				t.Errorf("MakePlan = remove %v keep %v; want remove %v keep %v", p.Remove, p.Keep, tt.remove, tt.kept)
			}
		})
	}
}
