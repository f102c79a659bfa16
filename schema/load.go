// Package schema loads an MCP schema.json file and answers the questions the
// rest of mcpgen asks of it: which definitions it has, in what order, what a
// local $ref points at, and where in the file a schema sits (as a JSON pointer),
// so that every error can name the file and the pointer.
//
// Parsing is done by github.com/google/jsonschema-go, which understands both
// draft-07 (`definitions`) and 2020-12 (`$defs`) documents, including
// `"type": [...]` arrays. This package adds what that library does not keep:
// the order in which keys appear in the file.
package schema

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// Draft names the JSON Schema dialect a document is written in.
type Draft string

const (
	Draft07   Draft = "draft-07"
	Draft2020 Draft = "2020-12"
)

// Document is a loaded schema file.
type Document struct {
	// Path is the file the document was read from, as given by the caller.
	Path string
	// SHA256 is the hex digest of the file's bytes.
	SHA256 string
	// Draft is the dialect named by the root $schema.
	Draft Draft
	// Root is the parsed root schema.
	Root *jsonschema.Schema
	// DefsKeyword is "$defs" or "definitions", whichever the document uses.
	DefsKeyword string
	// Definitions lists the definitions in file order.
	Definitions []Definition

	// order maps a JSON pointer of an object in the file to its keys in file order.
	order map[string][]string
}

// Definition is one named schema under $defs or definitions.
type Definition struct {
	Name    string
	Pointer string
	Schema  *jsonschema.Schema
}

