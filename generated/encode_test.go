package generated_test

// The encoders are held to encoding/json: every value decoded from the
// official examples (and from the fuzzer's inputs) must encode to exactly
// the bytes that encoding/json writes for a mirror of it, a value built by
// reflection with the same exported fields and tags, in which nested
// generated types are replaced by their own mirrors, unions by `any`, and
// the fixed properties (from the IR) and kept extra properties are written
// the way the generated MarshalJSON methods always wrote them.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/exttasks20260728"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20241105"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20250326"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20250618"
	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20260728"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// encodedPackage is a generated package under test, with its IR, from
// which the mirrors take the fixed properties.
type encodedPackage struct {
	revision string
	decode   func(string, []byte) (any, error)
	pkgPath  string
	decls    map[string]*ir.Decl // by Go name
}

// encodedRevisions are the generated packages, by revision.
var encodedRevisions = []struct {
	revision string
	decode   func(string, []byte) (any, error)
	zero     func(string) any // NewDefinition
	sample   any              // a type of the package, for its path
}{
	{"2024-11-05", mcp20241105.UnmarshalDefinition, mcp20241105.NewDefinition, mcp20241105.Implementation{}},
	{"2025-03-26", mcp20250326.UnmarshalDefinition, mcp20250326.NewDefinition, mcp20250326.Implementation{}},
	{"2025-06-18", mcp20250618.UnmarshalDefinition, mcp20250618.NewDefinition, mcp20250618.Implementation{}},
	{"2025-11-25", mcp.UnmarshalDefinition, mcp.NewDefinition, mcp.Implementation{}},
	{"2026-07-28", mcp20260728.UnmarshalDefinition, mcp20260728.NewDefinition, mcp20260728.Implementation{}},
	{"draft", mcpdraft.UnmarshalDefinition, mcpdraft.NewDefinition, mcpdraft.Implementation{}},
	{"ext-tasks", exttasks.UnmarshalDefinition, exttasks.NewDefinition, exttasks.Task{}},
	{"ext-tasks-2026-07-28", exttasks20260728.UnmarshalDefinition, exttasks20260728.NewDefinition, exttasks20260728.Task{}},
}

var encodedPackageCache sync.Map // revision -> *encodedPackage

// encodedPackageFor builds the IR of a revision's package, once.
func encodedPackageFor(t testing.TB, revision string) *encodedPackage {
	t.Helper()
	if p, ok := encodedPackageCache.Load(revision); ok {
		return p.(*encodedPackage)
	}
	for _, r := range encodedRevisions {
		if r.revision != revision {
			continue
		}
		pkg, err := buildIR(testenv.SchemaDir(t), revision)
		if err != nil {
			t.Fatalf("%s: %v", revision, err)
		}
		p := &encodedPackage{revision: revision, decode: r.decode, pkgPath: reflect.TypeOf(r.sample).PkgPath(), decls: map[string]*ir.Decl{}}
		for _, d := range pkg.Decls {
			p.decls[d.Name] = d
		}
		encodedPackageCache.Store(revision, p)
		return p
	}
	t.Fatalf("no generated package for %s", revision)
	return nil
}

// buildIR builds a revision's IR with the options generate uses for it.
func buildIR(dir, revision string) (*ir.Package, error) {
	rev, ok := schema.LookupRevision(revision)
	if !ok {
		return nil, fmt.Errorf("no revision %q", revision)
	}
	doc, err := schema.LoadFile(filepath.Join(dir, rev.Path))
	if err != nil {
		return nil, err
	}
	opts := ir.Options{Package: rev.Package, Revision: rev.Name}
	if rev.Lifecycle != "" {
		if opts.Lifecycle, err = schema.LoadLifecycle(rev.Lifecycle); err != nil {
			return nil, err
		}
	}
	if rev.Protocol != "" {
		if opts.Protocol, err = schema.LoadProtocol(rev.Protocol); err != nil {
			return nil, err
		}
	}
	return ir.Build(doc, opts)
}

var (
	marshalerType = reflect.TypeFor[json.Marshaler]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	anyType       = reflect.TypeFor[any]()
)

// generated reports whether t is a type of the package that has its own
// MarshalJSON, which the mirror must not call.
func (p *encodedPackage) generated(t reflect.Type) bool {
	return t.PkgPath() == p.pkgPath && t.Name() != "" && (t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType))
}

// generatedObject reports whether t is a generated struct (or Multi) type.
func (p *encodedPackage) generatedObject(t reflect.Type) bool {
	return p.generated(t) && t.Kind() == reflect.Struct
}

