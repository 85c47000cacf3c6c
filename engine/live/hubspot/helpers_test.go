package hubspot_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

const (
	seedPath  = "../sandbox/testdata/seed.json"
	testToken = "pat-na1-11111111-2222-3333-4444-555555555555"
)

// env is a sandbox served on loopback and a client talking to it through a
// checking transport.
type env struct {
	sb     *sandbox.Sandbox
	client *hubspot.Client
	tr     *checkingTransport
	clock  *clienttest.Clock
	url    string
}

func sandboxFromSeed(t testing.TB, opts ...sandbox.Option) *sandbox.Sandbox {
	t.Helper()
	opts = append([]sandbox.Option{sandbox.WithLimits(sandbox.Limits{})}, opts...)
	sb, err := sandbox.Open("", seedPath, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

func newEnv(t testing.TB, sb *sandbox.Sandbox, opts ...hubspot.Option) *env {
	t.Helper()
	if sb == nil {
		sb = sandboxFromSeed(t)
	}
	tr := newCheckingTransport(t)
	base := clienttest.Start(t, sb.Start, tr.next.(*http.Transport))
	e := &env{sb: sb, tr: tr, clock: &clienttest.Clock{}, url: base}
	all := append([]hubspot.Option{
		hubspot.WithHTTPClient(&http.Client{Transport: e.tr}),
		hubspot.WithSystem("sandbox"),
		hubspot.WithRetry(clienttest.FastRetry()),
		hubspot.WithClock(e.clock),
		hubspot.WithLimits(hubspot.Limits{Concurrent: 10}),
		hubspot.WithTimeout(5 * time.Second),
	}, opts...)
	var err error
	e.client, err = hubspot.New(base, testToken, all...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// paths are the paths of the API version the client calls by default.
var paths = hsapi.PathsOf(hsapi.DefaultVersion)

// pathOf fills a path format of paths.
func pathOf(format string, names ...any) string { return fmt.Sprintf(format, names...) }

func bind(object, property string) live.Binding {
	return live.Binding{System: "sandbox", Object: object, Property: property}
}

func readOne(t testing.TB, c *hubspot.Client, b live.Binding) *live.Property {
	t.Helper()
	return clienttest.ReadOne(t, c, b)
}
