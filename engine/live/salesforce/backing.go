package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// backingKind is the Tooling object that holds a picklist's values.
type backingKind string

const (
	// kindCustomField: a custom field with its own values
	// (Metadata.valueSet.valueSetDefinition).
	kindCustomField backingKind = sfapi.TypeCustomField
	// kindGlobal: a custom field bound to a global value set
	// (Metadata.valueSet.valueSetName).
	kindGlobal backingKind = sfapi.TypeGlobalValueSet
	// kindStandard: a standard field, whose values are a StandardValueSet.
	kindStandard backingKind = sfapi.TypeStandardValueSet
)

// backing says where one picklist's values live. The Tooling Ids are
// stable, so the client caches them per field for its lifetime.
type backing struct {
	kind backingKind
	id   string // Tooling Id of the record holding the values
	name string // Lead.Region__c, or the value set's name
}

// valueSet is a picklist's live values and what a write needs.
type valueSet struct {
	backing
	values []sfapi.CustomValue
	cf     *sfapi.CustomField
	gvs    *sfapi.GlobalValueSet
	svs    *sfapi.StandardValueSet
}

// errRebound says a cached custom field now uses a global value set.
var errRebound = errors.New("custom field now uses a global value set")

// loadValues reads the values behind a picklist field of object, through
// the cached backing when there is one (one GET), else by finding it: a
// standard field's StandardValueSet from the table, a custom field's
// CustomField and, when it names one, its GlobalValueSet.
func (c *Client) loadValues(ctx context.Context, object string, f *sfapi.Field) (*valueSet, error) {
	key := object + "." + f.Name
	if b, ok := c.backing.Load(key); ok {
		vs, err := c.fetch(ctx, b)
		if err == nil {
			return vs, nil
		}
		if !errors.Is(err, live.ErrNotFound) && !errors.Is(err, errRebound) {
			return nil, err
		}
	}
	vs, err := c.resolve(ctx, object, f)
	if err == nil {
		c.backing.Store(key, vs.backing)
	} else {
		c.backing.Delete(key)
	}
	return vs, err
}

func (c *Client) resolve(ctx context.Context, object string, f *sfapi.Field) (*valueSet, error) {
	if !f.Custom {
		name, err := standardValueSet(object, f.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.api.System, err)
		}
		id, err := c.findOne(ctx, soqlStandardValueSet(name), "", "StandardValueSet "+name)
		if err != nil {
			return nil, err
		}
		return c.fetch(ctx, backing{kind: kindStandard, id: id, name: name})
	}
	fieldID, err := c.findCustomField(ctx, object, f.Name)
	if err != nil {
		return nil, err
	}
	cf, err := c.GetCustomField(ctx, fieldID)
	if err != nil {
		return nil, err
	}
	if g := cf.Metadata.ValueSet.GlobalName(); g != "" {
		ns, dev := splitNamespace(g)
		id, err := c.findOne(ctx, soqlGlobalValueSet(dev), ns, "GlobalValueSet "+g)
		if err != nil {
			return nil, err
		}
		return c.fetch(ctx, backing{kind: kindGlobal, id: id, name: g})
	}
	return customFieldValues(backing{kind: kindCustomField, id: fieldID, name: cf.FullName}, cf)
}

// fetch GETs the record a backing names.
func (c *Client) fetch(ctx context.Context, b backing) (*valueSet, error) {
	switch b.kind {
	case kindCustomField:
		cf, err := c.GetCustomField(ctx, b.id)
		if err != nil {
			return nil, err
		}
		if cf.Metadata.ValueSet.GlobalName() != "" {
			return nil, errRebound
		}
		return customFieldValues(b, cf)
	case kindGlobal:
		g, err := c.GetGlobalValueSet(ctx, b.id)
		if err != nil {
			return nil, err
		}
		return &valueSet{backing: b, values: g.Metadata.CustomValue, gvs: g}, nil
	default:
		s, err := c.GetStandardValueSet(ctx, b.id)
		if err != nil {
			return nil, err
		}
		return &valueSet{backing: b, values: s.Metadata.StandardValue, svs: s}, nil
	}
}

func customFieldValues(b backing, cf *sfapi.CustomField) (*valueSet, error) {
	vs := cf.Metadata.ValueSet
	if vs == nil || vs.ValueSetDefinition == nil {
		return nil, fmt.Errorf("custom field %s has no value set in its Metadata; is it a picklist?", cf.FullName)
	}
	return &valueSet{backing: b, values: vs.ValueSetDefinition.Value, cf: cf}, nil
}

// findCustomField returns the Tooling Id of a custom field. A custom
// object's fields are found through the object's Id (TableEnumOrId holds
// the Id for custom objects and the name for standard ones).
func (c *Client) findCustomField(ctx context.Context, object, field string) (string, error) {
	table := object
	if on := splitAPIName(object); on.custom {
		id, err := c.findOne(ctx, soqlCustomObject(on.developer), on.namespace, "custom object "+object)
		if err != nil {
			return "", err
		}
		table = id
	}
	fn := splitAPIName(field)
	return c.findOne(ctx, soqlCustomField(table, fn.developer), fn.namespace, "custom field "+object+"."+field)
}

// findOne runs a Tooling query for Ids and returns the one row in the
// given namespace ("" for none).
func (c *Client) findOne(ctx context.Context, soql, namespace, what string) (string, error) {
	var ids []string
	err := c.queryAll(ctx, true, soql, func(raw json.RawMessage, _ int) error {
		var row sfapi.ToolingRow
		if err := json.Unmarshal(raw, &row); err != nil {
			return fmt.Errorf("decode Tooling row: %w", err)
		}
		ns := ""
		if row.NamespacePrefix != nil {
			ns = *row.NamespacePrefix
		}
		if ns == namespace && row.ID != "" {
			ids = append(ids, row.ID)
		}
		return nil
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("find %s: %w", what, err)
	case len(ids) == 0:
		return "", fmt.Errorf("%s: find %s: no Tooling record: %w", c.api.System, what, live.ErrNotFound)
	case len(ids) > 1:
		return "", fmt.Errorf("%s: find %s: %d Tooling records match", c.api.System, what, len(ids))
	}
	return ids[0], nil
}

// writeValues writes a value list back to the record it was read from,
// with the rest of that record's Metadata unchanged.
func (c *Client) writeValues(ctx context.Context, vs *valueSet, vals []sfapi.CustomValue) error {
	switch vs.kind {
	case kindCustomField:
		md := vs.cf.Metadata
		set := *md.ValueSet
		def := *set.ValueSetDefinition
		def.Value = vals
		set.ValueSetDefinition = &def
		md.ValueSet = &set
		return c.UpdateCustomField(ctx, vs.id, sfapi.MetadataWrite[sfapi.CustomFieldMetadata]{FullName: vs.cf.FullName, Metadata: md})
	case kindGlobal:
		md := vs.gvs.Metadata
		md.CustomValue = vals
		return c.UpdateGlobalValueSet(ctx, vs.id, sfapi.MetadataWrite[sfapi.GlobalValueSetMetadata]{FullName: vs.gvs.FullName, Metadata: md})
	default:
		md := vs.svs.Metadata
		md.StandardValue = vals
		return c.UpdateStandardValueSet(ctx, vs.id, sfapi.MetadataWrite[sfapi.StandardValueSetMetadata]{FullName: vs.svs.FullName, Metadata: md})
	}
}
