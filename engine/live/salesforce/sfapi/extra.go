package sfapi

import (
	"encoding/json"
	"reflect"
	"strings"
)

// Extra holds the JSON members of a Metadata object that the Go type does
// not model, so that writing the object back loses nothing.
type Extra map[string]json.RawMessage

// decodeWithExtra decodes data into known (a pointer to a struct without
// JSON methods) and returns the members known has no field for.
func decodeWithExtra(data []byte, known any) (Extra, error) {
	if err := json.Unmarshal(data, known); err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	for _, k := range jsonKeys(reflect.TypeOf(known).Elem()) {
		delete(all, k)
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

// encodeWithExtra encodes known (a struct without JSON methods) and adds
// the extra members it does not set itself. Members come out sorted.
func encodeWithExtra(known any, extra Extra) ([]byte, error) {
	data, err := json.Marshal(known)
	if err != nil || len(extra) == 0 {
		return data, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	for k, v := range extra {
		if _, set := all[k]; !set {
			all[k] = v
		}
	}
	return json.Marshal(all)
}

// jsonKeys lists the JSON member names of a struct type's fields.
func jsonKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-" || !f.IsExported():
			continue
		case name == "":
			name = f.Name
		}
		keys = append(keys, name)
	}
	return keys
}
