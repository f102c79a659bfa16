package generated_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeGoBlocksAreTested: every Go block of README.md stands in Go
// code the tests compile and run (an Example, a test, a generated file),
// so the README cannot drift from the code again. Each line of a block,
// trimmed, must occur in order within the lines of one Go file of the
// repository; a line "// …" marks an elision and matches nothing.
func TestReadmeGoBlocksAreTested(t *testing.T) {
	root := filepath.Join("..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var files [][]string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files = append(files, strings.Split(string(data), "\n"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for i, block := range strings.Split(string(readme), "```go\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		blocks++
		var want []string
		for _, l := range strings.Split(block, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "// …") {
				want = append(want, l)
			}
		}
		found := false
		for _, lines := range files {
			if inOrder(want, lines) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README Go block %d is in no Go file of the repository:\n%s", i+1, block)
		}
	}
	if blocks < 5 {
		t.Errorf("found %d Go blocks in README.md; the split is wrong", blocks)
	}
}

// inOrder reports whether each of want occurs, in order, within lines.
func inOrder(want, lines []string) bool {
	j := 0
	for _, l := range lines {
		if j < len(want) && strings.Contains(l, want[j]) {
			j++
		}
	}
	return j == len(want)
}
