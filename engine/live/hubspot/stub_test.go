package hubspot_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// stub is a hand-written server for answers the sandbox never gives.
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

func stubClient(t testing.TB, url string, opts ...hubspot.Option) *hubspot.Client {
	t.Helper()
	all := append([]hubspot.Option{
		hubspot.WithRetry(fastRetry()), hubspot.WithClock(&fakeClock{}), hubspot.WithLimits(hubspot.Limits{}),
	}, opts...)
	c, err := hubspot.New(url, testToken, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeHubSpotError(w http.ResponseWriter, status int, e hsapi.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}
