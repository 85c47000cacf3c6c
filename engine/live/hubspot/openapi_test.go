package hubspot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// specFiles are HubSpot's OpenAPI files for the calls mops makes, copied
// into testdata/openapi: the v3 ones, from which the date-based version's
// operations are derived (see dated).
var specFiles = []string{"Properties", "Objects", "Communications-status"}

// loadRouters loads the OpenAPI files once per test binary: the v3
// operations and those of hsapi.DefaultVersion. The vendor files carry two
// defects kin-openapi refuses (an example missing a required field, a
// response without description); examples are not validated and missing
// descriptions are filled in memory, leaving every schema as published.
func loadRouters(t testing.TB) []routers.Router {
	t.Helper()
	rs, err := sharedRouters()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// sharedRouters parses the files once per test binary; routers are
// read-only once built.
var sharedRouters = sync.OnceValues(func() ([]routers.Router, error) {
	var out []routers.Router
	for _, version := range []string{hsapi.VersionV3, hsapi.DefaultVersion} {
		for _, f := range specFiles {
			doc, err := openapi3.NewLoader().LoadFromFile("testdata/openapi/" + f + ".json")
			if err != nil {
				return nil, fmt.Errorf("load %s: %w", f, err)
			}
			for _, item := range doc.Paths.Map() {
				for _, op := range item.Operations() {
					for _, resp := range op.Responses.Map() {
						if resp.Value != nil && resp.Value.Description == nil {
							resp.Value.Description = new(string)
						}
					}
				}
			}
			searchSortsAsDocumented(doc)
			if hsapi.Dated(version) {
				dated(doc, version)
			}
			r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
			if err != nil {
				return nil, fmt.Errorf("router %s %s: %w", version, f, err)
			}
			out = append(out, r)
		}
	}
	return out, nil
})

// searchSortsAsDocumented makes a search's sorts what HubSpot's search
// guide documents, [{"propertyName": ..., "direction": ASCENDING |
// DESCENDING}], where the OpenAPI files say an array of strings: where the
// two disagree, mops follows the guide ("Search the CRM", Sorting:
// https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm).
func searchSortsAsDocumented(doc *openapi3.T) {
	req := doc.Components.Schemas["PublicObjectSearchRequest"]
	if req == nil {
		return
	}
	sort := openapi3.NewObjectSchema().
		WithProperty("propertyName", openapi3.NewStringSchema()).
		WithProperty("direction", openapi3.NewStringSchema().WithEnum("ASCENDING", "DESCENDING"))
	sort.Required = []string{"propertyName"}
	req.Value.Properties["sorts"] = openapi3.NewArraySchema().WithItems(sort).NewRef()
}

// dated turns a v3 document into version's: the same operations at the
// date-based paths (hsapi.PathsOf), with the differences HubSpot's own
// files for the version have. Those files may not be redistributed, so
// the differences are written here as facts: from 2026-09 an option's
// displayOrder is required (OptionInput), and the definitions answer an
// action response, {status, results, startedAt, completedAt} (schema
// ActionResponseWithResultsSubscriptionDefinition).
func dated(doc *openapi3.T, version string) {
	v3, dv := hsapi.PathsOf(hsapi.VersionV3), hsapi.PathsOf(version)
	rename := strings.NewReplacer(
		prefixOf(v3.Properties), prefixOf(dv.Properties),
		prefixOf(v3.Search), prefixOf(dv.Search),
		v3.SubscriptionDefs, dv.SubscriptionDefs,
	)
	paths := openapi3.NewPaths()
	for p, item := range doc.Paths.Map() {
		if np := rename.Replace(p); np != p {
			paths.Set(np, item)
		}
	}
	doc.Paths = paths
	if opt := doc.Components.Schemas["OptionInput"]; opt != nil && version >= hsapi.ValidatedSince {
		opt.Value.Required = append(opt.Value.Required, "displayOrder")
	}
	if item := doc.Paths.Value(dv.SubscriptionDefs); item != nil {
		def := openapi3.NewObjectSchema().
			WithProperty("id", openapi3.NewStringSchema()).
			WithProperty("name", openapi3.NewStringSchema()).
			WithProperty("description", openapi3.NewStringSchema()).
			WithProperty("purpose", openapi3.NewStringSchema()).
			WithProperty("communicationMethod", openapi3.NewStringSchema()).
			WithProperty("isActive", openapi3.NewBoolSchema()).
			WithProperty("isDefault", openapi3.NewBoolSchema()).
			WithProperty("isInternal", openapi3.NewBoolSchema()).
			WithProperty("createdAt", openapi3.NewDateTimeSchema()).
			WithProperty("updatedAt", openapi3.NewDateTimeSchema())
		def.Required = []string{"createdAt", "description", "id", "isActive", "isDefault", "isInternal", "name", "updatedAt"}
		action := openapi3.NewObjectSchema().
			WithProperty("status", openapi3.NewStringSchema().WithEnum("CANCELED", "COMPLETE", "PENDING", "PROCESSING")).
			WithProperty("results", openapi3.NewArraySchema().WithItems(def)).
			WithProperty("startedAt", openapi3.NewDateTimeSchema()).
			WithProperty("completedAt", openapi3.NewDateTimeSchema())
		action.Required = []string{"completedAt", "results", "startedAt", "status"}
		ok := openapi3.NewResponse().WithDescription("successful operation").WithJSONSchema(action)
		item.Get.Responses.Set("200", &openapi3.ResponseRef{Value: ok})
	}
}

// prefixOf is a path format's part before its first placeholder.
func prefixOf(format string) string { return format[:strings.Index(format, "%s")] }

// checkingTransport validates every request the client sends, and every
// answer it gets, against the OpenAPI files, and counts requests.
type checkingTransport struct {
	t       testing.TB
	routers []routers.Router
	next    http.RoundTripper

	mu       sync.Mutex
	ops      map[string]int // operation id → requests
	requests map[string]int // "METHOD /path" → requests
	statuses map[int]int
	total    int
}

func newCheckingTransport(t testing.TB) *checkingTransport {
	return &checkingTransport{
		t: t, routers: loadRouters(t), next: http.DefaultTransport.(*http.Transport).Clone(),
		ops: map[string]int{}, requests: map[string]int{}, statuses: map[int]int{},
	}
}

var errNoBearer = errors.New("no Authorization: Bearer header")

func bearerAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") || len(h) <= len("Bearer ") {
		return errNoBearer
	}
	return nil
}