// mirrorType is the type that stands for t in a mirror: the encoding
// (json.RawMessage) for a generated struct or a pointer to one, an unnamed
// type for a generated list or map, any for a union.
func (p *encodedPackage) mirrorType(t reflect.Type) reflect.Type {
	switch {
	case p.generated(t) && (t.Kind() == reflect.Slice || t.Kind() == reflect.Map):
		return p.mirrorType(underlying(t))
	case p.generated(t):
		return rawType
	case t.Kind() == reflect.Pointer && p.generatedObject(t.Elem()):
		return rawType
	}
	switch t.Kind() {
	case reflect.Interface:
		return anyType
	case reflect.Slice:
		if e := p.mirrorType(t.Elem()); e != t.Elem() {
			return reflect.SliceOf(e)
		}
	case reflect.Map:
		if e := p.mirrorType(t.Elem()); e != t.Elem() {
			return reflect.MapOf(t.Key(), e)
		}
	case reflect.Pointer:
		if e := p.mirrorType(t.Elem()); e != t.Elem() {
			return reflect.PointerTo(e)
		}
	}
	return t
}

// mirror returns v's stand-in, of type mirrorType(v.Type()).
func (p *encodedPackage) mirror(v reflect.Value) (reflect.Value, error) {
	t := v.Type()
	mt := p.mirrorType(t)
	if mt == t {
		return v, nil
	}
	switch {
	case p.generated(t) && (t.Kind() == reflect.Slice || t.Kind() == reflect.Map):
		return p.mirror(v.Convert(underlying(t)))
	case p.generated(t):
		raw, err := p.reference(v)
		return reflect.ValueOf(raw), err
	case t.Kind() == reflect.Pointer && v.IsNil():
		return reflect.Zero(mt), nil
	case t.Kind() == reflect.Pointer && p.generatedObject(t.Elem()):
		raw, err := p.reference(v.Elem())
		return reflect.ValueOf(raw), err
	}
	switch t.Kind() {
	case reflect.Interface:
		out := reflect.New(anyType).Elem()
		if v.IsNil() {
			return out, nil
		}
		m, err := p.mirror(v.Elem())
		if err != nil {
			return out, err
		}
		out.Set(m)
		return out, nil
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(mt), nil
		}
		out := reflect.MakeSlice(mt, v.Len(), v.Len())
		for i := range v.Len() {
			m, err := p.mirror(v.Index(i))
			if err != nil {
				return out, err
			}
			out.Index(i).Set(m)
		}
		return out, nil
	case reflect.Map:
		if v.IsNil() {
			return reflect.Zero(mt), nil
		}
		out := reflect.MakeMapWithSize(mt, v.Len())
		for it := v.MapRange(); it.Next(); {
			m, err := p.mirror(it.Value())
			if err != nil {
				return out, err
			}
			out.SetMapIndex(it.Key(), m)
		}
		return out, nil
	case reflect.Pointer:
		out := reflect.New(mt.Elem())
		m, err := p.mirror(v.Elem())
		if err != nil {
			return out, err
		}
		out.Elem().Set(m)
		return out, nil
	}
	return v, fmt.Errorf("no mirror for %s", t)
}

// reference is encoding/json's encoding of the generated value v (not a
// pointer), made with a mirror.
func (p *encodedPackage) reference(v reflect.Value) (json.RawMessage, error) {
	t := v.Type()
	d := p.decls[t.Name()]
	if d == nil {
		return nil, fmt.Errorf("%s is not in the IR", t)
	}
	switch d.Kind {
	case ir.Multi:
		// The value it holds, of the kind it holds.
		kind := v.FieldByName("kind").String()
		var held any
		switch kind {
		case "string":
			held = v.FieldByName("str").String()
		case "integer":
			held = v.FieldByName("integer").Int()
		case "number":
			held = v.FieldByName("number").Float()
		case "boolean":
			held = v.FieldByName("boolean").Bool()
		default:
			return nil, fmt.Errorf("%s holds no value", t)
		}
		return json.Marshal(held)
	case ir.Struct:
	default:
		return nil, fmt.Errorf("%s is a %v, which has no MarshalJSON", t, d.Kind)
	}
	var fields []reflect.StructField
	var values []reflect.Value
	names := map[string]bool{}
	for i, f := range d.Fields {
		names[f.JSONName] = true
		if f.Const != "" && !(!f.Required && strings.HasPrefix(f.Const, `"`)) {
			fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Const%d", i), Type: rawType, Tag: reflect.StructTag(`json:"` + f.JSONName + `"`)})
			values = append(values, reflect.ValueOf(json.RawMessage(f.Const)))
		}
	}
	required := map[string]bool{} // Go fields that must not encode as null
	for _, f := range d.Fields {
		if f.Required && !f.Nullable() {
			required[f.Name] = true
		}
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Tag.Get("json") == "-" {
			continue
		}
		fv := v.Field(i)
		if required[sf.Name] && (fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) && fv.IsNil() {
			// A required list or map is written empty, not null.
			if fv.Kind() == reflect.Slice {
				fv = reflect.MakeSlice(fv.Type(), 0, 0)
			} else {
				fv = reflect.MakeMap(fv.Type())
			}
		}
		m, err := p.mirror(fv)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name(), sf.Name, err)
		}
		fields = append(fields, reflect.StructField{Name: sf.Name, Type: m.Type(), Tag: sf.Tag})
		values = append(values, m)
	}
	st := reflect.New(reflect.StructOf(fields)).Elem()
	for i, m := range values {
		st.Field(i).Set(m)
	}
	data, err := json.Marshal(st.Interface())
	if err != nil {
		return nil, err
	}
	// The extra properties, in key order, after the fields.
	type member struct {
		key   string
		value any
	}
	var extra []member
	if ap := v.FieldByName("AdditionalProperties"); ap.IsValid() {
		for it := ap.MapRange(); it.Next(); {
			if names[it.Key().String()] {
				continue
			}
			m, err := p.mirror(it.Value())
			if err != nil {
				return nil, err
			}
			extra = append(extra, member{it.Key().String(), m.Interface()})
		}
	}
	if unknown := v.FieldByName("unknown"); unknown.IsValid() {
		for it := unknown.MapRange(); it.Next(); {
			extra = append(extra, member{it.Key().String(), json.RawMessage(it.Value().Bytes())})
		}
	}
	slices.SortFunc(extra, func(a, b member) int { return strings.Compare(a.key, b.key) })
	out := bytes.TrimSuffix(data, []byte("}"))
	for _, m := range extra {
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		val, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(append(append(out, k...), ':'), val...)
	}
	return append(out, '}'), nil
}

