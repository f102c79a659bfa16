package generator

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

const ctxPkg = "context"

// protocol prints method constants, error codes, capability and _meta
// helpers, and the task notification helper.
func (g *gen) protocol(f *jen.File) {
	p := g.pkg.Protocol
	var consts []jen.Code
	for _, m := range p.Methods {
		kind := "request"
		if m.Notification {
			kind = "notification"
		}
		consts = append(consts, comment(fmt.Sprintf("%s is the method of %s, a %s.", m.Const, m.Message.Name, kind)), jen.Id(m.Const).Op("=").Lit(m.Name))
	}
	f.Comment("// The JSON-RPC methods of this revision.")
	f.Const().Defs(consts...)

	g.methodTable(f)

	f.Comment("// JSON-RPC error codes the dispatchers answer with.")
	f.Const().Defs(
		jen.Id(g.id("CodeParseError")).Op("=").Lit(-32700),
		jen.Id(g.id("CodeInvalidRequest")).Op("=").Lit(-32600),
		jen.Id(g.id("CodeMethodNotFound")).Op("=").Lit(-32601),
		jen.Id(g.id("CodeInvalidParams")).Op("=").Lit(-32602),
		jen.Id(g.id("CodeInternalError")).Op("=").Lit(-32603),
	)

	errT := p.Error.Name
	f.Commentf("// Error makes %s a Go error, so that handlers can return one with its\n// own code.", an(errT))
	f.Func().Params(jen.Id("e").Op("*").Id(errT)).Id("Error").Params().String().Block(
		jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit("%s (%d)"), jen.Id("e").Dot("Message"), jen.Id("e").Dot("Code"))),
	)

	for _, side := range p.Sides {
		if side.Capabilities != nil {
			g.capabilityHelpers(f, side)
		}
	}
	if p.Extension != nil {
		g.extensionHelpers(f)
		if l := g.pkg.Lifecycle; l != nil && l.Task != nil {
			g.taskConstructor(f, p.CreateTaskResult, "the answer that starts a task", l.Task)
		}
	}

	if p.RelatedTaskKey != "" {
		rt := p.RelatedTask.Name
		f.Comment("// RelatedTaskMetaKey is the _meta key that ties a request, notification or\n// response to a task.")
		f.Const().Id(g.id("RelatedTaskMetaKey")).Op("=").Lit(p.RelatedTaskKey)
		f.Commentf("// RelatedTaskOf reads the %s entry of a _meta object, whether it was\n// decoded from JSON or set with SetRelatedTask.", p.RelatedTaskKey)
		f.Func().Id(g.id("RelatedTaskOf")).Params(jen.Id("meta").Map(jen.String()).Any()).Params(jen.Id(rt), jen.Bool()).Block(
			jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("meta").Index(jen.Id(g.id("RelatedTaskMetaKey"))),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Id(rt).Values(), jen.False())),
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("v")),
			jen.Var().Id("r").Id(rt),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Id("r").Dot("UnmarshalJSON").Call(jen.Id("data")).Op("!=").Nil()).Block(jen.Return(jen.Id(rt).Values(), jen.False())),
			jen.Return(jen.Id("r"), jen.True()),
		)
		f.Comment("// SetRelatedTask sets the related-task entry of a _meta object to taskID and\n// returns the object, allocating it when meta is nil.")
		f.Func().Id(g.id("SetRelatedTask")).Params(jen.Id("meta").Map(jen.String()).Any(), jen.Id("taskID").String()).Map(jen.String()).Any().Block(
			jen.If(jen.Id("meta").Op("==").Nil()).Block(jen.Id("meta").Op("=").Map(jen.String()).Any().Values()),
			jen.Id("meta").Index(jen.Id(g.id("RelatedTaskMetaKey"))).Op("=").Id(rt).Values(jen.Dict{jen.Id(relatedTaskIDField(p)): jen.Id("taskID")}),
			jen.Return(jen.Id("meta")),
		)
	}

	if l := g.pkg.Lifecycle; l != nil && p.Extension == nil {
		f.Commentf("// ValidateCancel returns the error tasks/cancel must answer for a task in\n// status s: %s with invalid params (%d) when s is terminal, since a\n// finished task cannot be cancelled, and nil otherwise.", an("*"+errT), -32602)
		f.Func().Id(g.id("ValidateCancel")).Params(jen.Id("s").Id(l.Status.Name)).Error().Block(
			jen.If(jen.Id("s").Dot("IsTerminal").Call()).Block(
				jen.Return(jen.Op("&").Id(errT).Values(jen.Dict{
					jen.Id("Code"):    jen.Id(g.id("CodeInvalidParams")),
					jen.Id("Message"): jen.Qual("fmt", "Sprintf").Call(jen.Lit("cannot cancel a task that is already %s"), jen.Id("s")),
				})),
			),
			jen.Return(jen.Nil()),
		)
		if n := p.TaskStatusNotification; n != nil && l.Task != nil && n.Params != nil && n.Params.Kind == ir.TRef && n.Params.Decl.Resolve().Kind == ir.Struct {
			g.taskNotification(f, n, l.Task)
		}
		if l.Task != nil {
			g.taskResults(f, l.Task)
		}
	}
}

