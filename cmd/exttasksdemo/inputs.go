package main

import (
	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

// The same elicitation travels in two packages: mcpdraft carries it in an
// InputRequiredResult (MRTR), exttasks in an input_required task. exttasks
// embeds its own copy of the core definitions, so each side gets its own
// builder and its own reader of the answers.

// draftInputRequests builds the inputRequests of an InputRequiredResult.
func draftInputRequests(need map[string]elicitation) mcpdraft.InputRequests {
	out := make(mcpdraft.InputRequests, len(need))
	for key, el := range need {
		props := make(map[string]mcpdraft.PrimitiveSchemaDefinition, len(el.fields))
		var required []string
		for _, f := range el.fields {
			if f.boolean {
				props[f.name] = &mcpdraft.BooleanSchema{Title: f.title}
			} else {
				props[f.name] = &mcpdraft.StringSchema{Title: f.title}
			}
			required = append(required, f.name)
		}
		out[key] = &mcpdraft.ElicitRequest{Params: &mcpdraft.ElicitRequestFormParams{
			Message:         el.message,
			RequestedSchema: mcpdraft.ElicitRequestFormParamsRequestedSchema{Properties: props, Required: required},
		}}
	}
	return out
}

// taskInputRequests builds the inputRequests of an input_required task.
func taskInputRequests(need map[string]elicitation) exttasks.InputRequests {
	out := make(exttasks.InputRequests, len(need))
	for key, el := range need {
		props := make(map[string]exttasks.PrimitiveSchemaDefinition, len(el.fields))
		var required []string
		for _, f := range el.fields {
			if f.boolean {
				props[f.name] = &exttasks.BooleanSchema{Title: f.title}
			} else {
				props[f.name] = &exttasks.StringSchema{Title: f.title}
			}
			required = append(required, f.name)
		}
		out[key] = &exttasks.ElicitRequest{Params: &exttasks.ElicitRequestFormParams{
			Message:         el.message,
			RequestedSchema: exttasks.ElicitRequestFormParamsRequestedSchema{Properties: props, Required: required},
		}}
	}
	return out
}

// draftAnswer reads one entry of a tools/call's inputResponses. The server
// only asks for elicitations, so any other kind of response counts as not
// accepted.
func draftAnswer(r mcpdraft.InputResponse) answer {
	er, ok := r.(*mcpdraft.ElicitResult)
	if !ok {
		return answer{}
	}
	a := answer{action: string(er.Action), content: map[string]any{}}
	for k, v := range er.Content {
		switch v := v.(type) {
		case mcpdraft.ElicitResultContentValueString:
			a.content[k] = string(v)
		case mcpdraft.ElicitResultContentValueBoolean:
			a.content[k] = bool(v)
		case mcpdraft.ElicitResultContentValueInteger:
			a.content[k] = int64(v)
		case mcpdraft.ElicitResultContentValueList:
			a.content[k] = []string(v)
		}
	}
	return a
}

// taskAnswer reads one entry of a tasks/update's inputResponses.
func taskAnswer(r exttasks.InputResponse) answer {
	er, ok := r.(*exttasks.ElicitResult)
	if !ok {
		return answer{}
	}
	a := answer{action: string(er.Action), content: map[string]any{}}
	for k, v := range er.Content {
		switch v := v.(type) {
		case exttasks.ElicitResultContentValueString:
			a.content[k] = string(v)
		case exttasks.ElicitResultContentValueBoolean:
			a.content[k] = bool(v)
		case exttasks.ElicitResultContentValueInteger:
			a.content[k] = int64(v)
		case exttasks.ElicitResultContentValueList:
			a.content[k] = []string(v)
		}
	}
	return a
}
