// Package templates holds the text templates mcpgen uses for output that is
// not Go, such as the Markdown reference written beside each package.
package templates

import (
	"embed"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// Parse parses the named template file with funcs available to it.
func Parse(name string, funcs template.FuncMap) (*template.Template, error) {
	return template.New(name).Funcs(funcs).ParseFS(files, name)
}