// underlying is the unnamed type of a Named declaration's Go type.
func underlying(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Slice:
		return reflect.SliceOf(t.Elem())
	case reflect.Map:
		return reflect.MapOf(t.Key(), t.Elem())
	}
	return t
}

// checkEncoding holds the encoding of v, decoded as definition name, to
// encoding/json: json.Marshal(v) equals v's own MarshalJSON (so that it is
// compact and escaped as encoding/json writes it) and the mirror's
// encoding, and decodes back to v.
func (p *encodedPackage) checkEncoding(t *testing.T, name string, data []byte, v any) {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s %s: decoded from %s but does not encode: %v", p.revision, name, data, err)
	}
	if m, ok := v.(json.Marshaler); ok {
		direct, err := m.MarshalJSON()
		if err != nil || !bytes.Equal(direct, got) {
			t.Fatalf("%s %s: MarshalJSON wrote %s (%v), json.Marshal %s", p.revision, name, direct, err, got)
		}
	}
	mirror, err := p.mirror(reflect.ValueOf(v))
	if err != nil {
		t.Fatalf("%s %s: mirror of %s: %v", p.revision, name, data, err)
	}
	want, err := json.Marshal(mirror.Interface())
	if err != nil {
		t.Fatalf("%s %s: encoding/json cannot encode the mirror of %s: %v", p.revision, name, data, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s %s: from %s\nencoded   %s\nreference %s", p.revision, name, data, got, want)
	}
	again, err := p.decode(name, got)
	if err != nil {
		t.Fatalf("%s %s: %s does not decode again: %v", p.revision, name, got, err)
	}
	if opts := []cmp.Option{cmp.Exporter(func(reflect.Type) bool { return true }), sameRawJSON}; !cmp.Equal(v, again, opts...) {
		t.Fatalf("%s %s: %s decodes to another value (-first +again):\n%s", p.revision, name, got, cmp.Diff(v, again, opts...))
	}
}

// sameRawJSON compares kept JSON texts as encoding/json writes them, since
// encoding compacts them.
var sameRawJSON = cmp.Comparer(func(a, b json.RawMessage) bool {
	ca, errA := json.Marshal(a)
	cb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ca, cb)
})

// encodeInputs are the official examples, by definition, and hand-made
// messages that reach every escape class, both float forms, raw messages
// with space and HTML in them, and extra properties.
func encodeInputs(t testing.TB) map[string][][]byte {
	dir := testenv.SchemaDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "core/draft/examples/*/*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 129 {
		t.Errorf("found %d examples, want 129", len(files))
	}
	inputs := map[string][][]byte{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		typ := filepath.Base(filepath.Dir(file))
		inputs[typ] = append(inputs[typ], data)
	}
	for name, list := range handMadeInputs {
		for _, s := range list {
			inputs[name] = append(inputs[name], []byte(s))
		}
	}
	return inputs
}

