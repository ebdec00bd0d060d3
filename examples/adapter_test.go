package examples_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamples_UseTransportRoundTripperFunc keeps the examples showing the
// module's own adapter: no example declares a RoundTrip method of its own
// (a func type adapted by hand); layers use transport.RoundTripperFunc.
func TestExamples_UseTransportRoundTripperFunc(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Name.Name == "RoundTrip" {
				t.Errorf("%s: declares its own RoundTrip adapter; use transport.RoundTripperFunc", fset.Position(fn.Pos()))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
