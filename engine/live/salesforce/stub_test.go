package salesforce_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

func stubClient(t testing.TB, url string, opts ...salesforce.Option) *salesforce.Client {
	t.Helper()
	all := append([]salesforce.Option{
		salesforce.WithRetry(clienttest.FastRetry()), salesforce.WithClock(&clienttest.Clock{}), salesforce.WithLimits(salesforce.Limits{}),
	}, opts...)
	c, err := salesforce.New(url, testToken, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeSFError(w http.ResponseWriter, status int, errs ...sfapi.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errs)
}
