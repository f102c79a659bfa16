package generator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// dispatch prints a dispatcher per side and the helpers they share.
func (g *gen) dispatch(f *jen.File) {
	p := g.pkg.Protocol
	errT := p.Error.Name
	errPtr := func() *jen.Statement { return jen.Op("*").Id(errT) }
	newErr := func(code string, msg jen.Code) jen.Code {
		return jen.Op("&").Id(errT).Values(jen.Dict{jen.Id("Code"): jen.Id(code), jen.Id("Message"): msg})
	}

	for _, side := range p.Sides {
		g.dispatcher(f, side)
	}

	f.Func().Id("methodNotFound").Params(jen.Id("method").String()).Add(errPtr()).Block(
		jen.Return(newErr(g.id("CodeMethodNotFound"), jen.Lit("method not found: ").Op("+").Id("method"))),
	)
	f.Comment("// invalidParams reports params that do not decode, naming the JSON path\n// in the message and, as data.path, on its own.")
	f.Func().Id("invalidParams").Params(jen.Err().Error()).Add(errPtr()).Block(
		jen.Err().Op("=").Id("atPath").Call(jen.Err(), jen.Lit("params")),
		jen.Id("e").Op(":=").Add(newErr(g.id("CodeInvalidParams"), jen.Lit("invalid params: ").Op("+").Err().Dot("Error").Call())),
		jen.If(jen.List(jen.Id("de"), jen.Id("ok")).Op(":=").Err().Assert(jen.Op("*").Id(g.id("DecodeError"))), jen.Id("ok")).Block(
			jen.Id("e").Dot("Data").Op("=").Map(jen.String()).Any().Values(jen.Dict{jen.Lit("path"): jen.Id("de").Dot("Path")}),
		),
		jen.Return(jen.Id("e")),
	)
	f.Comment("// decodeParams decodes the params of a message into dst; absent or null\n// params leave dst zero unless they are required.")
	f.Func().Id("decodeParams").Types(jen.Id("T").Any()).Params(jen.Id("params").Qual(jsonPkg, "RawMessage"), jen.Id("required").Bool(), jen.Id("dst").Op("*").Id("T")).Add(errPtr()).Block(
		jen.If(jen.Len(jen.Id("params")).Op("==").Lit(0).Op("||").Id("jsonKind").Call(jen.Id("params")).Op("==").Lit("null")).Block(
			jen.If(jen.Id("required")).Block(jen.Return(jen.Id("invalidParams").Call(jen.Op("&").Id(g.id("DecodeError")).Values(jen.Dict{jen.Id("Msg"): jen.Lit("required property is missing")})))),
			jen.Return(jen.Nil()),
		),
		jen.If(jen.Err().Op(":=").Id("decodeValue").Call(jen.Id("params"), jen.Id("dst")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Id("invalidParams").Call(jen.Err())),
		),
		jen.Return(jen.Nil()),
	)
	f.Comment("// encodeResult encodes what a handler returned: the result, or its error\n// made a JSON-RPC error.")
	f.Func().Id("encodeResult").Types(jen.Id("T").Any()).Params(jen.Id("res").Op("*").Id("T"), jen.Id("rpcErr").Add(errPtr())).Params(jen.Qual(jsonPkg, "RawMessage"), errPtr()).Block(
		jen.If(jen.Id("rpcErr").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("rpcErr"))),
		jen.If(jen.Id("res").Op("==").Nil()).Block(jen.Return(jen.Nil(), newErr(g.id("CodeInternalError"), jen.Lit("handler returned neither a result nor an error")))),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Id("marshal").Call(jen.Id("res")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), newErr(g.id("CodeInternalError"), jen.Lit("encode result: ").Op("+").Err().Dot("Error").Call()))),
		jen.Return(jen.Id("data"), jen.Nil()),
	)
	if g.unionResults() {
		f.Comment("// encodeUnionResult is encodeResult for a result that is a union member.")
		f.Func().Id("encodeUnionResult").Types(jen.Id("T").Any()).Params(jen.Id("res").Id("T"), jen.Id("rpcErr").Add(errPtr())).Params(jen.Qual(jsonPkg, "RawMessage"), errPtr()).Block(
			jen.If(jen.Id("rpcErr").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("rpcErr"))),
			jen.If(jen.Id("v").Op(":=").Qual("reflect", "ValueOf").Call(jen.Id("res")), jen.Op("!").Id("v").Dot("IsValid").Call().Op("||").Id("v").Dot("Kind").Call().Op("==").Qual("reflect", "Pointer").Op("&&").Id("v").Dot("IsNil").Call()).Block(
				jen.Return(jen.Nil(), newErr(g.id("CodeInternalError"), jen.Lit("handler returned neither a result nor an error"))),
			),
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Id("marshal").Call(jen.Id("res")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), newErr(g.id("CodeInternalError"), jen.Lit("encode result: ").Op("+").Err().Dot("Error").Call()))),
			jen.Return(jen.Id("data"), jen.Nil()),
		)
	}
	f.Comment("// marshal encodes v with its own MarshalJSON when it has one, which spares\n// the copy and second pass encoding/json makes over a Marshaler's output.")
	f.Func().Id("marshal").Params(jen.Id("v").Any()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.List(jen.Id("m"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Qual(jsonPkg, "Marshaler")), jen.Id("ok")).Block(
			jen.Return(jen.Id("m").Dot("MarshalJSON").Call()),
		),
		jen.Return(jen.Qual(jsonPkg, "Marshal").Call(jen.Id("v"))),
	)
	f.Commentf("// toRPCError turns a handler's error into a JSON-RPC error: %s is kept,\n// anything else is told to report and answered %d with no detail, as an\n// error's text or a panic's value can hold what the peer must not see\n// (paths, credentials).", an("*"+errT), -32603)
	f.Func().Id("toRPCError").Params(jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("method").String(), jen.Err().Error(), jen.Id("report").Func().Params(jen.Qual(ctxPkg, "Context"), jen.String(), jen.Error())).Add(errPtr()).Block(
		jen.If(jen.Err().Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Var().Id("e").Add(errPtr()),
		jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("e"))).Block(jen.Return(jen.Id("e"))),
		jen.If(jen.Id("report").Op("!=").Nil()).Block(jen.Id("report").Call(jen.Id("ctx"), jen.Id("method"), jen.Err())),
		jen.Return(newErr(g.id("CodeInternalError"), jen.Lit("internal error"))),
	)
}

