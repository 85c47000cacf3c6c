package salesforce_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// stub is a hand-written server for answers the emulator never gives.
type stub struct {
	*httptest.Server
	hits atomic.Int64
}

func newStub(t testing.TB, h http.HandlerFunc) *stub {
	s := &stub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func stubClient(t testing.TB, url string, opts ...salesforce.Option) *salesforce.Client {
	t.Helper()
	all := append([]salesforce.Option{
		salesforce.WithRetry(fastRetry()), salesforce.WithClock(&fakeClock{}), salesforce.WithLimits(salesforce.Limits{}),
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
