package selection

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkFindExact is the shim's common case: one exact word in a
// .go-version three folders up, a go.mod below it that is never read.
func BenchmarkFindExact(b *testing.B) {
	root := b.TempDir()
	for name, content := range map[string]string{".go-version": "1.22.5\n", "a/go.mod": "module m\n\ngo 1.21\n", "a/b/c/x": ""} {
		p := filepath.Join(root, filepath.FromSlash(name))
		mkdirWrite(b, p, content)
	}
	dir := filepath.Join(root, "a", "b", "c")
	opt := Options{Getenv: func(string) string { return "" }, GlobalFile: filepath.Join(root, "global")}
	b.ReportAllocs()
	for b.Loop() {
		if s, err := Find(dir, opt); err != nil || s.Word.Version != "go1.22.5" {
			b.Fatal(s, err)
		}
	}
}

func mkdirWrite(b *testing.B, p, content string) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}