func (g *gen) dispatcher(f *jen.File, side *ir.Side) {
	p := g.pkg.Protocol
	errT := p.Error.Name
	name := g.id(side.Name + "Dispatcher")
	var tool *ir.ToolTaskSupport
	for _, m := range side.Requests {
		if ts := p.ToolTaskSupport; ts != nil && ts.Method == m.Name {
			tool = ts
		}
	}

	fields := []jen.Code{jen.Id("Handler").Id(g.id(side.Name + "Handler")),
		comment(fmt.Sprintf("OnInternalError, when set, is told the error or panic behind every\n%d answer: the peer is sent only \"internal error\", so this is where\nthe detail goes (a log). %s a handler returns is sent as it is.", -32603, An("*"+errT))),
		jen.Id("OnInternalError").Func().Params(jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("method").String(), jen.Err().Error())}
	if side.Capabilities != nil {
		fields = append(fields,
			comment(fmt.Sprintf("Capabilities are what this %s declared. They decide which requests\nmay be task-augmented and whether the task list and cancel methods are\nserved.", strings.ToLower(side.Name))),
			jen.Id("Capabilities").Id(side.Capabilities.Name))
	}
	if g.taskLookup(side) {
		st := g.pkg.Lifecycle.Status.Name
		fields = append(fields,
			comment(fmt.Sprintf("TaskStatusOf, when set, reports the status of a task this %s holds.\nThe dispatcher then answers tasks/get, tasks/result and tasks/cancel\nfor an unknown taskId with invalid params (%d), and refuses to cancel a\nterminal task (%d) before the handler runs.", strings.ToLower(side.Name), -32602, -32602)),
			jen.Id("TaskStatusOf").Func().Params(jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("taskID").String()).Params(jen.Id(st), jen.Bool()))
	}
	if tool != nil {
		fields = append(fields,
			comment(fmt.Sprintf("ToolTaskSupport reports a tool's execution.taskSupport for %s, and\nwhether the tool exists. It is consulted only when Capabilities declare\ntask-augmented %s; nil, or an empty answer, means %q. For a tool\nthat does not exist the rules are skipped and the handler answers.", tool.Method, tool.Method, tool.Default.Value)),
			jen.Id("ToolTaskSupport").Func().Params(jen.Id("tool").String()).Params(jen.Id(tool.Type.Name), jen.Bool()))
	}
	f.Commentf("// %s routes what a %s receives to its handler: it decodes\n// params with validation (invalid params answer %d with the JSON path),\n// applies the task rules, calls the handler, and encodes the result or a\n// JSON-RPC error. A handler that panics is answered %d and the dispatcher\n// goes on serving. It is safe for concurrent use if its handler is.", An(name), strings.ToLower(side.Name), -32602, -32603)
	f.Type().Id(name).Struct(fields...)

	recv := func() *jen.Statement { return jen.Id("d").Op("*").Id(name) }
	errPtr := func() *jen.Statement { return jen.Op("*").Id(errT) }
	f.Comment("// rpcError is toRPCError with this dispatcher's OnInternalError.")
	f.Func().Params(recv()).Id("rpcError").Params(jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("method").String(), jen.Err().Error()).Add(errPtr()).Block(
		jen.Return(jen.Id("toRPCError").Call(jen.Id("ctx"), jen.Id("method"), jen.Err(), jen.Id("d").Dot("OnInternalError"))),
	)
	recoverInto := func(dst ...jen.Code) jen.Code {
		return jen.Defer().Func().Params().Block(
			jen.If(jen.Id("r").Op(":=").Recover(), jen.Id("r").Op("!=").Nil()).Block(
				jen.List(dst...).Op("=").ListFunc(func(l *jen.Group) {
					if len(dst) == 2 {
						l.Nil()
					}
					l.Id("d").Dot("rpcError").Call(jen.Id("ctx"), jen.Id("method"), jen.Qual("fmt", "Errorf").Call(jen.Lit("handler panicked: %v"), jen.Id("r")))
				}),
			),
		).Call()
	}
	if tool != nil {
		f.Commentf("// taskSupport is the execution.taskSupport of a tool, %q unless the\n// capabilities declare task-augmented %s and ToolTaskSupport says\n// otherwise; \"\" for a tool ToolTaskSupport does not know.", tool.Default.Value, tool.Method)
		f.Func().Params(recv()).Id("taskSupport").Params(jen.Id("tool").String()).Id(tool.Type.Name).Block(
			jen.If(jen.Id("d").Dot("ToolTaskSupport").Op("==").Nil().Op("||").Op("!").Id("d").Dot("Capabilities").Dot("TaskAugmentable").Call(jen.Lit(tool.Method))).Block(
				jen.Return(jen.Id(tool.Default.Name)),
			),
			jen.List(jen.Id("s"), jen.Id("known")).Op(":=").Id("d").Dot("ToolTaskSupport").Call(jen.Id("tool")),
			jen.Switch().Block(
				jen.Case(jen.Op("!").Id("known")).Block(jen.Return(jen.Lit(""))),
				jen.Case(jen.Id("s").Op("==").Lit("")).Block(jen.Return(jen.Id(tool.Default.Name))),
			),
			jen.Return(jen.Id("s")),
		)
	}

	var cases []jen.Code
	for _, m := range side.Requests {
		cases = append(cases, jen.Case(jen.Id(m.Const)).Block(g.requestCase(side, m, tool)...))
	}
	// An extension's methods first check that the client declared the
	// extension on the request, before anything about the params.
	var guard []jen.Code
	if p.Extension != nil && len(side.Requests) > 0 {
		var consts []jen.Code
		for _, m := range side.Requests {
			consts = append(consts, jen.Id(m.Const))
		}
		guard = append(guard, jen.Switch(jen.Id("method")).Block(
			jen.Case(consts...).Block(
				jen.List(jen.Id("meta"), jen.Err()).Op(":=").Id("paramsMeta").Call(jen.Id("params")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("invalidParams").Call(jen.Err()))),
				jen.If(jen.Op("!").Id(g.id("ExtensionDeclared")).Call(jen.Id("meta"))).Block(
					jen.Return(jen.Nil(), jen.Id(g.id("MissingCapabilityError")).Call()),
				),
			),
		))
	}
	if p.Extension != nil {
		f.Commentf("// Dispatch handles one request: method and raw params in, raw result or\n// JSON-RPC error out. An unknown method is answered %d; a request from a\n// client that did not declare the extension in params._meta, %d.", -32601, p.Extension.MissingCapabilityCode)
	} else {
		f.Commentf("// Dispatch handles one request: method and raw params in, raw result or\n// JSON-RPC error out. An unknown method is answered %d.", -32601)
	}
	f.Func().Params(recv()).Id("Dispatch").Params(jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("method").String(), jen.Id("params").Qual(jsonPkg, "RawMessage")).Params(jen.Id("result").Qual(jsonPkg, "RawMessage"), jen.Id("rpcErr").Op("*").Id(errT)).Block(
		recoverInto(jen.Id("result"), jen.Id("rpcErr")),
		jen.Add(guard...),
		switchOrNothing(cases),
		jen.Return(jen.Nil(), jen.Id("methodNotFound").Call(jen.Id("method"))),
	)

	var ncases []jen.Code
	for _, m := range side.Notifications {
		var body []jen.Code
		args := []jen.Code{jen.Id("ctx")}
		if m.Params != nil {
			body = append(body, decodeParamsStmts(m)...)
			args = append(args, paramsArg(m))
		}
		body = append(body, jen.Return(jen.Id("d").Dot("rpcError").Call(jen.Id("ctx"), jen.Id("method"), jen.Id("d").Dot("Handler").Dot(m.Handler).Call(args...))))
		ncases = append(ncases, jen.Case(jen.Id(m.Const)).Block(body...))
	}
	f.Comment("// Notify handles one notification. Notifications get no response, so the\n// error is for the caller's log; unknown notifications are ignored.")
	f.Func().Params(recv()).Id("Notify").Params(jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("method").String(), jen.Id("params").Qual(jsonPkg, "RawMessage")).Params(jen.Id("rpcErr").Op("*").Id(errT)).Block(
		recoverInto(jen.Id("rpcErr")),
		switchOrNothing(ncases),
		jen.Return(jen.Nil()),
	)
}

