package validation

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// A Validator must name no libopenapi type, in its fields or its methods:
// each package referring to it would otherwise compile the library's
// generic instantiations again (libJudge says why). reflect shows every
// field, an interface's every method and a struct's exported ones; the
// source shows Validator's unexported methods.
func TestAValidatorNamesNoLibopenapiType(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		if pkg := typ.PkgPath(); strings.HasPrefix(pkg, "github.com/pb33f/libopenapi") {
			t.Errorf("%s is %s, from %s", path, typ, pkg)
			return
		}
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
			walk(typ.Elem(), path)
		case reflect.Map:
			walk(typ.Key(), path+" key")
			walk(typ.Elem(), path)
		case reflect.Struct:
			for field := range typ.Fields() {
				walk(field.Type, path+"."+field.Name)
			}
		case reflect.Func:
			for in := range typ.Ins() {
				walk(in, path+" parameter")
			}
			for out := range typ.Outs() {
				walk(out, path+" result")
			}
		}
		for method := range typ.Methods() {
			walk(method.Type, path+"."+method.Name+"()")
		}
	}
	walk(reflect.TypeFor[*Validator](), "Validator")
	if !seen[reflect.TypeFor[libJudge]()] {
		t.Fatal("the walk never reached libJudge: it no longer looks where the libopenapi types used to be")
	}
}

// reflect does not list a struct's unexported methods, so their signatures
// are read from the source: none may name a type from a libopenapi package.
func TestNoMethodOfValidatorNamesALibopenapiType(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	methods := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		libImports := map[string]string{}
		for _, spec := range file.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			if !strings.HasPrefix(path, "github.com/pb33f/libopenapi") {
				continue
			}
			// The last element names the package for every libopenapi
			// import but the validator's root, which this module imports
			// as libvalidator.
			local := filepath.Base(path)
			if spec.Name != nil {
				local = spec.Name.Name
			}
			libImports[local] = path
		}
		for _, decl := range file.Decls {
			method, ok := decl.(*ast.FuncDecl)
			if !ok || method.Recv == nil || receiverName(method.Recv) != "Validator" {
				continue
			}
			methods++
			ast.Inspect(method.Type, func(node ast.Node) bool {
				if selector, ok := node.(*ast.SelectorExpr); ok {
					if pkg, ok := selector.X.(*ast.Ident); ok && libImports[pkg.Name] != "" {
						t.Errorf("%s: Validator.%s names %s.%s, from %s", name, method.Name.Name, pkg.Name, selector.Sel.Name, libImports[pkg.Name])
					}
				}
				return true
			})
		}
	}
	if methods == 0 {
		t.Fatal("no method of Validator was found in the source: the test no longer reads where they are")
	}
}

// receiverName is the type a method is declared on, without its pointer.
func receiverName(receiver *ast.FieldList) string {
	typ := receiver.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if ident, ok := typ.(*ast.Ident); ok {
		return ident.Name
	}
	return ""
}
