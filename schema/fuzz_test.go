package schema

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: any input either loads, with every definition at a pointer
// Lookup finds again, or fails with a *schema.Error; never a panic or hang.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../testdata/golden/*.json", "../testdata/bad/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Load("fuzz.json", data)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, d := range doc.Definitions {
			got, err := doc.Lookup("#" + d.Pointer)
			if err != nil || got.Name != d.Name {
				t.Fatalf("Lookup(%s) = %v, %v", d.Pointer, got, err)
			}
		}
	})
}