func isUnionParams(m *ir.Method) bool {
	return m.Params.Kind == ir.TRef && m.Params.Decl.Resolve().Kind == ir.Union
}

// decodeParamsStmts declares p and decodes params into it, returning the
// JSON-RPC error on failure.
func decodeParamsStmts(m *ir.Method) []jen.Code {
	if isUnionParams(m) {
		u := m.Params.Decl.Resolve().Name
		body := []jen.Code{jen.Var().Id("p").Id(u)}
		if !m.ParamsRequired {
			return append(body, jen.If(jen.Len(jen.Id("params")).Op(">").Lit(0).Op("&&").Id("jsonKind").Call(jen.Id("params")).Op("!=").Lit("null")).Block(unionDecode(m, u)...))
		}
		return append(body, unionDecode(m, u)...)
	}
	return []jen.Code{
		jen.Var().Id("p").Add(goType(m.Params)),
		jen.If(jen.Err().Op(":=").Id("decodeParams").Call(jen.Id("params"), jen.Lit(m.ParamsRequired), jen.Op("&").Id("p")), jen.Err().Op("!=").Nil()).Block(jen.Return(returnErr(m)...)),
	}
}

func unionDecode(m *ir.Method, u string) []jen.Code {
	ret := []jen.Code{jen.Nil(), jen.Id("invalidParams").Call(jen.Err())}
	if m.Notification {
		ret = ret[1:]
	}
	return []jen.Code{
		jen.Var().Err().Error(),
		jen.If(jen.List(jen.Id("p"), jen.Err()).Op("=").Id("Unmarshal"+u).Call(jen.Id("params")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(ret...),
		),
	}
}

// returnErr is the return statement's values for an error in a request
// (result, error) or a notification (error) case.
func returnErr(m *ir.Method) []jen.Code {
	if m.Notification {
		return []jen.Code{jen.Err()}
	}
	return []jen.Code{jen.Nil(), jen.Err()}
}

func paramsArg(m *ir.Method) jen.Code {
	if isUnionParams(m) {
		return jen.Id("p")
	}
	return jen.Op("&").Id("p")
}

// taskExpr is the expression for the task metadata of m's params, p.
func taskExpr(f *jen.File, m *ir.Method) jen.Code {
	if !isUnionParams(m) {
		return jen.Id("p").Dot(taskField(m.Params.Decl.Resolve()))
	}
	return jen.Id("taskOf" + m.Params.Decl.Resolve().Name).Call(jen.Id("p"))
}

func taskField(d *ir.Decl) string {
	for _, f := range d.Fields {
		if f.JSONName == "task" {
			return f.Name
		}
	}
	return "Task"
}

func (g *gen) requestCase(side *ir.Side, m *ir.Method, tool *ir.ToolTaskSupport) []jen.Code {
	p := g.pkg.Protocol
	var body []jen.Code
	args := []jen.Code{jen.Id("ctx")}
	if m.Params != nil {
		body = append(body, decodeParamsStmts(m)...)
		args = append(args, paramsArg(m))
	}
	// tasks/list and tasks/cancel are served only when declared.
	for key, path := range map[string][]*ir.Field{"list": side.TaskList, "cancel": side.TaskCancel} {
		if tm := p.TaskMethods[key]; tm == m && path != nil {
			body = append([]jen.Code{jen.If(jen.Op("!").Id("d").Dot("Capabilities").Dot(map[string]string{"list": "SupportsTaskList", "cancel": "SupportsTaskCancel"}[key]).Call()).Block(
				jen.Return(jen.Nil(), jen.Id("methodNotFound").Call(jen.Id("method"))),
			)}, body...)
		}
	}
	if m.TaskAugmentable {
		isTool := tool != nil && tool.Method == m.Name
		toolName := jen.Null()
		if isTool {
			toolName = jen.Id("p").Dot(tool.NameField.Name)
		}
		augmented := []jen.Code{
			jen.If(jen.Op("!").Id("d").Dot("Capabilities").Dot("TaskAugmentable").Call(jen.Id(m.Const))).Block(
				jen.Return(jen.Nil(), jen.Op("&").Id(p.Error.Name).Values(jen.Dict{
					jen.Id("Code"):    jen.Id(g.id("CodeMethodNotFound")),
					jen.Id("Message"): jen.Lit(fmt.Sprintf("task-augmented %s is not supported: the capabilities do not declare it", m.Name)),
				})),
			),
		}
		if isTool {
			augmented = append(augmented, jen.If(jen.Id("d").Dot("taskSupport").Call(toolName).Op("==").Id(tool.Forbidden.Name)).Block(
				jen.Return(jen.Nil(), jen.Op("&").Id(p.Error.Name).Values(jen.Dict{
					jen.Id("Code"):    jen.Id(g.id("CodeMethodNotFound")),
					jen.Id("Message"): jen.Qual("fmt", "Sprintf").Call(jen.Lit(fmt.Sprintf("tool %%q does not support task-augmented execution (taskSupport %q)", tool.Forbidden.Value)), toolName),
				})),
			))
		}
		augmented = append(augmented, handlerResult("encodeResult", taskHandler(m), args)...)
		body = append(body, jen.If(jen.Add(taskExpr(nil, m)).Op("!=").Nil()).Block(augmented...))
		if isTool {
			body = append(body, jen.If(jen.Id("d").Dot("taskSupport").Call(toolName).Op("==").Id(tool.Required.Name)).Block(
				jen.Return(jen.Nil(), jen.Op("&").Id(p.Error.Name).Values(jen.Dict{
					jen.Id("Code"):    jen.Id(g.id("CodeMethodNotFound")),
					jen.Id("Message"): jen.Qual("fmt", "Sprintf").Call(jen.Lit(fmt.Sprintf("tool %%q requires task-augmented execution (taskSupport %q): call it with params.task", tool.Required.Value)), toolName),
				})),
			))
		}
	}
	if idField := g.taskIDField(m); idField != "" && g.taskLookup(side) {
		isCancel := m == p.TaskMethods["cancel"]
		status := jen.Id("_")
		if isCancel {
			status = jen.Id("status")
		}
		check := []jen.Code{
			jen.List(status, jen.Id("ok")).Op(":=").Id("d").Dot("TaskStatusOf").Call(jen.Id("ctx"), jen.Id("p").Dot(idField)),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Op("&").Id(p.Error.Name).Values(jen.Dict{
				jen.Id("Code"):    jen.Id(g.id("CodeInvalidParams")),
				jen.Id("Message"): jen.Lit("unknown task: ").Op("+").Id("p").Dot(idField),
			}))),
		}
		if isCancel {
			check = append(check, jen.If(jen.Err().Op(":=").Id(g.id("ValidateCancel")).Call(jen.Id("status")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("d").Dot("rpcError").Call(jen.Id("ctx"), jen.Id("method"), jen.Err()))))
		}
		body = append(body, jen.If(jen.Id("d").Dot("TaskStatusOf").Op("!=").Nil()).Block(check...))
	}
	encode := "encodeResult"
	if m.Result.Resolve().Kind == ir.Union {
		encode = "encodeUnionResult"
	}
	if meta := g.relatedTaskStamp(m); meta != "" {
		// tasks/result's response must carry the related-task key.
		id := g.taskIDField(m)
		body = append(body,
			jen.List(jen.Id("res"), jen.Err()).Op(":=").Id("d").Dot("Handler").Dot(m.Handler).Call(args...),
			jen.If(jen.Id("res").Op("!=").Nil()).Block(
				jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id(g.id("RelatedTaskOf")).Call(jen.Id("res").Dot(meta)), jen.Op("!").Id("ok")).Block(
					jen.Id("res").Dot(meta).Op("=").Id(g.id("SetRelatedTask")).Call(jen.Id("res").Dot(meta), jen.Id("p").Dot(id)),
				),
			),
			jen.Return(jen.Id(encode).Call(jen.Id("res"), jen.Id("d").Dot("rpcError").Call(jen.Id("ctx"), jen.Id("method"), jen.Err()))),
		)
		return body
	}
	return append(body, handlerResult(encode, m.Handler, args)...)
}

