package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// lifecycleNameSuffixes are the suffixes lifecycle.go appends to the status
// enum's name for its own declarations (the transition type, the table and
// the initial status), which the engine sources refer to unprefixed.
var lifecycleNameSuffixes = []string{"Transition", "Lifecycle", "Initial"}

// lifecycle prints the task lifecycle: the table, IsTerminal,
// CanTransitionTo, ValidateTransition and the task's MoveTo.
func (g *gen) lifecycle(f *jen.File) {
	l := g.pkg.Lifecycle
	st := l.Status.Name
	transition := st + "Transition"
	table := st + "Lifecycle"

	f.Commentf("// %s lists where a task may go from one status.", An(transition))
	f.Type().Id(transition).Struct(
		jen.Id("From").Id(st),
		comment("To lists the statuses From may move to, in the lifecycle's order."),
		jen.Id("To").Index().Id(st),
		comment("Terminal is set when no move leaves From."),
		jen.Id("Terminal").Bool(),
	)

	var rows []jen.Code
	for _, s := range l.States {
		dict := jen.Dict{jen.Id("From"): jen.Id(s.Value.Name)}
		if s.Terminal {
			dict[jen.Id("Terminal")] = jen.True()
		} else {
			var to []jen.Code
			for _, n := range s.Next {
				to = append(to, jen.Id(n.Name))
			}
			dict[jen.Id("To")] = jen.Index().Id(st).Values(to...)
		}
		rows = append(rows, jen.Values(dict))
	}
	doc := fmt.Sprintf("%s is the task lifecycle, one entry per %s value: the statuses a\ntask in each may move to.", table, st)
	if l.Doc != "" {
		doc += "\n" + l.Doc
	}
	doc += "\nIts length is the number of statuses: a schema that adds or removes one\nmakes this package stale, and check fails."
	f.Add(comment(doc))
	f.Var().Id(table).Op("=").Index(jen.Lit(len(l.States))).Id(transition).Values(rows...)

	f.Commentf("// %sInitial is the status every task starts in.", st)
	f.Const().Id(st + "Initial").Op("=").Id(l.Initial.Name)

	var terminal []jen.Code
	var cases []jen.Code
	for _, s := range l.States {
		if s.Terminal {
			terminal = append(terminal, jen.Id(s.Value.Name))
			continue
		}
		var next []jen.Code
		for _, n := range s.Next {
			next = append(next, jen.Id(n.Name))
		}
		cases = append(cases, jen.Case(jen.Id(s.Value.Name)).Block(
			jen.Switch(jen.Id("next")).Block(jen.Case(next...).Block(jen.Return(jen.True()))),
		))
	}
	f.Comment("// IsTerminal reports whether no move leaves s.")
	f.Func().Params(jen.Id("s").Id(st)).Id("IsTerminal").Params().Bool().Block(
		jen.Switch(jen.Id("s")).Block(jen.Case(terminal...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
	f.Comment("// CanTransitionTo reports whether a task may move from s to next. It does\n// not allocate.")
	f.Func().Params(jen.Id("s").Id(st)).Id("CanTransitionTo").Params(jen.Id("next").Id(st)).Bool().Block(
		jen.Switch(jen.Id("s")).Block(cases...),
		jen.Return(jen.False()),
	)

	f.Comment("// A TransitionError reports a move the task lifecycle does not allow.")
	f.Type().Id(g.id("TransitionError")).Struct(
		jen.List(jen.Id("From"), jen.Id("To")).Id(st),
		comment("Allowed lists the moves out of From; it is empty when From is terminal\nor unknown."),
		jen.Id("Allowed").Index().Id(st),
	)
	f.Func().Params(jen.Id("e").Op("*").Id(g.id("TransitionError"))).Id("Error").Params().String().Block(
		jen.Switch().Block(
			jen.Case(jen.Op("!").Id("e").Dot("From").Dot("Valid").Call()).Block(
				jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit("task status cannot move from %q to %q: %q is not a task status"), jen.Id("e").Dot("From"), jen.Id("e").Dot("To"), jen.Id("e").Dot("From"))),
			),
			jen.Case(jen.Id("e").Dot("From").Dot("IsTerminal").Call()).Block(
				jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit("task status cannot move from %q to %q: %q is terminal"), jen.Id("e").Dot("From"), jen.Id("e").Dot("To"), jen.Id("e").Dot("From"))),
			),
		),
		jen.Id("allowed").Op(":=").Make(jen.Index().String(), jen.Len(jen.Id("e").Dot("Allowed"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("s")).Op(":=").Range().Id("e").Dot("Allowed")).Block(
			jen.Id("allowed").Index(jen.Id("i")).Op("=").Qual("strconv", "Quote").Call(jen.String().Call(jen.Id("s"))),
		),
		jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit("task status cannot move from %q to %q: allowed moves from %q are to %s"),
			jen.Id("e").Dot("From"), jen.Id("e").Dot("To"), jen.Id("e").Dot("From"), jen.Qual("strings", "Join").Call(jen.Id("allowed"), jen.Lit(", ")))),
	)

	f.Comment("// ValidateTransition returns nil when a task may move from from to to, and\n// a *TransitionError naming both statuses and the allowed moves otherwise.\n// The nil path does not allocate.")
	f.Func().Id(g.id("ValidateTransition")).Params(jen.List(jen.Id("from"), jen.Id("to")).Id(st)).Error().Block(
		jen.If(jen.Id("from").Dot("CanTransitionTo").Call(jen.Id("to"))).Block(jen.Return(jen.Nil())),
		jen.Id("e").Op(":=").Op("&").Id(g.id("TransitionError")).Values(jen.Dict{jen.Id("From"): jen.Id("from"), jen.Id("To"): jen.Id("to")}),
		jen.For(jen.List(jen.Id("_"), jen.Id("t")).Op(":=").Range().Id(table)).Block(
			jen.If(jen.Id("t").Dot("From").Op("==").Id("from")).Block(
				jen.Id("e").Dot("Allowed").Op("=").Qual("slices", "Clone").Call(jen.Id("t").Dot("To")),
			),
		),
		jen.Return(jen.Id("e")),
	)

	if l.Task != nil {
		task := l.Task.Name
		f.Commentf("// MoveTo moves t to status next and sets %s to now, in UTC, in RFC 3339\n// with as many digits of the second as it has (time.RFC3339Nano). It\n// refuses a move the lifecycle does not allow, with a *TransitionError,\n// and leaves t unchanged.", l.UpdatedField.JSONName)
		f.Func().Params(jen.Id("t").Op("*").Id(task)).Id("MoveTo").Params(jen.Id("next").Id(st), jen.Id("now").Qual("time", "Time")).Error().Block(
			jen.If(jen.Err().Op(":=").Id(g.id("ValidateTransition")).Call(jen.Id("t").Dot(l.StatusField.Name), jen.Id("next")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id("t").Dot(l.StatusField.Name).Op("=").Id("next"),
			jen.Id("t").Dot(l.UpdatedField.Name).Op("=").Id("now").Dot("UTC").Call().Dot("Format").Call(jen.Qual("time", "RFC3339Nano")),
			jen.Return(jen.Nil()),
		)
	}
}

// lifecycleTest prints a test, shipped with the package, that holds the
// switch statements above to the table: a hand edit to either fails it.
func (g *gen) lifecycleTest(f *jen.File) {
	l := g.pkg.Lifecycle
	st := l.Status.Name
	table := st + "Lifecycle"
	var all []jen.Code
	for _, v := range l.Status.Values {
		all = append(all, jen.Id(v.Name))
	}
	f.Commentf("// Test%s checks that the table covers every %s once and that\n// IsTerminal and CanTransitionTo agree with it for every pair.", table, st)
	f.Func().Id("Test"+table).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Id("all").Op(":=").Index().Id(st).Values(all...),
		jen.Id("seen").Op(":=").Map(jen.Id(st)).Int().Values(),
		jen.For(jen.List(jen.Id("_"), jen.Id("row")).Op(":=").Range().Id(table)).Block(
			jen.Id("seen").Index(jen.Id("row").Dot("From")).Op("++"),
			jen.If(jen.Id("row").Dot("From").Dot("IsTerminal").Call().Op("!=").Id("row").Dot("Terminal")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%q: IsTerminal() = %v, table says %v"), jen.Id("row").Dot("From"), jen.Id("row").Dot("From").Dot("IsTerminal").Call(), jen.Id("row").Dot("Terminal")),
			),
			jen.For(jen.List(jen.Id("_"), jen.Id("to")).Op(":=").Range().Id("all")).Block(
				jen.Id("want").Op(":=").Qual("slices", "Contains").Call(jen.Id("row").Dot("To"), jen.Id("to")),
				jen.If(jen.Id("got").Op(":=").Id("row").Dot("From").Dot("CanTransitionTo").Call(jen.Id("to")), jen.Id("got").Op("!=").Id("want")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%q → %q: CanTransitionTo = %v, table says %v"), jen.Id("row").Dot("From"), jen.Id("to"), jen.Id("got"), jen.Id("want")),
				),
				jen.If(jen.Id("err").Op(":=").Id(g.id("ValidateTransition")).Call(jen.Id("row").Dot("From"), jen.Id("to")), jen.Parens(jen.Id("err").Op("==").Nil()).Op("!=").Id("want")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%q → %q: ValidateTransition = %v, table says allowed=%v"), jen.Id("row").Dot("From"), jen.Id("to"), jen.Id("err"), jen.Id("want")),
				),
			),
		),
		jen.For(jen.List(jen.Id("_"), jen.Id("s")).Op(":=").Range().Id("all")).Block(
			jen.If(jen.Id("seen").Index(jen.Id("s")).Op("!=").Lit(1)).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%q has %d lifecycle entries, want 1"), jen.Id("s"), jen.Id("seen").Index(jen.Id("s"))),
			),
		),
	)
}

// mermaid draws the lifecycle as a Mermaid state diagram.
func mermaid(l *ir.Lifecycle) string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	fmt.Fprintf(&b, "    [*] --> %s\n", l.Initial.Value)
	for _, s := range l.States {
		for _, n := range s.Next {
			fmt.Fprintf(&b, "    %s --> %s\n", s.Value.Value, n.Value)
		}
	}
	for _, s := range l.States {
		if s.Terminal {
			fmt.Fprintf(&b, "    %s --> [*]\n", s.Value.Value)
		}
	}
	return b.String()
}
