package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunServesAndPrintsEnv(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"-dir", dir}, pw, io.Discard)
		pw.Close()
	}()

	env := map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() && strings.HasPrefix(sc.Text(), "export ") {
		k, v, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		env[k] = strings.Trim(v, "'")
	}
	go io.Copy(io.Discard, pr)

	if env["GOVER_KEYRING"] != filepath.Join(dir, "testdist-signing-key.asc") {
		t.Errorf("GOVER_KEYRING = %q, want a file in -dir", env["GOVER_KEYRING"])
	}
	if _, err := os.Stat(env["GOVER_KEYRING"]); err != nil {
		t.Error(err)
	}
	res, err := http.Get(env["GOVER_INDEX_URL"])
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("index: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestRunBadFlag(t *testing.T) {
	if code := run(context.Background(), []string{"-nope"}, io.Discard, io.Discard); code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
}
