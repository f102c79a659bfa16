package ir

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mcpgen-dev/mcpgen/schema"
)

// Protocol describes the JSON-RPC methods of a revision: who handles which
// request, with what params and result, and the task rules around them.
type Protocol struct {
	File  string
	Sides []*Side
	// Methods lists every method once, for the method constants.
	Methods []*Method
	// Error is the JSON-RPC error object type.
	Error *Decl
	// CreateTaskResult answers a task-augmented request.
	CreateTaskResult *Decl
	// ToolTaskSupport describes the tool-level execution.taskSupport rule,
	// or is nil.
	ToolTaskSupport *ToolTaskSupport
	// RelatedTaskKey is the _meta key that ties messages to a task, and
	// RelatedTask its value's type.
	RelatedTaskKey string
	RelatedTask    *Decl
	// TaskStatusNotification is the notification that carries a task.
	TaskStatusNotification *Method
	// TaskMethods maps get, result, list, update and cancel to their methods.
	TaskMethods map[string]*Method
	// Extension is set for an extension's bindings.
	Extension *schema.Extension
}

// Side is one receiving side: the requests and notifications it handles.
type Side struct {
	// Name is "Server" or "Client": the side whose handler this is.
	Name          string
	Capabilities  *Decl
	Requests      []*Method
	Notifications []*Method
	// TaskRequests lists the augmentable methods the capabilities object
	// can declare (tasks.requests.GROUP.NAME), with the field path.
	TaskRequests []TaskCapability
	// TaskList and TaskCancel are the field paths of tasks.list and
	// tasks.cancel in the capabilities, or nil.
	TaskList, TaskCancel []*Field
}

// TaskCapability pairs a method with the capability fields that declare it
// augmentable.
type TaskCapability struct {
	Method string
	Path   []*Field
}

// Method is one request or notification.
type Method struct {
	Name string // JSON-RPC method, such as "tools/call"
	// Const is the Go constant for Name; Handler the handler method.
	Const, Handler string
	Notification   bool
	Message        *Decl // the request or notification type
	Params         *Type // nil when the message has no params property
	ParamsRequired bool
	Result         *Decl // requests only
	// Group collects related methods into one handler interface ("Tools",
	// "Tasks"; "Lifecycle" for methods without a slash).
	Group string
	// TaskAugmentable is set when the params carry a `task` property.
	TaskAugmentable bool
}

// ToolTaskSupport is the tool-level rule for task augmentation.
type ToolTaskSupport struct {
	Method                       string
	NameField                    *Field
	Type                         *Decl
	Default, Required, Forbidden EnumValue
}