func relatedTaskIDField(p *ir.Protocol) string {
	for _, f := range p.RelatedTask.Resolve().Fields {
		if f.JSONName == "taskId" {
			return f.Name
		}
	}
	return "TaskID"
}

// fieldPath prints x.A != nil && x.A.B != nil && ... for a chain of
// optional fields.
func fieldPath(recv string, path []*ir.Field) jen.Code {
	var cond *jen.Statement
	expr := jen.Id(recv)
	for _, f := range path {
		expr = jen.Add(expr).Dot(f.Name)
		test := jen.Add(expr).Op("!=").Nil()
		if cond == nil {
			cond = test
		} else {
			cond = cond.Op("&&").Add(test)
		}
	}
	return cond
}

func (g *gen) capabilityHelpers(f *jen.File, side *ir.Side) {
	caps := side.Capabilities.Name
	p := g.pkg.Protocol
	if len(side.TaskRequests) > 0 {
		var cases []jen.Code
		for _, tc := range side.TaskRequests {
			var key jen.Code = jen.Lit(tc.Method)
			for _, m := range p.Methods {
				if m.Name == tc.Method {
					key = jen.Id(m.Const)
				}
			}
			cases = append(cases, jen.Case(key).Block(jen.Return(fieldPath("c", tc.Path))))
		}
		f.Commentf("// TaskAugmentable reports whether c declares that requests of method may\n// be task-augmented (tasks.requests in the capabilities). The list is\n// exhaustive: a method it does not name may not be augmented.")
		f.Func().Params(jen.Id("c").Op("*").Id(caps)).Id("TaskAugmentable").Params(jen.Id("method").String()).Bool().Block(
			jen.If(jen.Id("c").Op("==").Nil()).Block(jen.Return(jen.False())),
			jen.Switch(jen.Id("method")).Block(cases...),
			jen.Return(jen.False()),
		)
	}
	for _, h := range []struct {
		name, what string
		path       []*ir.Field
	}{{"SupportsTaskList", "tasks/list", side.TaskList}, {"SupportsTaskCancel", "tasks/cancel", side.TaskCancel}} {
		if h.path == nil {
			continue
		}
		f.Commentf("// %s reports whether c declares support for %s.", h.name, h.what)
		f.Func().Params(jen.Id("c").Op("*").Id(caps)).Id(h.name).Params().Bool().Block(
			jen.Return(jen.Id("c").Op("!=").Nil().Op("&&").Add(fieldPath("c", h.path))),
		)
	}
}

// taskNotification prints the constructor of the task status notification
// from a task: the fields the notification's params share with the task
// are copied.
func (g *gen) taskNotification(f *jen.File, n *ir.Method, task *ir.Decl) {
	params := n.Params.Decl.Resolve()
	dict, _ := copyTaskFields(task, params)
	f.Commentf("// New%s returns the %s notification that reports t.", n.Message.Name, n.Name)
	f.Func().Id("New" + n.Message.Name).Params(jen.Id("t").Op("*").Id(task.Name)).Op("*").Id(n.Message.Name).Block(
		jen.Return(jen.Op("&").Id(n.Message.Name).Values(jen.Dict{jen.Id("Params"): jen.Id(params.Name).Values(dict)})),
	)
}

