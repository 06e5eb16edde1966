package lockfile

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestLockWaitsAndSays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locks", "go1.22.5.lock")
	unlock, err := Lock(context.Background(), path, func() { t.Error("said it waits for a free lock") })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := TryLock(path); ok {
		t.Fatal("TryLock took a held lock")
	}
	said := make(chan struct{})
	go func() {
		<-said
		unlock()
	}()
	unlock2, err := Lock(context.Background(), path, func() { close(said) })
	if err != nil {
		t.Fatalf("Lock after the holder let go: %v", err)
	}
	unlock2()
	if u, ok := TryLock(path); !ok {
		t.Fatal("TryLock could not take a free lock")
	} else {
		u()
	}
}

// TestLockEndsWithContext: a wait for a held lock ends when the context
// does (a Ctrl-C while another gover installs), naming the lock.
func TestLockEndsWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	unlock, err := Lock(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err = Lock(ctx, path, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock on a held lock with a context that ends: %v, want the context's error", err)
	}
}
