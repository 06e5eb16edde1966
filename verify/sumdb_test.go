package verify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/lockfile"
)

// TestSumDBWriteConfigHonoursContext: saving the signed tree head waits
// for another gover's lock only as long as the caller's context lasts (a
// Ctrl-C must not hang behind a stuck process).
func TestSumDBWriteConfigHonoursContext(t *testing.T) {
	dir := t.TempDir()
	ops := &sumdbOps{db: &ChecksumDB{Dir: dir}}
	unlock, err := lockfile.Lock(context.Background(), ops.configFile("sum.golang.org/latest")+".lock", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(context.Background())
	ops.ctx = ctx
	done := make(chan error, 1)
	go func() { done <- ops.WriteConfig("sum.golang.org/latest", nil, []byte("tree")) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("WriteConfig after the context ended: %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WriteConfig still waits for the lock after its context ended")
	}
}
