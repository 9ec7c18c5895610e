package work

import (
	"encoding/json"
	"os"
)

// An object's annotations, in a JSON file shared by two processes: it stands in for the
// Kubernetes object an operator creates and the process of its Job watches.

// WriteAnnotations replaces the file's annotations at once (a rename), as an update of the
// object would.
func WriteAnnotations(path string, a map[string]string) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path+".tmp", b, 0o644); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// ReadAnnotations reads the file's annotations; nil when it does not exist yet.
func ReadAnnotations(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var a map[string]string
	return a, json.Unmarshal(b, &a)
}
