package systems_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/model"
)

// TestWithLoggerReachesTheClient: a Salesforce org at 90% of its daily
// allocation makes the client connected by Open warn through the logger
// given with WithLogger, naming the system and never the token.
func TestWithLoggerReachesTheClient(t *testing.T) {
	sb, err := sfsandbox.Open("", "", sfsandbox.WithAPIUsage(90_000, 100_000))
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	const token = "00Dsecret!token"
	p := model.Project{Systems: []model.System{{Name: "sf-prod", Type: "salesforce", InstanceURL: url, TokenEnv: "SF_TOKEN"}}}
	var logs bytes.Buffer
	conn, err := systems.Open(context.Background(), t.TempDir(), p, "sf-prod", func(string) string { return token },
		systems.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	b := live.Binding{System: "sf-prod", Object: "Lead", Property: "LeadSource"}
	if _, err := conn.Provider.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{b}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `level=WARN msg="salesforce: API usage is high" system=sf-prod usage="api-usage=90001/100000" percent=90`) {
		t.Errorf("no usage warning in the log:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "secret") {
		t.Errorf("the log shows the token:\n%s", logs.String())
	}
}