// Error is a problem with an input file, located by a JSON pointer.
type Error struct {
	File    string
	Pointer string
	Reason  string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Pointer != "" {
		b.WriteString(e.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Errorf returns an *Error for the document's file at pointer.
func (d *Document) Errorf(pointer, format string, args ...any) error {
	return &Error{File: d.Path, Pointer: pointer, Reason: fmt.Sprintf(format, args...)}
}

// LoadFile reads and parses the schema file at path.
func LoadFile(path string) (*Document, error) {
	if info, err := os.Stat(path); err == nil && info.Size() > MaxSchemaBytes {
		return nil, &Error{File: path, Reason: fmt.Sprintf("%d bytes is more than the %d a schema may have", info.Size(), MaxSchemaBytes)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Reason: err.Error()}
	}
	return Load(path, data)
}

// MaxSchemaBytes bounds the input: the largest published MCP schema is
// under 200 KB; a file of many megabytes is hostile or a mistake.
const MaxSchemaBytes = 16 << 20

// Load parses data, which was read from path (used only in messages).
func Load(path string, data []byte) (*Document, error) {
	if len(data) > MaxSchemaBytes {
		return nil, &Error{File: path, Reason: fmt.Sprintf("%d bytes is more than the %d a schema may have", len(data), MaxSchemaBytes)}
	}
	sum := sha256.Sum256(data)
	doc := &Document{Path: path, SHA256: hex.EncodeToString(sum[:])}
	root, order, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	doc.Root, doc.order = root, order

	switch {
	case strings.Contains(root.Schema, "draft-07"):
		doc.Draft = Draft07
	case strings.Contains(root.Schema, "2020-12"), root.Schema == "":
		doc.Draft = Draft2020
	default:
		return nil, &Error{File: path, Pointer: "/$schema", Reason: fmt.Sprintf("unsupported dialect %q (want draft-07 or 2020-12)", root.Schema)}
	}

	defs, keyword := root.Defs, "$defs"
	if len(root.Definitions) > 0 {
		if len(root.Defs) > 0 {
			return nil, &Error{File: path, Reason: "both $defs and definitions are present; use one"}
		}
		defs, keyword = root.Definitions, "definitions"
	}
	if len(defs) == 0 {
		return nil, &Error{File: path, Reason: "no definitions: expected $defs or definitions at the root"}
	}
	doc.DefsKeyword = keyword
	for _, name := range doc.Keys("/"+EscapePointer(keyword), defs) {
		doc.Definitions = append(doc.Definitions, Definition{
			Name:    name,
			Pointer: "/" + EscapePointer(keyword) + "/" + EscapePointer(name),
			Schema:  defs[name],
		})
	}
	return doc, nil
}

// parse returns the root schema and the key order of every object, in one
// pass where it can (parseFast), else with keyOrder and jsonschema-go.
func parse(path string, data []byte) (*jsonschema.Schema, map[string][]string, error) {
	if root, order, ok := parseFast(data); ok {
		return root, order, nil
	}
	return parseSlow(path, data)
}

// parseSlow parses data twice, for key order and for the schema; it
// reports every problem with the text.
func parseSlow(path string, data []byte) (*jsonschema.Schema, map[string][]string, error) {
	order, err := keyOrder(data)
	var deep *depthError
	switch {
	case errors.As(err, &deep):
		return nil, nil, &Error{File: path, Pointer: deep.pointer, Reason: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	case err != nil:
		return nil, nil, &Error{File: path, Reason: "invalid JSON: " + describeSyntaxError(data, err)}
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, nil, &Error{File: path, Reason: "not a JSON Schema: the top level must be an object"}
	}
	var root jsonschema.Schema
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, nil, &Error{File: path, Reason: "not a JSON Schema: " + err.Error()}
	}
	return &root, order, nil
}

// Keys returns the keys of m in the order they appear in the file at pointer.
// Keys the file does not list (there should be none) follow, sorted.
func (d *Document) Keys(pointer string, m map[string]*jsonschema.Schema) []string {
	keys := make([]string, 0, len(m))
	seen := make(map[string]bool, len(m))
	for _, k := range d.order[pointer] {
		if _, ok := m[k]; ok && !seen[k] {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// Lookup resolves a local reference to its definition: a JSON pointer
// such as "#/$defs/Task", written as a URI fragment (RFC 6901 section 6:
// percent-encoded, so "#/$defs/A%20B" names "A B"), or an anchor "#name"
// that a definition declares with $anchor. References into the middle of
// a definition and remote references are reported as errors; MCP schemas
// use neither.
func (d *Document) Lookup(ref string) (*Definition, error) {
	fragment, local := strings.CutPrefix(ref, "#")
	if !local {
		return nil, fmt.Errorf("$ref %q is a remote reference (only references within the file are followed)", ref)
	}
	decoded, err := url.PathUnescape(fragment)
	if err != nil {
		return nil, fmt.Errorf("$ref %q is not a valid URI fragment: %v", ref, err)
	}
	if !strings.HasPrefix(decoded, "/") {
		for i := range d.Definitions {
			if s := d.Definitions[i].Schema; s != nil && s.Anchor == decoded {
				return &d.Definitions[i], nil
			}
		}
		return nil, fmt.Errorf("$ref %q names an anchor that no definition declares with $anchor", ref)
	}
	for i := range d.Definitions {
		if decoded == d.Definitions[i].Pointer {
			return &d.Definitions[i], nil
		}
	}
	return nil, fmt.Errorf("$ref %q points at no definition", ref)
}

// EscapePointer escapes one JSON pointer token (RFC 6901).
func EscapePointer(token string) string {
	token = strings.ReplaceAll(token, "~", "~0")
	return strings.ReplaceAll(token, "/", "~1")
}

// keyOrder walks the JSON text and records, for every object, its keys in order.
func keyOrder(data []byte) (map[string][]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	order := make(map[string][]string)
	if err := walkValue(dec, "", order, 0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, errors.New("unexpected data after the top-level value")
		}
		return nil, err
	}
	return order, nil
}

// depthError reports nesting past maxDepth, at a (shortened) pointer.
type depthError struct{ pointer string }

func (e *depthError) Error() string { return "nesting deeper than the limit at " + e.pointer }

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 512

func walkValue(dec *json.Decoder, ptr string, order map[string][]string, depth int) error {
	if depth > maxDepth {
		if len(ptr) > 80 {
			ptr = ptr[:80] + "..."
		}
		return &depthError{ptr}
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch delim {
	case '{':
		var keys []string
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key := kt.(string)
			keys = append(keys, key)
			if err := walkValue(dec, ptr+"/"+EscapePointer(key), order, depth+1); err != nil {
				return err
			}
		}
		order[ptr] = keys
	case '[':
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, fmt.Sprintf("%s/%d", ptr, i), order, depth+1); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // closing delimiter
	return err
}

func describeSyntaxError(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := 1, 1
		for _, c := range data[:min(int(se.Offset), len(data))] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("line %d, column %d: %v", line, col, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "unexpected end of input"
	}
	return err.Error()
}
