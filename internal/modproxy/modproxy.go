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

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
)

// Module is the path the proxy serves the working tree under.
const Module = "github.com/mcpgen-dev/mcpgen"

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
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{Dir: t.TempDir()}
	p.Version = p.serve(t, Module, root, gomod)
	return p
}

// AddNested serves the nested module in the working tree's directory dir
// (redistore, say) too, as Module/dir, and returns its version. Its go.mod
// is served as a release would have it: requiring Module at p.Version,
// without its replace of Module by the working tree.
func (p *Proxy) AddNested(t testing.TB, dir string) string {
	t.Helper()
	root := filepath.Join(testenv.Root(), filepath.FromSlash(dir))
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatalf("modproxy: %s: %v", dir, err)
	}
	for _, r := range mf.Replace {
		if r.Old.Path == Module {
			mf.DropReplace(r.Old.Path, r.Old.Version)
		}
	}
	if err := mf.AddRequire(Module, p.Version); err != nil {
		t.Fatal(err)
	}
	mf.Cleanup()
	gomod, err := mf.Format()
	if err != nil {
		t.Fatal(err)
	}
	return p.serve(t, Module+"/"+dir, root, gomod)
}

// serve writes the module in dir, with gomod for its go.mod, as path at a
// pseudo-version made from its content, and returns the version.
func (p *Proxy) serve(t testing.TB, path, dir string, gomod []byte) string {
	t.Helper()
	files, err := moduleFiles(dir)
	if err != nil {
		t.Fatalf("modproxy: %s: %v", dir, err)
	}
	sum := sha256.New()
	zfiles := make([]zip.File, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f.abs)
		if err != nil {
			t.Fatalf("modproxy: %v", err)
		}
		if f.rel == "go.mod" {
			data = gomod
			zfiles = append(zfiles, memFile{"go.mod", gomod})
		} else {
			zfiles = append(zfiles, f)
		}
		io.WriteString(sum, f.rel+"\x00")
		sum.Write(data)
		io.WriteString(sum, "\x00")
	}
	version := "v0.0.0-" + pseudoTime + "-" + hex.EncodeToString(sum.Sum(nil))[:12]
	at := filepath.Join(p.Dir, filepath.FromSlash(path), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	if err := zip.Create(&zipped, module.Version{Path: path, Version: version}, zfiles); err != nil {
		t.Fatalf("modproxy: %v", err)
	}
	stamp, _ := time.Parse("20060102150405", pseudoTime)
	info, _ := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, stamp})
	// go run PKG@VERSION asks for @latest, for the module's deprecation.
	if err := os.WriteFile(filepath.Join(filepath.Dir(at), "@latest"), info, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"list":            nil, // a pseudo-version is not listed
		version + ".info": info,
		version + ".mod":  gomod,
		version + ".zip":  zipped.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(at, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return version
}

// memFile is a file of a module zip whose content is not on disk.
type memFile struct {
	name string
	data []byte
}

func (f memFile) Path() string                { return f.name }
func (f memFile) Lstat() (os.FileInfo, error) { return memInfo(f), nil }
func (f memFile) Open() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(f.data)), nil
}

type memInfo memFile

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return int64(len(i.data)) }
func (i memInfo) Mode() os.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

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

// moduleFiles lists the files of the module rooted at root, as a commit
// of the working tree would hold them: what git tracks or would track
// (ignored files such as a built binary and the npm peers left out), as
// they are on disk, without the nested modules the go command leaves out
// of a module's zip.
func moduleFiles(root string) ([]file, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %v", err)
	}
	nested := map[string]bool{} // directory -> holds a go.mod of its own
	inNested := func(rel string) bool {
		for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
			is, ok := nested[dir]
			if !ok {
				_, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir), "go.mod"))
				is = err == nil
				nested[dir] = is
			}
			if is {
				return true
			}
		}
		return false
	}
	var files []file
	for _, rel := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		abs := filepath.Join(root, filepath.FromSlash(rel))
		info, err := os.Lstat(abs)
		if err != nil || !info.Mode().IsRegular() || inNested(rel) {
			continue // deleted in the working tree, a link, or another module's
		}
		files = append(files, file{abs: abs, rel: rel})
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.rel, b.rel) })
	return files, nil
}
