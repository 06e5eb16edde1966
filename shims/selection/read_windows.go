package selection

import "os"

// readFile reads a pin file. Windows has no poller set-up cost to avoid.
func readFile(name string) ([]byte, error) { return os.ReadFile(name) }

func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, err
}