// taskConstructor prints NewX(t *Task) *X for a struct X that holds every
// field of the task (with the same types), copying them; it prints
// nothing for one that does not.
func (g *gen) taskConstructor(f *jen.File, d *ir.Decl, what string, task *ir.Decl) {
	res := d.Resolve()
	if res.Kind != ir.Struct {
		return
	}
	dict, all := copyTaskFields(task, res)
	if !all {
		return
	}
	f.Commentf("// New%s returns %s, reporting t.", d.Name, what)
	f.Func().Id("New" + d.Name).Params(jen.Id("t").Op("*").Id(task.Name)).Op("*").Id(d.Name).Block(
		jen.Return(jen.Op("&").Id(d.Name).Values(dict)),
	)
}

// taskResults prints a constructor from the task for every result of the
// task methods that holds all the task's fields (GetTaskResult and
// CancelTaskResult are Result ∧ Task), so that servers do not copy fields
// by hand, and GetTaskPayloadResult's from any result.
func (g *gen) taskResults(f *jen.File, task *ir.Decl) {
	p := g.pkg.Protocol
	for _, key := range []string{"get", "cancel"} {
		m := p.TaskMethods[key]
		if m == nil || m.Result == nil || m.Result.Resolve().Kind != ir.Struct {
			continue
		}
		g.taskConstructor(f, m.Result, "the "+m.Name+" answer", task)
	}
	if m := p.TaskMethods["result"]; m != nil && m.Result != nil && m.Result.Resolve().Kind == ir.Struct {
		res := m.Result.Name
		f.Commentf("// New%s wraps the result the original request would have returned\n// as the answer to %s.", res, m.Name)
		f.Func().Id("New"+res).Params(jen.Id("result").Any()).Params(jen.Op("*").Id(res), jen.Error()).Block(
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("result")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Id("out").Op(":=").New(jen.Id(res)),
			jen.If(jen.Err().Op(":=").Id("out").Dot("UnmarshalJSON").Call(jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("out"), jen.Nil()),
		)
	}
}

// copyTaskFields maps each field of to that the task has too (same JSON
// name, same Go type) to t's field, and reports whether every task field
// found a place.
func copyTaskFields(task, to *ir.Decl) (jen.Dict, bool) {
	dict := jen.Dict{}
	all := true
	for _, tf := range task.Fields {
		found := false
		for _, f := range to.Fields {
			if f.JSONName == tf.JSONName && f.Type != nil && tf.Type != nil && sameType(f, tf) {
				dict[jen.Id(f.Name)] = jen.Id("t").Dot(tf.Name)
				found = true
			}
		}
		all = all && found
	}
	return dict, all
}

func sameType(a, b *ir.Field) bool {
	var ga, gb strings.Builder
	jen.Add(fieldType(a)).Render(&ga)
	jen.Add(fieldType(b)).Render(&gb)
	return ga.String() == gb.String()
}

// paramsType is the Go type a handler receives for m's params.
func paramsType(m *ir.Method) *jen.Statement {
	if m.Params.Kind == ir.TRef && m.Params.Decl.Resolve().Kind == ir.Union {
		return jen.Id(m.Params.Decl.Name)
	}
	return jen.Op("*").Add(goType(m.Params))
}

func handlerParams(m *ir.Method) []jen.Code {
	ps := []jen.Code{jen.Id("ctx").Qual(ctxPkg, "Context")}
	if m.Params != nil {
		ps = append(ps, jen.Id("params").Add(paramsType(m)))
	}
	return ps
}

type group struct {
	name    string
	methods []*ir.Method
}

func groups(side *ir.Side) []group {
	var out []group
	add := func(m *ir.Method) {
		for i := range out {
			if out[i].name == m.Group {
				out[i].methods = append(out[i].methods, m)
				return
			}
		}
		out = append(out, group{m.Group, []*ir.Method{m}})
	}
	for _, m := range side.Requests {
		add(m)
	}
	for _, m := range side.Notifications {
		add(m)
	}
	return out
}

// resultType is what a handler returns: a pointer to the result struct,
// or the interface of a union result (such as the extension's
// GetTaskResult, one of its task states).
func resultType(m *ir.Method) *jen.Statement {
	if m.Result.Resolve().Kind == ir.Union {
		return jen.Id(m.Result.Name)
	}
	return jen.Op("*").Id(m.Result.Name)
}

func taskHandler(m *ir.Method) string { return m.Handler + "AsTask" }

// handlers prints, per side, the handler interfaces (one per group of
// methods, and one that embeds them all) and the Unimplemented type.
func (g *gen) handlers(f *jen.File) {
	p := g.pkg.Protocol
	for _, side := range p.Sides {
		var all []jen.Code
		for _, gr := range groups(side) {
			iface := g.id(side.Name + gr.name + "Handler")
			var methods []jen.Code
			for _, m := range gr.methods {
				if m.Notification {
					methods = append(methods, comment(fmt.Sprintf("%s handles the %s notification.", m.Handler, m.Name)),
						jen.Id(m.Handler).Params(handlerParams(m)...).Error())
					continue
				}
				methods = append(methods, comment(fmt.Sprintf("%s handles %s.", m.Handler, m.Name)),
					jen.Id(m.Handler).Params(handlerParams(m)...).Params(resultType(m), jen.Error()))
				if m.TaskAugmentable {
					methods = append(methods, comment(fmt.Sprintf("%s handles a task-augmented %s: it starts the work and\nanswers at once with the task.", taskHandler(m), m.Name)),
						jen.Id(taskHandler(m)).Params(handlerParams(m)...).Params(jen.Op("*").Id(p.CreateTaskResult.Name), jen.Error()))
				}
			}
			if gr.name == "Notifications" {
				f.Commentf("// %s handles the notifications a %s receives.", iface, strings.ToLower(side.Name))
			} else {
				f.Commentf("// %s handles the %s requests a %s receives.", iface, strings.ToLower(gr.name), strings.ToLower(side.Name))
			}
			f.Type().Id(iface).Interface(methods...)
			all = append(all, jen.Id(iface))
		}
		h := g.id(side.Name + "Handler")
		unimpl := g.id("Unimplemented" + side.Name + "Handler")
		f.Commentf("// %s handles everything a %s receives. Embed %s\n// in an implementation to handle only some of it: the rest answers\n// method not found (%d) and ignores notifications.", h, strings.ToLower(side.Name), unimpl, -32601)
		f.Type().Id(h).Interface(all...)

		f.Commentf("// %s answers every request with method not found.", unimpl)
		f.Type().Id(unimpl).Struct()
		for _, m := range side.Requests {
			anon := []jen.Code{jen.Qual(ctxPkg, "Context")}
			if m.Params != nil {
				anon = append(anon, paramsType(m))
			}
			f.Func().Params(jen.Id(unimpl)).Id(m.Handler).Params(anon...).Params(resultType(m), jen.Error()).Block(
				jen.Return(jen.Nil(), jen.Id("methodNotFound").Call(jen.Id(m.Const))),
			)
			if m.TaskAugmentable {
				f.Func().Params(jen.Id(unimpl)).Id(taskHandler(m)).Params(anon...).Params(jen.Op("*").Id(p.CreateTaskResult.Name), jen.Error()).Block(
					jen.Return(jen.Nil(), jen.Id("methodNotFound").Call(jen.Id(m.Const))),
				)
			}
		}
		for _, m := range side.Notifications {
			anon := []jen.Code{jen.Qual(ctxPkg, "Context")}
			if m.Params != nil {
				anon = append(anon, paramsType(m))
			}
			f.Func().Params(jen.Id(unimpl)).Id(m.Handler).Params(anon...).Error().Block(jen.Return(jen.Nil()))
		}
		f.Var().Id("_").Id(h).Op("=").Id(unimpl).Values()
	}
}

// methodTable prints Methods, the table that pairs every method with its
// params and result types.
func (g *gen) methodTable(f *jen.File) {
	p := g.pkg.Protocol
	f.Comment("// MethodInfo describes one JSON-RPC method of this revision.")
	f.Type().Id(g.id("MethodInfo")).Struct(
		jen.Id("Method").String(),
		jen.Id("Notification").Bool(),
		comment("ReceivedBy names the sides whose handlers serve the method: \"server\",\n\"client\" or both."),
		jen.Id("ReceivedBy").Index().String(),
		comment("DecodeParams decodes and validates the params, returning a pointer to\nthe params type (or the member, for a union)."),
		jen.Id("DecodeParams").Func().Params(jen.Index().Byte()).Params(jen.Any(), jen.Error()),
		comment("DecodeResult does the same for a request's result; it is nil for a\nnotification."),
		jen.Id("DecodeResult").Func().Params(jen.Index().Byte()).Params(jen.Any(), jen.Error()),
		comment("TaskAugmentable is set for requests whose params may carry a task; the\nanswer to such a request may then be a CreateTaskResult."),
		jen.Id("TaskAugmentable").Bool(),
	)
	decodeFn := func(t *ir.Type) jen.Code {
		if t.Kind == ir.TRef && t.Decl.Resolve().Kind == ir.Union {
			return jen.Id("decodeAsAny").Call(jen.Id("Unmarshal" + t.Decl.Resolve().Name))
		}
		return jen.Id("decodeNew").Types(goType(t))
	}
	var rows []jen.Code
	for _, m := range p.Methods {
		var sides []jen.Code
		for _, side := range p.Sides {
			for _, x := range append(append([]*ir.Method{}, side.Requests...), side.Notifications...) {
				if x == m {
					sides = append(sides, jen.Lit(strings.ToLower(side.Name)))
				}
			}
		}
		dict := jen.Dict{
			jen.Id("Method"):     jen.Id(m.Const),
			jen.Id("ReceivedBy"): jen.Index().String().Values(sides...),
		}
		if m.Notification {
			dict[jen.Id("Notification")] = jen.True()
		}
		if m.Params != nil {
			dict[jen.Id("DecodeParams")] = decodeFn(m.Params)
		}
		if m.Result != nil {
			dict[jen.Id("DecodeResult")] = decodeFn(&ir.Type{Kind: ir.TRef, Decl: m.Result})
		}
		if m.TaskAugmentable {
			dict[jen.Id("TaskAugmentable")] = jen.True()
		}
		rows = append(rows, jen.Values(dict))
	}
	f.Commentf("// %s pairs every method of this revision with its params and result\n// types, as the schema's request, notification and result unions give\n// them.", g.id("Methods"))
	f.Var().Id(g.id("Methods")).Op("=").Index().Id(g.id("MethodInfo")).Values(rows...)
	f.Comment("// LookupMethod returns the MethodInfo of method.")
	f.Func().Id(g.id("LookupMethod")).Params(jen.Id("method").String()).Params(jen.Id(g.id("MethodInfo")), jen.Bool()).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("m")).Op(":=").Range().Id(g.id("Methods"))).Block(
			jen.If(jen.Id("m").Dot("Method").Op("==").Id("method")).Block(jen.Return(jen.Id("m"), jen.True())),
		),
		jen.Return(jen.Id(g.id("MethodInfo")).Values(), jen.False()),
	)
	f.Func().Id("decodeNew").Types(jen.Id("T").Any()).Params(jen.Id("data").Index().Byte()).Params(jen.Any(), jen.Error()).Block(
		jen.Id("v").Op(":=").New(jen.Id("T")),
		jen.If(jen.Err().Op(":=").Id("decodeValue").Call(jen.Id("data"), jen.Id("v")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
	f.Func().Id("decodeAsAny").Types(jen.Id("T").Any()).Params(jen.Id("f").Func().Params(jen.Index().Byte()).Params(jen.Id("T"), jen.Error())).Func().Params(jen.Index().Byte()).Params(jen.Any(), jen.Error()).Block(
		jen.Return(jen.Func().Params(jen.Id("data").Index().Byte()).Params(jen.Any(), jen.Error()).Block(
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Id("f").Call(jen.Id("data")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("v"), jen.Nil()),
		)),
	)
}

// extensionHelpers prints what an extension adds to negotiation: its
// identifier, the per-request declaration check, the missing-capability
// and header-mismatch errors, and the decoder for results that may be a
// task.
func (g *gen) extensionHelpers(f *jen.File) {
	p := g.pkg.Protocol
	ext := p.Extension
	errT := p.Error.Name
	f.Comment("// ExtensionID identifies the extension in capabilities.")
	f.Const().Id(g.id("ExtensionID")).Op("=").Lit(ext.ID)
	f.Comment("// ClientCapabilitiesMetaKey is the params._meta key under which a client\n// declares its capabilities on every request.")
	f.Const().Id(g.id("ClientCapabilitiesMetaKey")).Op("=").Lit(ext.ClientCapabilitiesMetaKey)
	f.Const().Defs(
		comment(fmt.Sprintf("CodeMissingCapability answers a client that did not declare %s.", ext.ID)),
		jen.Id(g.id("CodeMissingCapability")).Op("=").Lit(int(ext.MissingCapabilityCode)),
		comment(fmt.Sprintf("CodeHeaderMismatch answers a request whose %s header disagrees\nwith its body.", ext.NameHeader)),
		jen.Id(g.id("CodeHeaderMismatch")).Op("=").Lit(int(ext.HeaderMismatchCode)),
		comment("NameHeader is the HTTP header that repeats the name a request acts on."),
		jen.Id(g.id("NameHeader")).Op("=").Lit(ext.NameHeader),
	)

	f.Commentf("// ExtensionDeclared reports whether a request's params._meta declares the\n// extension: _meta[%q].extensions[%q] is present.", ext.ClientCapabilitiesMetaKey, ext.ID)
	f.Func().Id(g.id("ExtensionDeclared")).Params(jen.Id("meta").Map(jen.String()).Any()).Bool().Block(
		jen.List(jen.Id("caps"), jen.Id("_")).Op(":=").Id("meta").Index(jen.Id(g.id("ClientCapabilitiesMetaKey"))).Assert(jen.Map(jen.String()).Any()),
		jen.List(jen.Id("exts"), jen.Id("_")).Op(":=").Id("caps").Index(jen.Lit("extensions")).Assert(jen.Map(jen.String()).Any()),
		jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("exts").Index(jen.Id(g.id("ExtensionID"))),
		jen.Return(jen.Id("ok")),
	)
	f.Comment("// ExtensionIn reports whether an extensions map of capabilities (a server's,\n// from server/discover, or a client's) declares this extension. It takes\n// any map type, such as the core package's map[string]JSONObject.")
	f.Func().Id(g.id("ExtensionIn")).Types(jen.Id("V").Any()).Params(jen.Id("extensions").Map(jen.String()).Id("V")).Bool().Block(
		jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("extensions").Index(jen.Id(g.id("ExtensionID"))),
		jen.Return(jen.Id("ok")),
	)
	f.Comment("// paramsMeta reads params._meta of a raw request, for checks made before\n// the params are decoded, exactly as the decoders read it: the exact key,\n// the last one when repeated. Params that are no object are an error.")
	f.Func().Id("paramsMeta").Params(jen.Id("params").Qual(jsonPkg, "RawMessage")).Params(jen.Map(jen.String()).Any(), jen.Error()).Block(
		jen.If(jen.Len(jen.Id("params")).Op("==").Lit(0).Op("||").Id("jsonKind").Call(jen.Id("params")).Op("==").Lit("null")).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.List(jen.Id("raw"), jen.Id("ok"), jen.Err()).Op(":=").Id("memberValue").Call(jen.Id("params"), jen.Lit("_meta")),
		jen.If(jen.Err().Op("!=").Nil().Op("||").Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Var().Id("meta").Any(),
		jen.If(jen.Err().Op(":=").Id("decodeAny").Call(jen.Id("raw"), jen.Op("&").Id("meta")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("atPath").Call(jen.Err(), jen.Lit("_meta")))),
		jen.List(jen.Id("m"), jen.Id("_")).Op(":=").Id("meta").Assert(jen.Map(jen.String()).Any()),
		jen.Return(jen.Id("m"), jen.Nil()),
	)
	f.Commentf("// MissingCapabilityError is the error (%d) for a client that did not\n// declare the extension; data.requiredCapabilities names it.", ext.MissingCapabilityCode)
	f.Func().Id(g.id("MissingCapabilityError")).Params().Op("*").Id(errT).Block(
		jen.Return(jen.Op("&").Id(errT).Values(jen.Dict{
			jen.Id("Code"):    jen.Id(g.id("CodeMissingCapability")),
			jen.Id("Message"): jen.Lit("missing required client capability: " + ext.ID),
			jen.Id("Data"): jen.Map(jen.String()).Any().Values(jen.Dict{
				jen.Lit("requiredCapabilities"): jen.Map(jen.String()).Any().Values(jen.Dict{
					jen.Lit("extensions"): jen.Map(jen.String()).Any().Values(jen.Dict{jen.Id(g.id("ExtensionID")): jen.Map(jen.String()).Any().Values()}),
				}),
			}),
		})),
	)
	var cases []jen.Code
	for _, method := range sortedKeys(ext.NameParams) {
		cases = append(cases, jen.Case(jen.Lit(method)).Block(jen.Id("param").Op("=").Lit(ext.NameParams[method])))
	}
	f.Commentf("// ValidateNameHeader checks the %s header of an HTTP request against\n// the param it repeats (taskId of the task methods, name of tools/call):\n// a header that is missing or disagrees is answered %d. Methods without\n// such a param pass.", ext.NameHeader, ext.HeaderMismatchCode)
	f.Func().Id(g.id("ValidateNameHeader")).Params(jen.Id("method"), jen.Id("header").String(), jen.Id("params").Qual(jsonPkg, "RawMessage")).Op("*").Id(errT).Block(
		jen.Var().Id("param").String(),
		jen.Switch(jen.Id("method")).Block(cases...),
		jen.If(jen.Id("param").Op("==").Lit("")).Block(jen.Return(jen.Nil())),
		jen.Var().Id("body").Map(jen.String()).Any(),
		jen.Id("_").Op("=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("params"), jen.Op("&").Id("body")),
		jen.List(jen.Id("want"), jen.Id("_")).Op(":=").Id("body").Index(jen.Id("param")).Assert(jen.String()),
		jen.If(jen.Id("header").Op("==").Lit("").Op("||").Id("header").Op("!=").Id("want")).Block(
			jen.Return(jen.Op("&").Id(errT).Values(jen.Dict{
				jen.Id("Code"):    jen.Id(g.id("CodeHeaderMismatch")),
				jen.Id("Message"): jen.Qual("fmt", "Sprintf").Call(jen.Lit(ext.NameHeader+" header %q does not match params.%s %q"), jen.Id("header"), jen.Id("param"), jen.Id("want")),
			})),
		),
		jen.Return(jen.Nil()),
	)

	ct := p.CreateTaskResult.Resolve()
	taskTag := ""
	for _, fl := range ct.Fields {
		if fl.JSONName == "resultType" && fl.Const != "" {
			taskTag = fl.Const
		}
	}
	if taskTag != "" {
		f.Commentf("// DecodeTaskAugmentedResult decodes the answer to a request the server may\n// run as a task (%s): %s when resultType is %s,\n// and otherwise the normal result, decoded into complete (an absent\n// resultType, from an older server, means complete, and is decoded as\n// such). It returns the task, or nil when complete was filled in.", strings.Join(ext.Augmentable, ", "), an("*"+ct.Name), taskTag)
		f.Func().Id(g.id("DecodeTaskAugmentedResult")).Params(jen.Id("data").Index().Byte(), jen.Id("complete").Qual(jsonPkg, "Unmarshaler")).Params(jen.Op("*").Id(ct.Name), jen.Error()).Block(
			jen.List(jen.Id("raw"), jen.Id("present"), jen.Err()).Op(":=").Id("memberValue").Call(jen.Id("data"), jen.Lit("resultType")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Var().Id("resultType").String(),
			jen.If(jen.Id("present")).Block(
				jen.If(jen.Err().Op(":=").Id("decodeString").Call(jen.Id("raw"), jen.Op("&").Id("resultType")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("atPath").Call(jen.Err(), jen.Lit("resultType")))),
			),
			jen.If(jen.Id("resultType").Op("==").Lit(strings.Trim(taskTag, `"`))).Block(
				jen.Id("t").Op(":=").New(jen.Id(ct.Name)),
				jen.If(jen.Err().Op(":=").Id("t").Dot("UnmarshalJSON").Call(jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				jen.Return(jen.Id("t"), jen.Nil()),
			),
			jen.If(jen.Op("!").Id("present")).Block(
				jen.Comment("// Absent means complete: say so, for result types that require it."),
				jen.Id("i").Op(":=").Qual("bytes", "IndexByte").Call(jen.Id("data"), jen.LitByte('{')),
				jen.Id("rest").Op(":=").Qual("bytes", "TrimSpace").Call(jen.Id("data").Index(jen.Id("i").Op("+").Lit(1), jen.Empty())),
				jen.Id("sep").Op(":=").Lit(","),
				jen.If(jen.Len(jen.Id("rest")).Op(">").Lit(0).Op("&&").Id("rest").Index(jen.Lit(0)).Op("==").LitByte('}')).Block(jen.Id("sep").Op("=").Lit("")),
				jen.Id("data").Op("=").Qual("slices", "Concat").Call(jen.Id("data").Index(jen.Empty(), jen.Id("i").Op("+").Lit(1)), jen.Index().Byte().Parens(jen.Lit(`"resultType":"complete"`).Op("+").Id("sep")), jen.Id("data").Index(jen.Id("i").Op("+").Lit(1), jen.Empty())),
			),
			jen.Return(jen.Nil(), jen.Id("complete").Dot("UnmarshalJSON").Call(jen.Id("data"))),
		)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
