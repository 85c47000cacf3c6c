package schema

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// languageServer finds yaml-language-server: MOPS_YAML_LANGUAGE_SERVER
// (.ci/run installs a pinned one and sets it), else the PATH.
func languageServer(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MOPS_YAML_LANGUAGE_SERVER"); p != "" {
		return p
	}
	p, err := exec.LookPath("yaml-language-server")
	if err != nil {
		t.Skip("yaml-language-server is not installed (npm install yaml-language-server@1.25.0, or set MOPS_YAML_LANGUAGE_SERVER); .ci/run installs it")
	}
	return p
}

// lspClient speaks LSP's JSON-RPC over a server's stdin and stdout.
type lspClient struct {
	t        *testing.T
	in       io.Writer
	settings any // what workspace/configuration answers for "yaml"

	mu      sync.Mutex
	nextID  int
	pending map[int]chan json.RawMessage
	diags   chan diagnostics
}

type diagnostics struct {
	URI         string `json:"uri"`
	Diagnostics []struct {
		Message string `json:"message"`
		Range   struct {
			Start struct{ Line, Character int } `json:"start"`
		} `json:"range"`
	} `json:"diagnostics"`
}

func (c *lspClient) send(msg map[string]any) {
	msg["jsonrpc"] = "2.0"
	b, err := json.Marshal(msg)
	if err != nil {
		c.t.Error(err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(b), b); err != nil {
		c.t.Errorf("write to the language server: %v", err)
	}
}

// read dispatches the server's messages until out closes.
func (c *lspClient) read(out io.Reader) {
	r := bufio.NewReader(out)
	for {
		n := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(v)
			}
		}
		if n < 0 {
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var msg struct {
			ID     *json.RawMessage `json:"id"`
			Method string           `json:"method"`
			Params json.RawMessage  `json:"params"`
			Result json.RawMessage  `json:"result"`
			Error  json.RawMessage  `json:"error"`
		}
		if err := json.Unmarshal(body, &msg); err != nil {
			continue
		}
		switch {
		case msg.Method == "textDocument/publishDiagnostics":
			var d diagnostics
			if json.Unmarshal(msg.Params, &d) == nil {
				c.diags <- d
			}
		case msg.Method != "" && msg.ID != nil:
			// A request from the server: answer configuration, accept the rest.
			var result any
			if msg.Method == "workspace/configuration" {
				var p struct{ Items []any }
				_ = json.Unmarshal(msg.Params, &p)
				res := make([]any, len(p.Items))
				for i := range res {
					res[i] = c.settings
				}
				result = res
			}
			c.send(map[string]any{"id": msg.ID, "result": result})
		case msg.ID != nil:
			id, _ := strconv.Atoi(string(*msg.ID))
			c.mu.Lock()
			ch := c.pending[id]
			delete(c.pending, id)
			c.mu.Unlock()
			if ch != nil {
				if len(msg.Error) > 0 && string(msg.Error) != "null" {
					ch <- json.RawMessage(`{"error":` + string(msg.Error) + `}`)
				} else {
					ch <- msg.Result
				}
			}
		}
	}
}

// call sends a request and waits for its result.
func (c *lspClient) call(method string, params any) json.RawMessage {
	c.t.Helper()
	ch := make(chan json.RawMessage, 1)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	c.send(map[string]any{"id": id, "method": method, "params": params})
	select {
	case res := <-ch:
		return res
	case <-time.After(30 * time.Second):
		c.t.Fatalf("the language server did not answer %s within 30 s", method)
		return nil
	}
}

func (c *lspClient) notify(method string, params any) {
	c.send(map[string]any{"method": method, "params": params})
}

