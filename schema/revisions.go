package schema

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Revision is one published schema that mcpgen knows by name.
type Revision struct {
	// Name is what `-schema` accepts in place of a file path.
	Name string
	// Path is the file's location below the schema directory.
	Path string
	// Package is the Go package name its committed output uses.
	Package string
	// Source names the upstream repository and the path of the file there.
	Source string
	// SHA256 pins the file's content.
	SHA256 string
	// Lifecycle and Protocol name the project's data files (in schema/data)
	// for revisions that get task bindings, or are empty.
	Lifecycle, Protocol string
	// URL is the canonical address of the file, at the pinned commit.
	URL string
}

// Revisions lists every published revision, oldest first, then the drafts;
// the tasks extension's follow, its development line first.
var Revisions = []Revision{
	{"2024-11-05", "core/2024-11-05/schema.json", "mcp20241105", "modelcontextprotocol/modelcontextprotocol schema/2024-11-05/schema.json", "61cea2392d4f284092d09bc84b9ac488c0d5618ac2b38a56942fc5b99fd960ce", "", "", "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/b0f60ba5409d/schema/2024-11-05/schema.json"},
	{"2025-03-26", "core/2025-03-26/schema.json", "mcp20250326", "modelcontextprotocol/modelcontextprotocol schema/2025-03-26/schema.json", "e720669548c8100a4282c49e580efd6ddf7f28899ea786fc8db251dbdb356131", "", "", "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/b0f60ba5409d/schema/2025-03-26/schema.json"},
	{"2025-06-18", "core/2025-06-18/schema.json", "mcp20250618", "modelcontextprotocol/modelcontextprotocol schema/2025-06-18/schema.json", "af845e7e5b9d27107d1690f0936022546177a1403e63ffb11470135b296a2e01", "", "", "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/b0f60ba5409d/schema/2025-06-18/schema.json"},
	{"2025-11-25-as-released", "core/2025-11-25-as-released/schema.json", "mcp20251125released", "modelcontextprotocol/modelcontextprotocol schema/2025-11-25/schema.json (as of release day)", "1ffe4c5577974012f5fa02af14ea88df4b7146679df1abaaad497c8d9230ca8a", "core-tasks-lifecycle.json", "core-protocol.json", "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/40f50ed5/schema/2025-11-25/schema.json"},
	{"2025-11-25", "core/2025-11-25/schema.json", "mcp20251125", "modelcontextprotocol/modelcontextprotocol schema/2025-11-25/schema.json", "268a5f82ba70fd7e4b6dc4aa1e64f116f74b4d0edcb69dc046829c79dd4e97e7", "core-tasks-lifecycle.json", "core-protocol.json", "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/b0f60ba5409d/schema/2025-11-25/schema.json"},
	{"2026-07-28", "core/2026-07-28/schema.json", "mcp20260728", "modelcontextprotocol/modelcontextprotocol schema/2026-07-28/schema.json", "ef70b61f99b6d2e5e3b46863822eab08dff6a45bedc7a08914e0e5b133f40203", "", "", "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/b0f60ba5409d/schema/2026-07-28/schema.json"},
	{"draft", "core/draft/schema.json", "mcpdraft", "modelcontextprotocol/modelcontextprotocol schema/draft/schema.json", "ef70b61f99b6d2e5e3b46863822eab08dff6a45bedc7a08914e0e5b133f40203", "", "", "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/b0f60ba5409d/schema/draft/schema.json"},
	{"ext-tasks", "ext-tasks/draft/schema.json", "exttasks", "modelcontextprotocol/ext-tasks schema/draft/schema.json", "10933a5003097bbccb03d964e6a5f7a2819cc4d7a1d07e27c6765cbf5da35c5c", "ext-tasks-lifecycle.json", "ext-protocol.json", "https://raw.githubusercontent.com/modelcontextprotocol/ext-tasks/e4345978be1f/schema/draft/schema.json"},
	{"ext-tasks-2026-07-28", "ext-tasks/2026-07-28/schema.json", "exttasks20260728", "modelcontextprotocol/ext-tasks schema/2026-07-28/schema.json", "bf30afb7ac251e3e22c037b7a685f60ef6603031b5484c0d08b1fa0bbe86d460", "ext-tasks-lifecycle.json", "ext-protocol.json", "https://raw.githubusercontent.com/modelcontextprotocol/ext-tasks/05dde3b/schema/2026-07-28/schema.json"},
}

// SchemaDirEnv names the environment variable that points at a directory
// laid out like the official schema collection (core/REVISION/schema.json,
// ext-tasks/draft/schema.json).
const SchemaDirEnv = "MCPGEN_SCHEMA_DIR"

// LookupRevision finds a revision by name.
func LookupRevision(name string) (Revision, bool) {
	for _, r := range Revisions {
		if r.Name == name {
			return r, true
		}
	}
	return Revision{}, false
}

// CheckPin reports whether a document loaded for rev has the pinned content.
func CheckPin(doc *Document, rev Revision) error {
	if rev.SHA256 == "" || strings.EqualFold(doc.SHA256, rev.SHA256) {
		return nil
	}
	return &Error{File: doc.Path, Reason: fmt.Sprintf("sha256 %s does not match the pinned %s for revision %s", doc.SHA256, rev.SHA256, rev.Name)}
}

// PinnedRevision finds the revision pinned to sha256 sum, so that a file
// with the very content of a revision is that revision. Revisions that
// share a file (2026-07-28 and draft) are told apart by the package name
// pkg, then by the file's path ending in the revision's path; failing
// both, the first is taken.
func PinnedRevision(sum, path, pkg string) (Revision, bool) {
	var found []Revision
	for _, r := range Revisions {
		if strings.EqualFold(r.SHA256, sum) {
			found = append(found, r)
		}
	}
	if len(found) == 0 {
		return Revision{}, false
	}
	for _, r := range found {
		if pkg != "" && r.Package == pkg {
			return r, true
		}
	}
	slash := filepath.ToSlash(path)
	for _, r := range found {
		if slash == r.Path || strings.HasSuffix(slash, "/"+r.Path) {
			return r, true
		}
	}
	return found[0], true
}