// handlerResult calls a handler method and returns its result encoded, or
// its error made a JSON-RPC error.
func handlerResult(encode, handler string, args []jen.Code) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("res"), jen.Err()).Op(":=").Id("d").Dot("Handler").Dot(handler).Call(args...),
		jen.Return(jen.Id(encode).Call(jen.Id("res"), jen.Id("d").Dot("rpcError").Call(jen.Id("ctx"), jen.Id("method"), jen.Err()))),
	}
}

// taskOfUnions prints, for augmentable methods whose params are a union,
// the function that reads the task metadata of any member.
func (g *gen) taskOfUnions(f *jen.File) {
	done := map[string]bool{}
	for _, side := range g.pkg.Protocol.Sides {
		for _, m := range side.Requests {
			if !m.TaskAugmentable || !isUnionParams(m) {
				continue
			}
			u := m.Params.Decl.Resolve()
			if done[u.Name] {
				continue
			}
			done[u.Name] = true
			var cases []jen.Code
			for _, v := range u.Variants {
				cases = append(cases, jen.Case(jen.Op("*").Id(v.Decl.Name)).Block(jen.Return(jen.Id("v").Dot(taskField(v.Decl.Resolve())))))
			}
			f.Commentf("// taskOf%s returns the task metadata of any member of %s.", u.Name, u.Name)
			f.Func().Id("taskOf"+u.Name).Params(jen.Id("p").Id(u.Name)).Op("*").Id(g.taskMetadataType(u)).Block(
				jen.Switch(jen.Id("v").Op(":=").Id("p").Assert(jen.Type())).Block(cases...),
				jen.Return(jen.Nil()),
			)
		}
	}
}

