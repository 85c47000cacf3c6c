package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Describe returns an sObject's describe (GET /sobjects/{object}/describe).
func (c *Client) Describe(ctx context.Context, object string) (*sfapi.SObjectDescribe, error) {
	if err := checkIdent("sObject", object); err != nil {
		return nil, fmt.Errorf("%s: describe: %w", c.api.System, err)
	}
	var out sfapi.SObjectDescribe
	err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: c.root + fmt.Sprintf(sfapi.PathDescribe, url.PathEscape(object)), Out: &out, Idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Query runs a data SOQL query and returns its first page.
func (c *Client) Query(ctx context.Context, soql string) (*sfapi.QueryResult, error) {
	return c.query(ctx, c.root+sfapi.PathQuery, soql)
}

// ToolingQuery runs a Tooling SOQL query and returns its first page.
func (c *Client) ToolingQuery(ctx context.Context, soql string) (*sfapi.QueryResult, error) {
	return c.query(ctx, c.root+sfapi.PathToolingQuery, soql)
}

func (c *Client) query(ctx context.Context, path, soql string) (*sfapi.QueryResult, error) {
	var out sfapi.QueryResult
	err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: path, Query: url.Values{"q": {soql}}, Out: &out, Idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// QueryMore fetches the page a nextRecordsUrl names. The URL must be a
// query path of this client's API version on the same instance: the token
// goes nowhere else.
func (c *Client) QueryMore(ctx context.Context, next string) (*sfapi.QueryResult, error) {
	u, err := url.Parse(next)
	ok := err == nil && u.Scheme == "" && u.Host == "" && u.RawQuery == "" && !strings.Contains(u.Path, "..") &&
		(strings.HasPrefix(u.Path, c.root+sfapi.PathQuery+"/") || strings.HasPrefix(u.Path, c.root+sfapi.PathToolingQuery+"/"))
	if !ok {
		return nil, fmt.Errorf("%s: nextRecordsUrl %q is not a query path under %s", c.api.System, c.api.Redact(next), c.root)
	}
	var out sfapi.QueryResult
	if err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: u.EscapedPath(), Out: &out, Idempotent: true}); err != nil {
		return nil, err
	}
	return &out, nil
}

// queryAll runs soql and calls fn with every record of every page,
// following nextRecordsUrl, and the query's total size.
func (c *Client) queryAll(ctx context.Context, tooling bool, soql string, fn func(rec json.RawMessage, total int) error) error {
	first := c.Query
	if tooling {
		first = c.ToolingQuery
	}
	page, err := first(ctx, soql)
	for {
		if err != nil {
			return err
		}
		for _, r := range page.Records {
			if err := fn(r, page.TotalSize); err != nil {
				return err
			}
		}
		if page.Done || page.NextRecordsURL == "" {
			return nil
		}
		page, err = c.QueryMore(ctx, page.NextRecordsURL)
	}
}

// GetCustomField reads a Tooling CustomField with its full Metadata.
func (c *Client) GetCustomField(ctx context.Context, id string) (*sfapi.CustomField, error) {
	var out sfapi.CustomField
	if err := c.getTooling(ctx, sfapi.TypeCustomField, id, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateCustomField writes a CustomField's full Metadata.
func (c *Client) UpdateCustomField(ctx context.Context, id string, w sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) error {
	return c.patchTooling(ctx, sfapi.TypeCustomField, id, w)
}

// CreateCustomField creates a custom field and returns its Id.
func (c *Client) CreateCustomField(ctx context.Context, w sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) (string, error) {
	var out sfapi.SaveResult
	err := c.api.Do(ctx, rest.Call{Method: http.MethodPost, Path: c.root + fmt.Sprintf(sfapi.PathToolingObjects, sfapi.TypeCustomField), Body: w, Out: &out})
	if err != nil {
		return "", err
	}
	if !out.Success || out.ID == "" {
		return "", fmt.Errorf("%s: create custom field %s: Salesforce reports no success: %s", c.api.System, w.FullName, c.api.Redact(fmt.Sprint(out.Errors)))
	}
	return out.ID, nil
}

// GetGlobalValueSet reads a Tooling GlobalValueSet.
func (c *Client) GetGlobalValueSet(ctx context.Context, id string) (*sfapi.GlobalValueSet, error) {
	var out sfapi.GlobalValueSet
	if err := c.getTooling(ctx, sfapi.TypeGlobalValueSet, id, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateGlobalValueSet writes a GlobalValueSet's full Metadata.
func (c *Client) UpdateGlobalValueSet(ctx context.Context, id string, w sfapi.MetadataWrite[sfapi.GlobalValueSetMetadata]) error {
	return c.patchTooling(ctx, sfapi.TypeGlobalValueSet, id, w)
}

// GetStandardValueSet reads a Tooling StandardValueSet.
func (c *Client) GetStandardValueSet(ctx context.Context, id string) (*sfapi.StandardValueSet, error) {
	var out sfapi.StandardValueSet
	if err := c.getTooling(ctx, sfapi.TypeStandardValueSet, id, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateStandardValueSet writes a StandardValueSet's full Metadata.
func (c *Client) UpdateStandardValueSet(ctx context.Context, id string, w sfapi.MetadataWrite[sfapi.StandardValueSetMetadata]) error {
	return c.patchTooling(ctx, sfapi.TypeStandardValueSet, id, w)
}

func (c *Client) getTooling(ctx context.Context, typ, id string, out any) error {
	return c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: c.toolingPath(typ, id), Out: out, Idempotent: true})
}

// patchTooling is not retried on 5xx or lost connections: Apply re-reads
// live when run again.
func (c *Client) patchTooling(ctx context.Context, typ, id string, body any) error {
	return c.api.Do(ctx, rest.Call{Method: http.MethodPatch, Path: c.toolingPath(typ, id), Body: body})
}

func (c *Client) toolingPath(typ, id string) string {
	return c.root + fmt.Sprintf(sfapi.PathToolingObject, typ, url.PathEscape(id))
}

// UpdateRecords writes up to sfapi.MaxCollection records with one sObject
// collections call (allOrNone false: a refused record does not stop the
// others). The results come in request order. It is not retried on 5xx
// or lost connections.
func (c *Client) UpdateRecords(ctx context.Context, records []sfapi.RecordUpdate) ([]sfapi.RecordResult, error) {
	if len(records) > sfapi.MaxCollection {
		return nil, fmt.Errorf("%s: update of %d records: at most %d per call", c.api.System, len(records), sfapi.MaxCollection)
	}
	var out []sfapi.RecordResult
	err := c.api.Do(ctx, rest.Call{Method: http.MethodPatch, Path: c.root + sfapi.PathCollections,
		Body: sfapi.CollectionUpdate{AllOrNone: false, Records: records}, Out: &out})
	if err != nil {
		return nil, err
	}
	if len(out) != len(records) {
		return out, fmt.Errorf("%s: update of %d records: %d results", c.api.System, len(records), len(out))
	}
	return out, nil
}
