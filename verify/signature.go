package verify

import (
	"context"
	"fmt"
)

// Signatures proves archives with the detached signatures published beside
// them (<archive>.asc).
type Signatures interface {
	// Check returns a StreamCheck that proves the bytes written to it were
	// signed by sig (armored), or an error when sig itself is unusable.
	Check(ctx context.Context, what string, sig []byte) (StreamCheck, error)
}

// A SignatureError is a missing, malformed, foreign or bad signature.
type SignatureError struct {
	What string
	Err  error
}

func (e *SignatureError) Error() string {
	return fmt.Sprintf("signature of %s: %v (nothing was installed)", e.What, e.Err)
}

func (e *SignatureError) Unwrap() error { return e.Err }

func (e *SignatureError) Is(target error) bool { return target == ErrFailed }
