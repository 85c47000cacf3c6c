package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/rest"
)

// Search runs one search page. Search only reads, so it counts as
// idempotent although it is a POST, and it uses the search limiter.
func (c *Client) Search(ctx context.Context, objectType string, req hsapi.SearchRequest) (*hsapi.SearchResponse, error) {
	if req.FilterGroups == nil {
		req.FilterGroups = []hsapi.FilterGroup{}
	}
	if req.Sorts == nil {
		req.Sorts = []hsapi.Sort{}
	}
	if req.Properties == nil {
		req.Properties = []string{}
	}
	if req.After == "" {
		req.After = "0"
	}
	var out hsapi.SearchResponse
	err := c.api.Do(ctx, rest.Call{
		Method:     http.MethodPost,
		Path:       fmt.Sprintf(c.paths.Search, url.PathEscape(objectType)),
		Body:       req,
		Out:        &out,
		Idempotent: true,
		Limiter:    c.search,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// BatchUpdate writes up to hsapi.MaxBatchInputs records. A 207 answer
// (some records refused) is not an error: the refusals are in the
// response's Errors. It is not retried on 5xx or lost connections.
func (c *Client) BatchUpdate(ctx context.Context, objectType string, inputs []hsapi.BatchInput) (*hsapi.BatchResponse, error) {
	if len(inputs) > hsapi.MaxBatchInputs {
		return nil, fmt.Errorf("%s: batch update of %d records: at most %d per batch", c.api.System, len(inputs), hsapi.MaxBatchInputs)
	}
	var out hsapi.BatchResponse
	err := c.api.Do(ctx, rest.Call{
		Method: http.MethodPost,
		Path:   fmt.Sprintf(c.paths.BatchUpdate, url.PathEscape(objectType)),
		Body:   hsapi.BatchUpdateRequest{Inputs: inputs},
		Out:    &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