// TestYAMLLanguageServer drives yaml-language-server, as VS Code, Neovim
// and JetBrains do, with the bundled schema mapped the way mops init maps
// it: the schema must give hover text, completion of a kind and a
// diagnostic for an unknown field, with no network.
func TestYAMLLanguageServer(t *testing.T) {
	server := languageServer(t)
	repo := t.TempDir()
	bundle, err := Bundle()
	if err != nil {
		t.Fatal(err)
	}
	schemaPath := filepath.Join(repo, ".mops", "mops.schema.json")
	if err := os.MkdirAll(filepath.Dir(schemaPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(schemaPath, bundle, 0o644); err != nil {
		t.Fatal(err)
	}
	region, err := os.ReadFile("../../examples/acme/taxonomies/region.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The example's region taxonomy with one field that no schema allows.
	text := strings.Replace(string(region), "  valueCase: snake_case\n", "  valueCase: snake_case\n  colour: blue\n", 1)
	if text == string(region) {
		t.Fatal("the example's region.yaml changed; update the test's edit")
	}
	docPath := filepath.Join(repo, "taxonomies", "region.yaml")
	docURI := fileURI(docPath)

	cmd := exec.Command(server, "--stdio")
	if strings.HasSuffix(server, ".js") {
		cmd = exec.Command("node", server, "--stdio")
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", server, err)
	}
	defer func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	// What .vscode/settings.json of a repository made by mops init says.
	settings := map[string]any{
		"schemas":    map[string]any{schemaPath: []string{"**/*.yaml", "**/*.yml"}},
		"validate":   true,
		"hover":      true,
		"completion": true,
		// No schema store: the test must not depend on the network.
		"schemaStore": map[string]any{"enable": false},
	}
	c := &lspClient{t: t, in: stdin, settings: settings, pending: map[int]chan json.RawMessage{}, diags: make(chan diagnostics, 16)}
	go c.read(stdout)

	c.call("initialize", map[string]any{
		"processId": os.Getpid(),
		"rootUri":   fileURI(repo),
		"capabilities": map[string]any{
			"workspace": map[string]any{"configuration": true},
			"textDocument": map[string]any{
				"hover":              map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
				"completion":         map[string]any{"completionItem": map[string]any{"snippetSupport": false}},
				"publishDiagnostics": map[string]any{},
			},
		},
	})
	c.notify("initialized", map[string]any{})
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"yaml": settings}})
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": docURI, "languageId": "yaml", "version": 1, "text": text,
	}})

	lines := strings.Split(text, "\n")
	lineOf := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line starts with %q", prefix)
		return 0
	}

	t.Run("diagnostic for an unknown field", func(t *testing.T) {
		want := lineOf("  colour:")
		deadline := time.After(30 * time.Second)
		for {
			select {
			case d := <-c.diags:
				if d.URI != docURI {
					continue
				}
				for _, x := range d.Diagnostics {
					if x.Range.Start.Line == want && strings.Contains(x.Message, "colour") {
						return
					}
				}
				if len(d.Diagnostics) > 0 {
					t.Logf("diagnostics so far: %+v", d.Diagnostics)
				}
			case <-deadline:
				t.Fatalf("no diagnostic about the unknown field colour on line %d within 30 s; server log:\n%s", want+1, stderr.String())
			}
		}
	})

	t.Run("hover shows the field's description", func(t *testing.T) {
		line := lineOf("  label: Region")
		res := c.call("textDocument/hover", map[string]any{
			"textDocument": map[string]any{"uri": docURI},
			"position":     map[string]any{"line": line, "character": 4},
		})
		if !strings.Contains(string(res), "display name, as people see it in HubSpot or Salesforce") {
			t.Errorf("hover over spec.label does not show its description:\n%s\nserver log:\n%s", res, stderr.String())
		}
	})

	t.Run("completion offers the kinds", func(t *testing.T) {
		newURI := fileURI(filepath.Join(repo, "campaigns", "new.yaml"))
		c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": newURI, "languageId": "yaml", "version": 1, "text": "apiVersion: mops.dev/v1\nkind: \n",
		}})
		res := c.call("textDocument/completion", map[string]any{
			"textDocument": map[string]any{"uri": newURI},
			"position":     map[string]any{"line": 1, "character": 6},
		})
		var list struct {
			Items []struct{ Label string } `json:"items"`
		}
		if err := json.Unmarshal(res, &list); err != nil {
			t.Fatalf("completion result %s: %v", res, err)
		}
		var labels []string
		for _, it := range list.Items {
			labels = append(labels, it.Label)
		}
		for _, want := range []string{"Campaign", "Taxonomy", "LifecycleModel"} {
			if !strings.Contains(strings.Join(labels, "\n")+"\n", want+"\n") {
				t.Errorf("completion after kind: lacks %s; got %v", want, labels)
			}
		}
	})
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