func (g *gen) taskMetadataType(u *ir.Decl) string {
	for _, v := range u.Variants {
		for _, f := range v.Decl.Resolve().Fields {
			if f.JSONName == "task" && f.Type != nil && f.Type.Kind == ir.TRef {
				return f.Type.Decl.Name
			}
		}
	}
	return "TaskMetadata"
}

// switchOrNothing switches on method over cases, or prints nothing for a
// side that receives no such messages.
func switchOrNothing(cases []jen.Code) jen.Code {
	if len(cases) == 0 {
		return jen.Null()
	}
	return jen.Switch(jen.Id("method")).Block(cases...)
}

// unionResults reports whether any handler returns a union.
func (g *gen) unionResults() bool {
	for _, side := range g.pkg.Protocol.Sides {
		for _, m := range side.Requests {
			if m.Result.Resolve().Kind == ir.Union {
				return true
			}
		}
	}
	return false
}

// taskLookup reports whether a side's dispatcher gets TaskStatusOf: core
// task bindings, whose cancel of a terminal task is an error (the
// extension acknowledges it instead).
func (g *gen) taskLookup(side *ir.Side) bool {
	p := g.pkg.Protocol
	if p.Extension != nil || g.pkg.Lifecycle == nil {
		return false
	}
	for _, key := range []string{"get", "result", "cancel"} {
		if m := p.TaskMethods[key]; m != nil && slices.Contains(side.Requests, m) {
			return true
		}
	}
	return false
}

