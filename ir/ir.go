// Package ir is mcpgen's intermediate representation: a schema file turned
// into Go declarations whose names, doc comments, field types and decoding
// rules are all decided. The generator only prints what it finds here.
package ir

// Package is everything one schema file becomes.
type Package struct {
	// Name is the Go package name.
	Name string
	// Source describes the input file.
	Source Source
	// Decls lists the declarations in output order: definitions in file
	// order, each followed by the inline types it introduced.
	Decls []*Decl
	// AnyUses lists every position typed as an arbitrary JSON value.
	AnyUses []AnyUse
	// Renames records Go names that had to differ from the natural choice.
	Renames []Rename
	// Lifecycle and Protocol are set for revisions with task bindings.
	Lifecycle *Lifecycle
	Protocol  *Protocol
	// Prefix is what Prefix put in front of every type name, or "".
	Prefix string
}

// Source describes the schema file a package was generated from.
type Source struct {
	File     string // as given on the command line
	Revision string // revision name, when the file is a known revision
	SHA256   string
	Draft    string
	ID       string // the root's $id, if any
}

// DeclKind says what Go declaration a Decl becomes.
type DeclKind int

const (
	// Struct is an object with known properties.
	Struct DeclKind = iota
	// Enum is a string type with a closed (or open) set of constants.
	Enum
	// Union is a sealed interface implemented by its variants.
	Union
	// Multi is a scalar that may hold one of several JSON kinds, such as
	// a string or an integer.
	Multi
	// Named is a defined type over a basic, slice or map type.
	Named
	// Alias is a type alias of another declaration.
	Alias
)

// Decl is one named Go type.
type Decl struct {
	Name string
	Kind DeclKind
	// Pointer locates the schema in its file (a JSON pointer).
	Pointer string
	// Definition is the schema definition name, or "" for an inline type.
	Definition string
	Doc        string

	Fields []*Field // Struct
	// Extra holds the value type of additionalProperties for a Struct
	// that keeps unknown properties, or nil.
	Extra *Type
	// Closed is set for a Struct whose schema forbids other properties.
	Closed bool

	Values []EnumValue // Enum
	Open   bool        // Enum: values outside Values are accepted

	Variants      []*Variant // Union
	Discriminator string     // Union: JSON property whose const picks the variant, or ""
	Exclusive     bool       // Union: from oneOf, so a tie between variants is an error

	Kinds []Kind // Multi: the JSON kinds it may hold, in schema order

	Underlying *Type // Named
	Target     *Decl // Alias

	// Unions lists the unions this declaration is a variant of.
	Unions []*Decl

	// External, when set, maps the definition to a type of the host code
	// base (-map): nothing is declared for it, and uses refer to that type.
	External *External
}

// Field is one property of a Struct.
type Field struct {
	Name     string // Go name
	JSONName string
	Doc      string
	Type     *Type // nil for a const field
	Required bool
	// Const holds the JSON text of a fixed value. Const fields have no Go
	// field: they are written on encode and checked on decode.
	Const string
}

// Nullable reports whether the field accepts JSON null.
func (f *Field) Nullable() bool { return f.Type != nil && f.Type.Nullable }

// EnumValue is one constant of an Enum.
type EnumValue struct {
	Name  string // Go constant name
	Value string
	Doc   string
}

// Variant is one member of a Union.
type Variant struct {
	Decl *Decl
	// Value is set when the variant's type is a non-struct (a list, map or
	// scalar): such variants implement the union with value receivers;
	// structs implement it with pointer receivers.
	Value bool
	// DiscriminatorValue is the const of the union's discriminator in this variant.
	DiscriminatorValue string
	Shape              Shape
}

// Shape is what decoding needs to recognise a variant from its JSON.
type Shape struct {
	Kinds    []Kind
	Required []string
	Known    []string
	Consts   []ConstProp
	Closed   bool
}

// ConstProp is a property fixed to one JSON value.
type ConstProp struct {
	Name  string
	Value string // JSON text
}

// Kind is a JSON kind.
type Kind int

const (
	KindAny Kind = iota
	KindString
	KindInteger
	KindNumber
	KindBoolean
	KindObject
	KindArray
	KindNull
)

var kindNames = [...]string{"any", "string", "integer", "number", "boolean", "object", "array", "null"}

func (k Kind) String() string { return kindNames[k] }

// TypeKind says what a Type is.
type TypeKind int

const (
	TAny TypeKind = iota
	TString
	TInteger
	TNumber
	TBoolean
	TRef // a declaration
	TList
	TMap
)

// Type is the Go type of a field, element or map value.
type Type struct {
	Kind     TypeKind
	Decl     *Decl // TRef
	Elem     *Type // TList, TMap
	Nullable bool
}

// AnyUse is a position typed as an arbitrary JSON value.
type AnyUse struct {
	Pointer string
	// Unconstrained is true when the schema there accepts any JSON value
	// ({} or true), so `any` is the precise type. A false value means a
	// constrained schema lost its type: a generator defect.
	Unconstrained bool
}

// Rename records a Go name that was changed to avoid a collision.
type Rename struct {
	Pointer string
	Wanted  string
	Got     string
	Reason  string
}

// Resolve follows aliases to the declaration that defines the type.
func (d *Decl) Resolve() *Decl {
	for d.Kind == Alias {
		d = d.Target
	}
	return d
}

// Exported is the Go name of an identifier the package declares that no
// definition names, such as a dispatcher, an error code or a helper
// function: base, with the package's prefix in front. Names made from a
// declaration's name (NewTask, UnmarshalContentBlock) carry the prefix
// already in that name.
func (p *Package) Exported(base string) string { return p.Prefix + base }