func (c *checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	key := req.Method + " " + req.URL.Path
	c.mu.Lock()
	c.requests[key]++
	c.total++
	c.mu.Unlock()

	if req.URL.Path == hsapi.PathAccessTokenInfo {
		// Token introspection belongs to HubSpot's OAuth API, which the
		// OpenAPI files leave out; its documented body is {"tokenKey": "..."}.
		var fields map[string]any
		if req.Method != http.MethodPost || json.Unmarshal(body, &fields) != nil || len(fields) != 1 || fields["tokenKey"] == nil {
			c.t.Errorf("request %s is not the documented introspection request: %s", key, body)
		}
		return c.next.RoundTrip(req)
	}
	// Route as if the request went to HubSpot itself.
	probe := req.Clone(req.Context())
	probe.URL = &url.URL{Scheme: "https", Host: "api.hubapi.com", Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	probe.Host = "api.hubapi.com"
	probe.Body = io.NopCloser(bytes.NewReader(body))
	var in *openapi3filter.RequestValidationInput
	for _, r := range c.routers {
		route, params, err := r.FindRoute(probe)
		if err != nil {
			continue
		}
		in = &openapi3filter.RequestValidationInput{
			Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: bearerAuth, MultiError: true},
		}
		c.mu.Lock()
		c.ops[route.Operation.OperationID+" "+route.Method+" "+route.Path]++
		c.mu.Unlock()
		if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
			c.t.Errorf("request %s does not conform to the OpenAPI files: %v\nbody: %s", key, err, body)
		}
		break
	}
	if in == nil {
		c.t.Errorf("request %s matches no operation of the OpenAPI files", key)
	}

	resp, err := c.next.RoundTrip(req)
	if err != nil || in == nil {
		return resp, err
	}
	c.mu.Lock()
	c.statuses[resp.StatusCode]++
	c.mu.Unlock()
	data, rerr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if rerr != nil {
		return resp, nil // the client sees the truncated body as before
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(data)
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		c.t.Errorf("answer %d to %s does not conform to the OpenAPI files: %v\nbody: %s", resp.StatusCode, key, err, data)
	}
	return resp, nil
}

func (c *checkingTransport) count(method, path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests[method+" "+path]
}

func (c *checkingTransport) totalRequests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

func (c *checkingTransport) operations() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.ops))
	for k, v := range c.ops {
		out[k] = v
	}
	return out
}

func (c *checkingTransport) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprint(c.requests)
}
