package hubspot_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
)

func stubClient(t testing.TB, url string, opts ...hubspot.Option) *hubspot.Client {
	t.Helper()
	all := append([]hubspot.Option{
		hubspot.WithRetry(clienttest.FastRetry()), hubspot.WithClock(&clienttest.Clock{}), hubspot.WithLimits(hubspot.Limits{}),
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
