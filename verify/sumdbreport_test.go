package verify

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb"
)

// SumDBReport is the one explanation of a failed lookup (installs, verify
// and mirror sync use it): a security report gives its summary line, and
// a failed remote read stands for errors that are not misbehaviour.
func TestSumDBReport(t *testing.T) {
	var r SumDBReport
	r.Security("SECURITY ERROR\ngo.sum database server misbehavior detected!\n\nold database:\n\tgo.sum database tree\n\t5\n")
	r.Remote(errors.New("read /tile/8/0/000: unexpected EOF")) // x/mod/sumdb goes on after one
	err := r.Err("golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64", fmt.Errorf("verifying tree: %w", sumdb.ErrSecurity))
	want := "checksum database: golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64: verifying tree: security error: misbehaving server: go.sum database server misbehavior detected!"
	if err.Error() != want || !errors.Is(err, ErrFailed) {
		t.Errorf("misbehaviour: %v (verification failure %v); want %q, a verification failure", err, errors.Is(err, ErrFailed), want)
	}

	var r2 SumDBReport
	first := errors.New("GET https://sum.example/lookup/m@v: 503 Service Unavailable")
	r2.Remote(first)
	r2.Remote(errors.New("a later failure"))
	err = r2.Err("m@v", errors.New("reading lookup: not found"))
	if !errors.Is(err, first) || err.Error() != "checksum database: m@v: "+first.Error() {
		t.Errorf("remote failure: %v; want the first failed read", err)
	}
}
