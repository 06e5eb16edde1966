package cli

import (
	"errors"
	"reflect"
	"testing"

	"github.com/goverdev/gover/installer"
)

func TestVerifyTargets(t *testing.T) {
	installed := []installer.Installed{
		{Name: "go1.22.5", Version: "go1.22.5"},
		{Name: "go1.22.4", Version: "go1.22.4"},
		{Name: "go1.21.13", Version: "go1.21.13"},
		{Name: "go1.23rc1", Version: "go1.23rc1"},
		{Name: "go1.22.5.windows-amd64", Version: "go1.22.5", Foreign: "windows-amd64"},
	}
	tests := []struct {
		args []string
		want []string // names, or nil with code
		code int
	}{
		{args: nil, want: []string{"go1.22.5", "go1.22.4", "go1.21.13", "go1.23rc1", "go1.22.5.windows-amd64"}},
		{args: []string{"1.22.5"}, want: []string{"go1.22.5"}},
		{args: []string{"go1.22.5", "1.22.5"}, want: []string{"go1.22.5"}},
		{args: []string{"1.22"}, want: []string{"go1.22.5", "go1.22.4"}},
		{args: []string{"latest"}, want: []string{"go1.22.5"}},
		{args: []string{"1.23rc1", "1.21.13"}, want: []string{"go1.23rc1", "go1.21.13"}},
		{args: []string{"go1.22.5.windows-amd64"}, want: []string{"go1.22.5.windows-amd64"}},
		{args: []string{"1.22.5", "1.20"}, code: ExitNotFound},
		{args: []string{"1.20.x"}, code: ExitNotFound},
		{args: []string{"banana"}, code: ExitUsage},
	}
	for _, tt := range tests {
		got, err := verifyTargets(installed, tt.args)
		if tt.code != 0 {
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != tt.code {
				t.Errorf("%q: err = %v, want exit code %d", tt.args, err, tt.code)
			}
			continue
		}
		var names []string
		for _, in := range got {
			names = append(names, in.Name)
		}
		if err != nil || !reflect.DeepEqual(names, tt.want) {
			t.Errorf("%q: %q, %v; want %q", tt.args, names, err, tt.want)
		}
	}
}

func TestReinstallCommands(t *testing.T) {
	targets := []installer.Installed{
		{Name: "go1.22.5", Version: "go1.22.5"},
		{Name: "go1.21.13", Version: "go1.21.13"},
		{Name: "go1.22.5.windows-amd64", Version: "go1.22.5", Foreign: "windows-amd64"},
	}
	got := reinstallCommands(targets, []string{"go1.22.5.windows-amd64", "go1.22.5", "go1.21.13"})
	want := "'gover install --force 1.22.5 1.21.13' and 'gover install --force --os windows --arch amd64 1.22.5'"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestReleaseKeyURL(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{nil, "https://dl.google.com/linux/linux_signing_key.pub"},
		{map[string]string{"GOVER_DOWNLOAD_URL": "http://127.0.0.1:8080/dl/"}, "http://127.0.0.1:8080/dl/linux_signing_key.pub"},
		{map[string]string{"GOVER_DOWNLOAD_URL": "http://127.0.0.1:8080/dl"}, "http://127.0.0.1:8080/dl/linux_signing_key.pub"},
		{map[string]string{"GOVER_DOWNLOAD_URL": "http://x/dl", "GOVER_KEY_URL": "https://keys.example/go.asc"}, "https://keys.example/go.asc"},
	}
	for _, tt := range tests {
		if got := releaseKeyURL(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.env, got, tt.want)
		}
	}
}
