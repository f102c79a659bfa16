package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// client prints the typed callers, one per receiving side: the mirror of
// the dispatchers, sending through a Peer what that side handles.
func (g *gen) client(f *jen.File) {
	p := g.pkg.Protocol
	peer := g.id("Peer")
	errT := p.Error.Name
	for _, side := range p.Sides {
		g.caller(f, side, peer)
	}
	if p.Extension == nil {
		for _, side := range p.Sides {
			for _, m := range side.Requests {
				if m.TaskAugmentable {
					g.augmentedDecoder(f, m)
				}
			}
		}
	}

	f.Commentf("// RPCError reports e as the error of a JSON-RPC response in the form\n// %s documents, so that a Peer may return the *%s of any package\n// mcpgen generated and the callers of every package read it. Data that\n// does not encode is left out.", peer, errT)
	f.Func().Params(jen.Id("e").Op("*").Id(errT)).Id("RPCError").Params().Params(jen.Id("code").Int64(), jen.Id("message").String(), jen.Id("data").Qual(jsonPkg, "RawMessage")).Block(
		jen.If(jen.Id("e").Dot("Data").Op("!=").Nil()).Block(
			jen.Id("data").Op(",").Id("_").Op("=").Qual(jsonPkg, "Marshal").Call(jen.Id("e").Dot("Data")),
		),
		jen.Return(jen.Id("e").Dot("Code"), jen.Id("e").Dot("Message"), jen.Id("data")),
	)

	f.Commentf("// clientRequest sends a request through peer and decodes its result. A\n// JSON-RPC error reply comes back as the package's *%s; anything else that fails\n// names the method.", errT)
	f.Func().Id("clientRequest").Types(jen.Id("R").Any()).Params(
		jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("peer").Id(peer), jen.Id("method").String(),
		jen.Id("send").Bool(), jen.Id("params").Any(), jen.Id("decode").Func().Params(jen.Index().Byte()).Params(jen.Id("R"), jen.Error()),
	).Params(jen.Id("R"), jen.Error()).Block(
		jen.Var().Id("zero").Id("R"),
		jen.If(jen.Id("peer").Op("==").Nil()).Block(jen.Return(jen.Id("zero"), jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: no peer to send it to"), jen.Id("method")))),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Id("clientParams").Call(jen.Id("method"), jen.Id("send"), jen.Id("params")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("zero"), jen.Err())),
		jen.List(jen.Id("raw"), jen.Err()).Op(":=").Id("peer").Dot("Call").Call(jen.Id("ctx"), jen.Id("method"), jen.Id("data")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("zero"), jen.Id("clientError").Call(jen.Id("method"), jen.Err()))),
		jen.List(jen.Id("res"), jen.Err()).Op(":=").Id("decode").Call(jen.Id("raw")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("zero"), jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: result: %w"), jen.Id("method"), jen.Id("atPath").Call(jen.Err(), jen.Lit("result"))))),
		jen.Return(jen.Id("res"), jen.Nil()),
	)

	f.Comment("// clientNotify sends a notification through peer.")
	f.Func().Id("clientNotify").Params(jen.Id("ctx").Qual(ctxPkg, "Context"), jen.Id("peer").Id(peer), jen.Id("method").String(), jen.Id("send").Bool(), jen.Id("params").Any()).Error().Block(
		jen.If(jen.Id("peer").Op("==").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: no peer to send it to"), jen.Id("method")))),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Id("clientParams").Call(jen.Id("method"), jen.Id("send"), jen.Id("params")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.If(jen.Err().Op(":=").Id("peer").Dot("Notify").Call(jen.Id("ctx"), jen.Id("method"), jen.Id("data")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: %w"), jen.Id("method"), jen.Err())),
		),
		jen.Return(jen.Nil()),
	)

	f.Comment("// clientParams encodes the params of a message; none when send is false.")
	f.Func().Id("clientParams").Params(jen.Id("method").String(), jen.Id("send").Bool(), jen.Id("params").Any()).Params(jen.Qual(jsonPkg, "RawMessage"), jen.Error()).Block(
		jen.If(jen.Op("!").Id("send")).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Id("marshal").Call(jen.Id("params")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: encode params: %w"), jen.Id("method"), jen.Err()))),
		jen.Return(jen.Id("data"), jen.Nil()),
	)

	f.Commentf("// clientError reads the error a Peer returned: the package's *%s as it is,\n// an error with RPCError as the *%s it describes, and anything else, such as a\n// broken connection, wrapped with the method's name.", errT, errT)
	f.Func().Id("clientError").Params(jen.Id("method").String(), jen.Err().Error()).Error().Block(
		jen.Var().Id("e").Op("*").Id(errT),
		jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("e"))).Block(jen.Return(jen.Id("e"))),
		jen.Var().Id("r").Interface(jen.Id("RPCError").Params().Params(jen.Int64(), jen.String(), jen.Qual(jsonPkg, "RawMessage"))),
		jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("r"))).Block(
			jen.List(jen.Id("code"), jen.Id("message"), jen.Id("data")).Op(":=").Id("r").Dot("RPCError").Call(),
			jen.Id("e").Op("=").Op("&").Id(errT).Values(jen.Dict{jen.Id("Code"): jen.Id("code"), jen.Id("Message"): jen.Id("message")}),
			jen.If(jen.Len(jen.Id("data")).Op(">").Lit(0)).Block(
				jen.Var().Id("v").Any(),
				jen.If(jen.Id("decodeAny").Call(jen.Id("data"), jen.Op("&").Id("v")).Op("==").Nil()).Block(jen.Id("e").Dot("Data").Op("=").Id("v")),
			),
			jen.Return(jen.Id("e")),
		),
		jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: %w"), jen.Id("method"), jen.Err())),
	)

	f.Comment("// clientDecode decodes and validates a result of a generated struct type.")
	f.Func().Id("clientDecode").Types(jen.Id("T").Any()).Params(jen.Id("data").Index().Byte()).Params(jen.Op("*").Id("T"), jen.Error()).Block(
		jen.Id("v").Op(":=").New(jen.Id("T")),
		jen.If(jen.Err().Op(":=").Id("decodeValue").Call(jen.Id("data"), jen.Id("v")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
}

// caller prints the caller of one receiving side.
func (g *gen) caller(f *jen.File, side *ir.Side, peer string) {
	p := g.pkg.Protocol
	name := g.id(side.Name + "Caller")
	who := strings.ToLower(side.Name)
	f.Commentf("// %s sends what a %s receives, through Peer: each method\n// takes the typed params, sends the request, and returns the result\n// decoded with validation. It is the sending mirror of %s.\n// A JSON-RPC error reply is returned as the package's *%s with the peer's code; a\n// result that does not decode is an error naming the method and the\n// JSON path.", name, who, g.id(side.Name+"Handler"), p.Error.Name)
	f.Type().Id(name).Struct(
		comment(fmt.Sprintf("Peer is the connection to the %s.", who)),
		jen.Id("Peer").Id(peer),
	)
	recv := func() *jen.Statement { return jen.Id("c").Op("*").Id(name) }
	for _, m := range side.Requests {
		send, params := jen.False(), jen.Nil()
		if m.Params != nil {
			send, params = jen.Id("params").Op("!=").Nil(), jen.Id("params")
		}
		decode := jen.Id("clientDecode").Index(jen.Id(m.Result.Name))
		if m.Result.Resolve().Kind == ir.Union {
			decode = jen.Id("Unmarshal" + m.Result.Name)
		}
		f.Commentf("// %s sends %s and returns its result.", m.Handler, m.Name)
		f.Func().Params(recv()).Id(m.Handler).Params(handlerParams(m)...).Params(resultType(m), jen.Error()).Block(
			jen.Return(jen.Id("clientRequest").Call(jen.Id("ctx"), jen.Id("c").Dot("Peer"), jen.Id(m.Const), send, params, decode)),
		)
		if !m.TaskAugmentable {
			continue
		}
		var hasTask jen.Code = jen.Id("params").Op("!=").Nil().Op("&&").Id("params").Dot(taskField(m.Params.Decl.Resolve())).Op("!=").Nil()
		if isUnionParams(m) {
			hasTask = jen.Id("taskOf" + m.Params.Decl.Resolve().Name).Call(jen.Id("params")).Op("!=").Nil()
		}
		ct := p.CreateTaskResult.Name
		f.Commentf("// %s sends %s with params.task set, asking the %s to run it\n// as a task, and returns the task it created. Follow the task with\n// tasks/get and fetch the outcome with tasks/result.", taskHandler(m), m.Name, who)
		f.Func().Params(recv()).Id(taskHandler(m)).Params(handlerParams(m)...).Params(jen.Op("*").Id(ct), jen.Error()).Block(
			jen.If(jen.Op("!").Parens(hasTask)).Block(
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("%s as a task: params.task is not set"), jen.Id(m.Const))),
			),
			jen.Return(jen.Id("clientRequest").Call(jen.Id("ctx"), jen.Id("c").Dot("Peer"), jen.Id(m.Const), jen.True(), jen.Id("params"), jen.Id("clientDecode").Index(jen.Id(ct)))),
		)
	}
	for _, m := range side.Notifications {
		send, params := jen.False(), jen.Nil()
		if m.Params != nil {
			send, params = jen.Id("params").Op("!=").Nil(), jen.Id("params")
			if isUnionParams(m) {
				send = jen.Id("params").Op("!=").Nil()
			}
		}
		method := "Notify" + strings.TrimPrefix(m.Handler, "On")
		f.Commentf("// %s sends the %s notification.", method, m.Name)
		f.Func().Params(recv()).Id(method).Params(handlerParams(m)...).Error().Block(
			jen.Return(jen.Id("clientNotify").Call(jen.Id("ctx"), jen.Id("c").Dot("Peer"), jen.Id(m.Const), send, params)),
		)
	}
}

