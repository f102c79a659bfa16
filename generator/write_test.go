package generator

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteLeavesUnchangedFilesAlone writes a package twice: a file whose
// content is the same is not replaced, a changed one is, and a generated
// file no longer produced is removed while a file of the user's stays.
func TestWriteLeavesUnchangedFilesAlone(t *testing.T) {
	dir := t.TempDir()
	head := "// " + Header + "\n\npackage p\n"
	first := []File{
		{Name: "a.go", Data: []byte(head + "\nvar A = 1\n")},
		{Name: "b.go", Data: []byte(head + "\nvar B = 1\n")},
		{Name: "gone.go", Data: []byte(head)},
	}
	if err := Write(dir, first); err != nil {
		t.Fatal(err)
	}
	user := filepath.Join(dir, "user.go")
	if err := os.WriteFile(user, []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stat := func(name string) os.FileInfo {
		t.Helper()
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	a, b := stat("a.go"), stat("b.go")
	second := []File{first[0], {Name: "b.go", Data: []byte(head + "\nvar B = 2\n")}}
	if err := Write(dir, second); err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(a, stat("a.go")) {
		t.Error("a.go, unchanged, was replaced")
	}
	if os.SameFile(b, stat("b.go")) {
		t.Error("b.go, changed, was not replaced")
	}
	for _, f := range second {
		if got, err := os.ReadFile(filepath.Join(dir, f.Name)); err != nil || string(got) != string(f.Data) {
			t.Errorf("%s holds %q (%v), want %q", f.Name, got, err, f.Data)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.go")); !os.IsNotExist(err) {
		t.Errorf("gone.go, no longer generated, is still there: %v", err)
	}
	if _, err := os.Stat(user); err != nil {
		t.Errorf("the user's file: %v", err)
	}
	if diff, err := Check(dir, second); err != nil || len(diff) != 0 {
		t.Errorf("Check after Write: %v, %v", diff, err)
	}
}
