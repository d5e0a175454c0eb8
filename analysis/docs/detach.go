package docs

import (
	"reflect"
	"strings"
)

// detach gives every string of a Doc memory of its own, shared between
// equal strings. The structured readers' scalars are slices of the text
// they read (parseJSON); without this, a class name would keep the whole
// document's text alive for as long as the Doc lives.
func detach(d *Doc) {
	seen := map[uintptr]bool{}
	strs := map[string]string{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			s := v.String()
			if s == "" {
				return
			}
			c, ok := strs[s]
			if !ok {
				c = strings.Clone(s)
				strs[c] = c
			}
			v.SetString(c)
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(d))
}
