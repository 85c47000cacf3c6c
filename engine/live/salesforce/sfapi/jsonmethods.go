package sfapi

// JSON methods of the Metadata types: every member the type does not model
// goes to Extra and back. Each method converts to a local type without
// methods to avoid recursion.

// UnmarshalJSON keeps unknown members in Extra.
func (m *CustomFieldMetadata) UnmarshalJSON(data []byte) error {
	type plain CustomFieldMetadata
	var p plain
	extra, err := decodeWithExtra(data, &p)
	if err != nil {
		return err
	}
	*m = CustomFieldMetadata(p)
	m.Extra = extra
	return nil
}

// MarshalJSON writes Extra back.
func (m CustomFieldMetadata) MarshalJSON() ([]byte, error) {
	type plain CustomFieldMetadata
	return encodeWithExtra(plain(m), m.Extra)
}

// UnmarshalJSON keeps unknown members in Extra.
func (v *ValueSet) UnmarshalJSON(data []byte) error {
	type plain ValueSet
	var p plain
	extra, err := decodeWithExtra(data, &p)
	if err != nil {
		return err
	}
	*v = ValueSet(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes Extra back.
func (v ValueSet) MarshalJSON() ([]byte, error) {
	type plain ValueSet
	return encodeWithExtra(plain(v), v.Extra)
}

// UnmarshalJSON keeps unknown members in Extra.
func (d *ValueSetDefinition) UnmarshalJSON(data []byte) error {
	type plain ValueSetDefinition
	var p plain
	extra, err := decodeWithExtra(data, &p)
	if err != nil {
		return err
	}
	*d = ValueSetDefinition(p)
	d.Extra = extra
	return nil
}

// MarshalJSON writes Extra back.
func (d ValueSetDefinition) MarshalJSON() ([]byte, error) {
	type plain ValueSetDefinition
	return encodeWithExtra(plain(d), d.Extra)
}

// UnmarshalJSON keeps unknown members in Extra.
func (v *CustomValue) UnmarshalJSON(data []byte) error {
	type plain CustomValue
	var p plain
	extra, err := decodeWithExtra(data, &p)
	if err != nil {
		return err
	}
	*v = CustomValue(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes Extra back.
func (v CustomValue) MarshalJSON() ([]byte, error) {
	type plain CustomValue
	return encodeWithExtra(plain(v), v.Extra)
}

// UnmarshalJSON keeps unknown members in Extra.
func (m *GlobalValueSetMetadata) UnmarshalJSON(data []byte) error {
	type plain GlobalValueSetMetadata
	var p plain
	extra, err := decodeWithExtra(data, &p)
	if err != nil {
		return err
	}
	*m = GlobalValueSetMetadata(p)
	m.Extra = extra
	return nil
}

// MarshalJSON writes Extra back.
func (m GlobalValueSetMetadata) MarshalJSON() ([]byte, error) {
	type plain GlobalValueSetMetadata
	return encodeWithExtra(plain(m), m.Extra)
}

// UnmarshalJSON keeps unknown members in Extra.
func (m *StandardValueSetMetadata) UnmarshalJSON(data []byte) error {
	type plain StandardValueSetMetadata
	var p plain
	extra, err := decodeWithExtra(data, &p)
	if err != nil {
		return err
	}
	*m = StandardValueSetMetadata(p)
	m.Extra = extra
	return nil
}

// MarshalJSON writes Extra back.
func (m StandardValueSetMetadata) MarshalJSON() ([]byte, error) {
	type plain StandardValueSetMetadata
	return encodeWithExtra(plain(m), m.Extra)
}
