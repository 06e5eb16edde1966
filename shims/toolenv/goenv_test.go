package toolenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A GOTOOLCHAIN the user wrote with 'go env -w' is the user's choice as
// much as one in the environment: the toolchain runs without
// GOTOOLCHAIN=local, and the go command reads the file itself.
func TestEnvGoEnvFile(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	config := filepath.Join(home, ".config")
	homeVar := "HOME"
	switch runtime.GOOS {
	case "windows":
		homeVar, config = "AppData", home
	case "darwin":
		config = filepath.Join(home, "Library", "Application Support")
	}
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	userFile := filepath.Join(config, "go", "env")
	other := filepath.Join(dir, "other-env")
	write(other, "GOTOOLCHAIN=path\n")
	goroot := filepath.Join(dir, "go1.22.5")
	for _, tt := range []struct {
		name    string
		file    string // the user's go env file
		environ []string
		want    string // GOTOOLCHAIN as the toolchain gets it; "-" for unset
	}{
		{"no go env file", "", nil, "local"},
		{"go env -w GOTOOLCHAIN=auto", "GOPROXY=direct\nGOTOOLCHAIN=auto\n", nil, "-"},
		{"the last line wins", "GOTOOLCHAIN=auto\nGOTOOLCHAIN=\n", nil, "local"},
		{"an empty value is unset", "GOTOOLCHAIN=\n", nil, "local"},
		{"not a line cmd/go reads", " GOTOOLCHAIN=auto\n#GOTOOLCHAIN=auto\ngotoolchain=auto\n", nil, "local"},
		{"the environment's wins", "GOTOOLCHAIN=auto\n", []string{"GOTOOLCHAIN=go1.22.5+auto"}, "go1.22.5+auto"},
		{"GOENV=off", "GOTOOLCHAIN=auto\n", []string{"GOENV=off"}, "local"},
		{"GOENV names another file", "", []string{"GOENV=" + other}, "-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.RemoveAll(home)
			if tt.file != "" {
				write(userFile, tt.file)
			}
			environ := append([]string{homeVar + "=" + home, "USERPROFILE=" + home}, tt.environ...)
			got := "-"
			for _, kv := range Env(environ, goroot) {
				if HasKey(kv, "GOTOOLCHAIN") {
					got = kv[len("GOTOOLCHAIN="):]
				}
			}
			if got != tt.want {
				t.Errorf("GOTOOLCHAIN = %q, want %q (environ %q)", got, tt.want, environ)
			}
		})
	}
}
