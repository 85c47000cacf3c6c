package sfapi

import "reflect"

// JSON methods of the Metadata types: every member the type does not model
// goes to Extra and back. Each method hands its value to the generic pair
// decodeKeepingExtra / encodeKeepingExtra.

// UnmarshalJSON keeps unknown members in Extra.
func (m *CustomFieldMetadata) UnmarshalJSON(data []byte) error { return decodeKeepingExtra(data, m) }

// MarshalJSON writes Extra back.
func (m CustomFieldMetadata) MarshalJSON() ([]byte, error) { return encodeKeepingExtra(m) }

// UnmarshalJSON keeps unknown members in Extra.
func (v *ValueSet) UnmarshalJSON(data []byte) error { return decodeKeepingExtra(data, v) }

// MarshalJSON writes Extra back.
func (v ValueSet) MarshalJSON() ([]byte, error) { return encodeKeepingExtra(v) }

// UnmarshalJSON keeps unknown members in Extra.
func (d *ValueSetDefinition) UnmarshalJSON(data []byte) error { return decodeKeepingExtra(data, d) }

// MarshalJSON writes Extra back.
func (d ValueSetDefinition) MarshalJSON() ([]byte, error) { return encodeKeepingExtra(d) }

// UnmarshalJSON keeps unknown members in Extra.
func (v *CustomValue) UnmarshalJSON(data []byte) error { return decodeKeepingExtra(data, v) }

// MarshalJSON writes Extra back.
func (v CustomValue) MarshalJSON() ([]byte, error) { return encodeKeepingExtra(v) }

// UnmarshalJSON keeps unknown members in Extra.
func (m *GlobalValueSetMetadata) UnmarshalJSON(data []byte) error { return decodeKeepingExtra(data, m) }

// MarshalJSON writes Extra back.
func (m GlobalValueSetMetadata) MarshalJSON() ([]byte, error) { return encodeKeepingExtra(m) }

// UnmarshalJSON keeps unknown members in Extra.
func (m *StandardValueSetMetadata) UnmarshalJSON(data []byte) error {
	return decodeKeepingExtra(data, m)
}

// MarshalJSON writes Extra back.
func (m StandardValueSetMetadata) MarshalJSON() ([]byte, error) { return encodeKeepingExtra(m) }

// metadata lists the types that carry unmodelled members in a field
// named Extra.
type metadata interface {
	CustomFieldMetadata | ValueSet | ValueSetDefinition | CustomValue |
		GlobalValueSetMetadata | StandardValueSetMetadata
}

// decodeKeepingExtra decodes data into m field by field (not through m's
// own UnmarshalJSON, which calls it) and keeps the members m has no field
// for in m.Extra.
func decodeKeepingExtra[M metadata](data []byte, m *M) error {
	t := reflect.TypeFor[M]()
	plain := reflect.New(plainTypes[t])
	extra, err := decodeWithExtra(data, plain.Interface())
	if err != nil {
		return err
	}
	v := reflect.ValueOf(m).Elem()
	v.Set(plain.Elem().Convert(t))
	v.FieldByName("Extra").Set(reflect.ValueOf(extra))
	return nil
}

// encodeKeepingExtra encodes m field by field (not through its own
// MarshalJSON, which calls it) and adds the members of m.Extra.
func encodeKeepingExtra[M metadata](m M) ([]byte, error) {
	v := reflect.ValueOf(m)
	plain := v.Convert(plainTypes[v.Type()])
	return encodeWithExtra(plain.Interface(), v.FieldByName("Extra").Interface().(Extra))
}

// plainTypes maps each metadata type to a struct type with the same
// fields (and tags) and none of its methods, to which a value of it
// converts. It is built once and only read afterwards; building the
// struct type on every call would double the cost of a round trip.
var plainTypes = func() map[reflect.Type]reflect.Type {
	m := map[reflect.Type]reflect.Type{}
	for _, t := range []reflect.Type{
		reflect.TypeFor[CustomFieldMetadata](), reflect.TypeFor[ValueSet](), reflect.TypeFor[ValueSetDefinition](),
		reflect.TypeFor[CustomValue](), reflect.TypeFor[GlobalValueSetMetadata](), reflect.TypeFor[StandardValueSetMetadata](),
	} {
		fields := make([]reflect.StructField, t.NumField())
		for i := range fields {
			fields[i] = t.Field(i)
		}
		m[t] = reflect.StructOf(fields)
	}
	return m
}()