func (b *builder) checkProtocol(p *schema.Protocol) (*Protocol, error) {
	fail := func(ptr, format string, args ...any) error {
		return &schema.Error{File: p.File, Pointer: ptr, Reason: fmt.Sprintf(format, args...)}
	}
	def := func(ptr, name string, kinds ...DeclKind) (*Decl, error) {
		d := b.defs[name]
		for _, x := range b.pkg.Decls {
			if d == nil && x.Name == name {
				d = x // an inline type, by its Go name
			}
		}
		if d == nil {
			return nil, fail(ptr, "the schema has no definition or type %q", name)
		}
		if len(kinds) > 0 && !slices.Contains(kinds, d.Resolve().Kind) {
			return nil, fail(ptr, "%s is not of the expected kind", name)
		}
		return d, nil
	}
	out := &Protocol{File: p.File, RelatedTaskKey: p.RelatedTaskMetaKey, TaskMethods: map[string]*Method{}}
	var err error
	if out.Error, err = def("", "Error", Struct); err != nil {
		return nil, err
	}
	if out.CreateTaskResult, err = def("/createTaskResult", p.CreateTaskResult, Struct); err != nil {
		return nil, err
	}
	if p.RelatedTaskType != "" {
		if out.RelatedTask, err = def("/relatedTaskType", p.RelatedTaskType, Struct); err != nil {
			return nil, err
		}
	}
	out.Extension = p.Extension
	byName := map[string]*Method{}
	for i, sd := range p.Sides {
		ptr := fmt.Sprintf("/sides/%d", i)
		side := &Side{Name: sd.Name}
		if sd.Capabilities != "" {
			if side.Capabilities, err = def(ptr+"/capabilities", sd.Capabilities, Struct); err != nil {
				return nil, err
			}
			side.Capabilities = side.Capabilities.Resolve()
		}
		// The messages come from the schema's unions or, where it has none,
		// from the lists in the data.
		members := func(key, union string, list []string) ([]*Decl, error) {
			if union != "" {
				u, err := def(ptr+"/"+key, union, Union)
				if err != nil {
					return nil, err
				}
				var out []*Decl
				for _, v := range u.Resolve().Variants {
					out = append(out, v.Decl)
				}
				return out, nil
			}
			var out []*Decl
			for i, name := range list {
				d, err := def(fmt.Sprintf("%s/%sTypes/%d", ptr, key, i), name, Struct)
				if err != nil {
					return nil, err
				}
				out = append(out, d)
			}
			return out, nil
		}
		requests, err := members("requests", sd.Requests, sd.RequestTypes)
		if err != nil {
			return nil, err
		}
		var results *Decl
		if sd.Results != "" {
			if results, err = def(ptr+"/results", sd.Results, Union); err != nil {
				return nil, err
			}
			results = results.Resolve()
		}
		notes, err := members("notifications", sd.Notifications, sd.NotificationTypes)
		if err != nil {
			return nil, err
		}
		for _, d := range requests {
			m, err := b.method(d, false, byName)
			if err != nil {
				return nil, err
			}
			if m.Result == nil {
				if m.Result, err = b.resultOf(m, results, p, fail); err != nil {
					return nil, err
				}
			}
			side.Requests = append(side.Requests, m)
		}
		for _, d := range notes {
			m, err := b.method(d, true, byName)
			if err != nil {
				return nil, err
			}
			side.Notifications = append(side.Notifications, m)
		}
		if side.Capabilities != nil {
			if err := b.taskCapabilities(side); err != nil {
				return nil, err
			}
		}
		out.Sides = append(out.Sides, side)
	}
	for _, d := range b.pkg.Decls {
		for _, m := range byName {
			if m.Message == d && !slices.Contains(out.Methods, m) {
				out.Methods = append(out.Methods, m)
			}
		}
	}
	for key, name := range p.TaskMethods {
		m := byName[name]
		if m == nil {
			return nil, fail("/taskMethods/"+key, "no request has method %q", name)
		}
		out.TaskMethods[key] = m
	}
	if p.TaskStatusNotification != "" {
		for _, m := range byName {
			if m.Notification && m.Message.Definition == p.TaskStatusNotification {
				out.TaskStatusNotification = m
			}
		}
		if out.TaskStatusNotification == nil {
			return nil, fail("/taskStatusNotification", "no notification is %s", p.TaskStatusNotification)
		}
	}
	if ts := p.ToolTaskSupport; ts.Method != "" {
		m := byName[ts.Method]
		if m == nil || m.Params == nil || m.Params.Kind != TRef {
			return nil, fail("/toolTaskSupport/method", "no request %q with object params", ts.Method)
		}
		typ, err := def("/toolTaskSupport/type", ts.Type, Enum)
		if err != nil {
			return nil, err
		}
		typ = typ.Resolve()
		rule := &ToolTaskSupport{Method: ts.Method, Type: typ}
		for _, f := range m.Params.Decl.Resolve().Fields {
			if f.JSONName == ts.NameParam && f.Type != nil && f.Type.Kind == TString {
				rule.NameField = f
			}
		}
		if rule.NameField == nil {
			return nil, fail("/toolTaskSupport/nameParam", "%s params have no string property %q", ts.Method, ts.NameParam)
		}
		for _, pair := range []struct {
			ptr, value string
			dst        *EnumValue
		}{{"/default", ts.Default, &rule.Default}, {"/required", ts.Required, &rule.Required}, {"/forbidden", ts.Forbidden, &rule.Forbidden}} {
			i := slices.IndexFunc(typ.Values, func(v EnumValue) bool { return v.Value == pair.value })
			if i < 0 {
				return nil, fail("/toolTaskSupport"+pair.ptr, "%q is not a value of %s", pair.value, typ.Name)
			}
			*pair.dst = typ.Values[i]
		}
		out.ToolTaskSupport = rule
	}
	return out, nil
}

