package validation

import (
	"reflect"
	"strings"
	"testing"
)

// A Validator must name no libopenapi type, in its fields or its methods:
// each package referring to it would otherwise compile the library's
// generic instantiations again (libJudge says why). reflect shows every
// field, an interface's every method and a struct's exported ones; the
// unexported methods of Validator are few and read in review.
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