var handMadeInputs = map[string][]string{
	"ContentBlock": {
		`{"type":"text","text":"<b>&amp;</b> \u2028 \u2029 \u0000\u001f\u007f \b\f\n\r\t \"q\" \\ é 中 🙂 \ud800 \udfff","zzz":{ "a" : [ 1 , 2.50, "<>" ] },"aaa":null, "_meta":{"k":[1e400, -0.0, 1E-7, 123456789012345678901234567890]}}`,
		`{"type":"image","data":"","mimeType":"image/png","annotations":{"audience":["user","assistant"],"priority":1e-7,"lastModified":"<now>"}}`,
		`{"type":"resource","resource":{"uri":"file:///a?b=1&c=2","text":"line\nnext","mimeType":"text/plain","_meta":{"x":{}}}}`,
	},
	"CallToolResult": {
		`{"content":[],"structuredContent":{"n":1.0,"big":1e21,"small":0.000001,"smaller":0.0000001,"neg":-1e-7,"list":[true,false,null,{}]},"isError":true,"extra":"<&>"}`,
		`{"content":[{"type":"text","text":""}],"_meta":{}}`,
	},
	"Tool": {
		`{"name":"t","inputSchema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"x-extra":[ 1 ]},"annotations":{"title":"T","readOnlyHint":false},"_meta":{"a":"\u003c"}}`,
	},
	"CallToolRequest": {
		`{"jsonrpc":"2.0","id":"<id>","method":"tools/call","params":{"name":"n","arguments":{"a":[1,"2",{"3":null}],"b":0.1}}}`,
		`{"jsonrpc":"2.0","id":-9007199254740993,"method":"tools/call","params":{"name":"n"}}`,
	},
	"JSONRPCMessage": {
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"bad <thing>","data":{ "detail" : "x" }}}`,
		`{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":0.5,"total":1e300}}`,
	},
}

// TestEncodeAgreesWithEncodingJSON runs checkEncoding on the examples and
// the hand-made messages, in every package whose schema has the definition
// and accepts the message.
func TestEncodeAgreesWithEncodingJSON(t *testing.T) {
	inputs := encodeInputs(t)
	checked := map[string]int{}
	for _, r := range encodedRevisions {
		p := encodedPackageFor(t, r.revision)
		for name, list := range inputs {
			for _, data := range list {
				v, err := p.decode(name, data)
				if err != nil {
					if p.revision == "draft" && !strings.HasPrefix(err.Error(), "no definition") && handMadeInputs[name] == nil {
						t.Errorf("draft: example %s does not decode: %v", name, err)
					}
					continue
				}
				p.checkEncoding(t, name, data, v)
				checked[p.revision]++
			}
		}
	}
	if checked["draft"] < 129 {
		t.Errorf("checked %d draft values, want every example", checked["draft"])
	}
	t.Logf("values checked per revision: %v", checked)
}

// TestEncodeZeroValuesAgreeWithEncodingJSON encodes the zero value of every
// definition, which decoding never produces: nil required lists and maps
// (written empty), nil nullable pointers and unions (null), empty strings.
// A zero Multi holds nothing and must fail to encode, as it always did.
func TestEncodeZeroValuesAgreeWithEncodingJSON(t *testing.T) {
	for _, r := range encodedRevisions {
		p := encodedPackageFor(t, r.revision)
		encoded, refused := 0, 0
		for _, d := range p.decls {
			if d.Definition == "" {
				continue
			}
			v := r.zero(d.Definition)
			if v == nil {
				continue // a union or an any
			}
			got, err := json.Marshal(v)
			mirror, merr := p.mirror(reflect.ValueOf(v))
			var want []byte
			if merr == nil {
				want, merr = json.Marshal(mirror.Interface())
			}
			switch {
			case err != nil && merr != nil:
				refused++
			case err != nil || merr != nil:
				t.Errorf("%s %s: encoded %s (%v), reference %s (%v)", r.revision, d.Definition, got, err, want, merr)
			case !bytes.Equal(got, want):
				t.Errorf("%s %s: zero value\nencoded   %s\nreference %s", r.revision, d.Definition, got, want)
			default:
				encoded++
			}
		}
		if encoded == 0 {
			t.Errorf("%s: no zero value encoded", r.revision)
		}
		t.Logf("%s: %d zero values agree, %d refused by both", r.revision, encoded, refused)
	}
}

// FuzzEncodeDraft decodes each input as every definition the examples
// cover and holds whatever decodes to checkEncoding.
func FuzzEncodeDraft(f *testing.F) {
	inputs := encodeInputs(f)
	var names []string
	for name, list := range inputs {
		names = append(names, name)
		for _, data := range list {
			f.Add(data)
		}
	}
	slices.Sort(names)
	fuzzSeeds(f)
	draft := encodedPackageFor(f, "draft")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range names {
			if v, err := draft.decode(name, data); err == nil {
				draft.checkEncoding(t, name, data, v)
			}
		}
	})
}