// taskIDField is the Go name of the taskId param of tasks/get, tasks/result
// and tasks/cancel, or "".
func (g *gen) taskIDField(m *ir.Method) string {
	p := g.pkg.Protocol
	if m != p.TaskMethods["get"] && m != p.TaskMethods["result"] && m != p.TaskMethods["cancel"] {
		return ""
	}
	if m.Params == nil || m.Params.Kind != ir.TRef || m.Params.Decl.Resolve().Kind != ir.Struct {
		return ""
	}
	for _, f := range m.Params.Decl.Resolve().Fields {
		if f.JSONName == "taskId" && f.Type != nil && f.Type.Kind == ir.TString {
			return f.Name
		}
	}
	return ""
}

// relatedTaskStamp is the Go name of the _meta map of tasks/result's
// result, which the dispatcher stamps with the related-task key, or "".
func (g *gen) relatedTaskStamp(m *ir.Method) string {
	p := g.pkg.Protocol
	if p.RelatedTaskKey == "" || m != p.TaskMethods["result"] || g.taskIDField(m) == "" || m.Result.Resolve().Kind != ir.Struct {
		return ""
	}
	for _, f := range m.Result.Resolve().Fields {
		if f.JSONName == "_meta" && f.Type != nil && f.Type.Kind == ir.TMap && f.Type.Elem.Kind == ir.TAny {
			return f.Name
		}
	}
	return ""
}