// method describes a request or notification type, once per method name.
func (b *builder) method(d *Decl, notification bool, byName map[string]*Method) (*Method, error) {
	d = d.Resolve()
	var name string
	var params *Field
	for _, f := range d.Fields {
		switch f.JSONName {
		case "method":
			if f.Const == "" {
				return nil, b.errorf(d.Pointer, "%s has no fixed method", d.Name)
			}
			name = strings.Trim(f.Const, `"`)
		case "params":
			params = f
		}
	}
	if name == "" {
		return nil, b.errorf(d.Pointer, "%s has no method property", d.Name)
	}
	if m, ok := byName[name]; ok {
		if m.Message != d {
			return nil, b.errorf(d.Pointer, "method %q is both %s and %s", name, m.Message.Name, d.Name)
		}
		return m, nil
	}
	base := strings.TrimSuffix(strings.TrimSuffix(d.Name, "Request"), "Notification")
	m := &Method{Name: name, Message: d, Notification: notification, Handler: base, Const: "Method" + base}
	if notification {
		m.Handler = "On" + base
		m.Const = "Method" + base + "Notification"
	}
	group, _, ok := strings.Cut(name, "/")
	if !ok || notification {
		group = "lifecycle"
		if notification {
			group = "notifications"
		}
	}
	m.Group = GoName(group)
	if params != nil {
		m.Params = params.Type
		m.ParamsRequired = params.Required
		m.TaskAugmentable = hasTaskField(params.Type)
	}
	byName[name] = m
	return m, nil
}

// hasTaskField reports whether params (a struct, or a union whose members
// are all structs) carry a `task` property.
func hasTaskField(t *Type) bool {
	if t == nil || t.Kind != TRef {
		return false
	}
	d := t.Decl.Resolve()
	structs := []*Decl{d}
	if d.Kind == Union {
		structs = nil
		for _, v := range d.Variants {
			structs = append(structs, v.Decl.Resolve())
		}
	}
	for _, s := range structs {
		if s.Kind != Struct || !slices.ContainsFunc(s.Fields, func(f *Field) bool { return f.JSONName == "task" && f.Type != nil }) {
			return false
		}
	}
	return true
}

// resultOf pairs a request with its result: XRequest is answered by
// XResult when the result union has it, otherwise by the protocol data's
// exception for the method.
func (b *builder) resultOf(m *Method, results *Decl, p *schema.Protocol, fail func(string, string, ...any) error) (*Decl, error) {
	if name, ok := p.ResultExceptions[m.Name]; ok {
		d := b.defs[name]
		if d == nil {
			return nil, fail("/resultExceptions/"+schema.EscapePointer(m.Name), "the schema has no definition %q", name)
		}
		return d, nil
	}
	want := strings.TrimSuffix(m.Message.Name, "Request") + "Result"
	if results == nil {
		if d := b.defs[want]; d != nil {
			return d, nil
		}
		return nil, fail("/resultExceptions", "the schema has no %s for %s; name its result under %q", want, m.Message.Name, m.Name)
	}
	for _, v := range results.Variants {
		if v.Decl.Name == want {
			return v.Decl, nil
		}
	}
	return nil, fail("/resultExceptions", "%s has no %s among the members of %s; name its result under %q", m.Message.Name, want, results.Name, m.Name)
}

// taskCapabilities finds tasks.requests.GROUP.NAME, tasks.list and
// tasks.cancel in a capabilities struct.
func (b *builder) taskCapabilities(side *Side) error {
	field := func(d *Decl, name string) *Field {
		if d == nil {
			return nil
		}
		for _, f := range d.Resolve().Fields {
			if f.JSONName == name && f.Type != nil && f.Type.Kind == TRef {
				return f
			}
			if f.JSONName == name && f.Type != nil && f.Type.Kind == TMap {
				return f
			}
		}
		return nil
	}
	tasks := field(side.Capabilities, "tasks")
	if tasks == nil {
		return nil
	}
	td := tasks.Type.Decl
	if l := field(td, "list"); l != nil {
		side.TaskList = []*Field{tasks, l}
	}
	if c := field(td, "cancel"); c != nil {
		side.TaskCancel = []*Field{tasks, c}
	}
	reqs := field(td, "requests")
	if reqs == nil || reqs.Type.Kind != TRef {
		return nil
	}
	for _, g := range reqs.Type.Decl.Resolve().Fields {
		if g.Type == nil || g.Type.Kind != TRef || g.Type.Decl.Resolve().Kind != Struct {
			continue
		}
		for _, n := range g.Type.Decl.Resolve().Fields {
			if n.Type == nil {
				continue
			}
			side.TaskRequests = append(side.TaskRequests, TaskCapability{
				Method: g.JSONName + "/" + n.JSONName,
				Path:   []*Field{tasks, reqs, g, n},
			})
		}
	}
	return nil
}