// augmentedDecoder prints the decoder of the reply to a request that may
// have been task-augmented: the request's own result, or the task.
func (g *gen) augmentedDecoder(f *jen.File, m *ir.Method) {
	ct := g.pkg.Protocol.CreateTaskResult.Name
	name := g.id("Decode" + m.Handler + "Response")
	res := resultType(m)
	decode := jen.Id("clientDecode").Index(jen.Id(m.Result.Name)).Call(jen.Id("data"))
	if m.Result.Resolve().Kind == ir.Union {
		decode = jen.Id("Unmarshal" + m.Result.Name).Call(jen.Id("data"))
	}
	f.Commentf("// %s decodes the result of %s, which may answer a\n// task-augmented request: the %s when the result carries a task\n// object, and otherwise the request's own result. Both are validated;\n// exactly one of the two is set when the error is nil.", name, m.Name, ct)
	f.Func().Id(name).Params(jen.Id("data").Index().Byte()).Params(res, jen.Op("*").Id(ct), jen.Error()).Block(
		jen.List(jen.Id("raw"), jen.Id("present"), jen.Err()).Op(":=").Id("memberValue").Call(jen.Id("data"), jen.Lit("task")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Err())),
		jen.If(jen.Id("present").Op("&&").Id("jsonKind").Call(jen.Id("raw")).Op("==").Lit("object")).Block(
			jen.List(jen.Id("t"), jen.Err()).Op(":=").Id("clientDecode").Index(jen.Id(ct)).Call(jen.Id("data")),
			jen.Return(jen.Nil(), jen.Id("t"), jen.Err()),
		),
		jen.List(jen.Id("r"), jen.Err()).Op(":=").Add(decode),
		jen.Return(jen.Id("r"), jen.Nil(), jen.Err()),
	)
}
