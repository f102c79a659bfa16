// Package modproxy builds a file-system Go module proxy that serves this
// repository's working tree as github.com/mcpgen-dev/mcpgen, so that tests
// can install mcpgen the way its users do (go get -tool, go run ...@VERSION)
// with no replace directive and no go.work.
package modproxy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
)

// Module is the path the proxy serves the working tree under.
const Module = "github.com/mcpgen-dev/mcpgen"

// Nested are the directories of the modules nested in the working tree
// that the proxy serves too, at the same version, each as Module + "/" +
// its directory. Their go.mod files require Module at a placeholder
// version (they are developed against the working tree): the proxy's copy
// requires the version it serves instead, as a release would.
var Nested = []string{"gosdk", "redistore"}

// placeholder is the version of Module a nested module's go.mod requires.
const placeholder = "v0.0.0-00010101000000-000000000000"

// pseudoTime is the time part of the pseudo-version. The revision part is
// the start of the tree's content hash, so that a changed tree is a new
// version: the module cache keeps a version's content once fetched.
const pseudoTime = "20260101000000"

// Proxy is a module proxy in a directory.
type Proxy struct {
	Dir     string // the proxy's directory (GOPROXY=file://Dir)
	Version string // the pseudo-version the working tree is served at
}

// Build writes a proxy holding the working tree at a pseudo-version into
// a temporary directory of t's.
func Build(t testing.TB) *Proxy {
	t.Helper()
	root := testenv.Root()
	mods := map[string][]file{} // directory ("." for the root) -> files
	sum := sha256.New()
	for _, dir := range append([]string{"."}, Nested...) {
		files, err := moduleFiles(root, dir)
		if err != nil {
			t.Fatalf("modproxy: %s: %v", filepath.Join(root, dir), err)
		}
		mods[dir] = files
		for _, f := range files {
			data, err := os.ReadFile(f.abs)
			if err != nil {
				t.Fatalf("modproxy: %v", err)
			}
			io.WriteString(sum, dir+"/"+f.rel+"\x00")
			sum.Write(data)
			io.WriteString(sum, "\x00")
		}
	}
	version := "v0.0.0-" + pseudoTime + "-" + hex.EncodeToString(sum.Sum(nil))[:12]
	p := &Proxy{Dir: t.TempDir(), Version: version}
	for _, dir := range append([]string{"."}, Nested...) {
		mod := Module
		if dir != "." {
			mod += "/" + dir
		}
		if err := p.write(root, mod, dir, mods[dir]); err != nil {
			t.Fatalf("modproxy: %s: %v", mod, err)
		}
	}
	return p
}

// write puts module mod, whose files are files of the directory dir of
// root, into the proxy at p.Version.
func (p *Proxy) write(root, mod, dir string, files []file) error {
	version := p.Version
	escaped, err := module.EscapePath(mod)
	if err != nil {
		return err
	}
	at := filepath.Join(p.Dir, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(dir), "go.mod"))
	if err != nil {
		return err
	}
	if dir != "." {
		gomod = bytes.ReplaceAll(gomod, []byte(Module+" "+placeholder), []byte(Module+" "+version))
	}
	var zipped bytes.Buffer
	zfiles := make([]zip.File, len(files))
	for i := range files {
		zfiles[i] = files[i]
		if files[i].rel == "go.mod" {
			zfiles[i] = content{files[i], gomod}
		}
	}
	if err := zip.Create(&zipped, module.Version{Path: mod, Version: version}, zfiles); err != nil {
		return err
	}
	stamp, _ := time.Parse("20060102150405", pseudoTime)
	info, _ := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, stamp})
	// go run PKG@VERSION asks for @latest, for the module's deprecation.
	if err := os.WriteFile(filepath.Join(filepath.Dir(at), "@latest"), info, 0o644); err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		"list":            nil, // a pseudo-version is not listed
		version + ".info": info,
		version + ".mod":  gomod,
		version + ".zip":  zipped.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(at, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// content is a file of the module whose content the proxy replaces.
type content struct {
	file
	data []byte
}

func (c content) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(c.data)), nil }
func (c content) Lstat() (os.FileInfo, error) {
	info, err := c.file.Lstat()
	if err != nil {
		return nil, err
	}
	return sizedInfo{info, int64(len(c.data))}, nil
}

type sizedInfo struct {
	os.FileInfo
	size int64
}

func (i sizedInfo) Size() int64 { return i.size }

// AddNested returns the version the proxy serves the nested module in
// the working tree's directory dir at (Nested lists them; all share the
// working tree's version).
func (p *Proxy) AddNested(t testing.TB, dir string) string {
	t.Helper()
	if !slices.Contains(Nested, dir) {
		t.Fatalf("modproxy: %s is not one of the nested modules %v", dir, Nested)
	}
	return p.Version
}

// Env is the environment for a go command that gets mcpgen from the
// proxy and everything else from the proxies go env names, outside any
// workspace, free to update go.mod and go.sum, with flags added to
// GOFLAGS. The checksum database is not asked about mcpgen, which it
// cannot know at this version.
func (p *Proxy) Env(t testing.TB, flags ...string) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		t.Fatalf("go env GOPROXY: %v", err)
	}
	upstream := strings.TrimSpace(string(out))
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS":
			for _, f := range strings.Fields(v) {
				if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "-modfile=") {
					flags = append(flags, f)
				}
			}
		case "GOPROXY", "GOWORK", "GONOSUMDB", "GOPRIVATE", "GONOPROXY":
		default:
			env = append(env, kv)
		}
	}
	flags = append(flags, "-mod=mod")
	return append(env,
		"GOPROXY=file://"+filepath.ToSlash(p.Dir)+","+upstream,
		"GONOSUMDB="+Module,
		"GOWORK=off",
		"GOFLAGS="+strings.Join(flags, " "))
}

// file is one file of the module, for zip.Create.
type file struct{ abs, rel string }

func (f file) Path() string                 { return f.rel }
func (f file) Lstat() (os.FileInfo, error)  { return os.Lstat(f.abs) }
func (f file) Open() (io.ReadCloser, error) { return os.Open(f.abs) }

// moduleFiles lists the files of the module in the directory dir of root
// (paths relative to it), as a commit
// of the working tree would hold them: what git tracks or would track
// (ignored files such as a built binary and the npm peers left out), as
// they are on disk, without the nested modules the go command leaves out
// of a module's zip.
func moduleFiles(root, dir string) ([]file, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
	cmd.Dir = filepath.Join(root, filepath.FromSlash(dir))
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %v", err)
	}
	modRoot := cmd.Dir
	nested := map[string]bool{} // directory -> holds a go.mod of its own
	inNested := func(rel string) bool {
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			is, ok := nested[d]
			if !ok {
				_, err := os.Stat(filepath.Join(modRoot, filepath.FromSlash(d), "go.mod"))
				is = err == nil
				nested[d] = is
			}
			if is {
				return true
			}
		}
		return false
	}
	var files []file
	for _, rel := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		abs := filepath.Join(modRoot, filepath.FromSlash(rel))
		info, err := os.Lstat(abs)
		if err != nil || !info.Mode().IsRegular() || inNested(rel) {
			continue // deleted in the working tree, a link, or another module's
		}
		files = append(files, file{abs: abs, rel: rel})
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.rel, b.rel) })
	return files, nil
}
