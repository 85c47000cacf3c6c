package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

const examplesDir = "../examples/acme"

// compiler returns a Draft 2020-12 compiler with every embedded schema added
// as a resource under its $id.
func compiler(t *testing.T) *jsonschema.Compiler {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	for _, name := range Files() {
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		if got, want := doc["$id"], BaseID+name; got != want {
			t.Errorf("%s: $id is %v, want %s", name, got, want)
		}
		if got := doc["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema is %v, want draft 2020-12", name, got)
		}
		if err := c.AddResource(BaseID+name, bytes.NewReader(data)); err != nil {
			t.Fatalf("add %s: %v", name, err)
		}
	}
	return c
}

func compile(t *testing.T, c *jsonschema.Compiler, name string) *jsonschema.Schema {
	t.Helper()
	s, err := c.Compile(BaseID + name)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return s
}

func TestFilesMatchEmbedded(t *testing.T) {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	var embedded []string
	for _, e := range entries {
		embedded = append(embedded, e.Name())
	}
	listed := Files()
	sort.Strings(embedded)
	sort.Strings(listed)
	if !slices.Equal(embedded, listed) {
		t.Errorf("embedded files %v differ from Files() %v", embedded, listed)
	}
}

func TestFile(t *testing.T) {
	cases := map[string]string{
		"Project":          "project.schema.json",
		"Taxonomy":         "taxonomy.schema.json",
		"LifecycleModel":   "lifecycle-model.schema.json",
		"lifecyclemodel":   "lifecycle-model.schema.json",
		"NamingConvention": "naming-convention.schema.json",
		"RACI":             "raci.schema.json",
		"SLA":              "sla.schema.json",
		"ConsentPolicy":    "consent-policy.schema.json",
		"Campaign":         "campaign.schema.json",
		"Unknown":          "",
		"":                 "",
	}
	for kind, want := range cases {
		if got := File(kind); got != want {
			t.Errorf("File(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestSchemasCompile(t *testing.T) {
	c := compiler(t)
	for _, name := range Files() {
		compile(t, c, name)
	}
}

// TestDescriptions checks that every declared property (and every $defs
// entry) carries a non-empty description, since editors show it on hover.
// Subschemas under if/then/else/not only add constraints to properties
// declared elsewhere and are skipped.
func TestDescriptions(t *testing.T) {
	for _, name := range Files() {
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		for _, p := range undescribed(doc, "#") {
			t.Errorf("%s: %s has no description", name, p)
		}
	}
}

func undescribed(v any, ptr string) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for i, x := range v {
			out = append(out, undescribed(x, fmt.Sprintf("%s/%d", ptr, i))...)
		}
	case map[string]any:
		if ptr == "#" && !hasDescription(v) {
			out = append(out, ptr)
		}
		for _, key := range sortedKeys(v) {
			child := v[key]
			p := ptr + "/" + key
			switch key {
			case "if", "then", "else", "not":
				continue
			case "properties", "patternProperties", "$defs":
				m, _ := child.(map[string]any)
				for _, pk := range sortedKeys(m) {
					if s, ok := m[pk].(map[string]any); ok && !hasDescription(s) {
						out = append(out, p+"/"+pk)
					}
				}
			case "additionalProperties":
				if s, ok := child.(map[string]any); ok && !hasDescription(s) {
					out = append(out, p)
				}
			}
			out = append(out, undescribed(child, p)...)
		}
	}
	return out
}

func hasDescription(s map[string]any) bool {
	d, _ := s["description"].(string)
	return strings.TrimSpace(d) != ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// yamlDocs decodes every document of a YAML stream into JSON-compatible
// values, keeping dates and timestamps as strings.
func yamlDocs(r io.Reader) ([]map[string]any, error) {
	dec := yaml.NewDecoder(r)
	var out []map[string]any
	for i := 0; ; i++ {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		v, err := nodeValue(&n)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("document %d is a %T, not a mapping", i, v)
		}
		out = append(out, m)
	}
}

func nodeValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return nodeValue(n.Content[0])
	case yaml.AliasNode:
		return nodeValue(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeValue(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := nodeValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return json.Number(n.Value), nil
		}
		return i, nil
	case "!!float":
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return f, nil
	default:
		return n.Value, nil
	}
}

// exampleFiles lists the governance files of the example repository, as
// the Project's include/exclude select them.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(examplesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(examplesDir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			// Like the loader: hidden folders (.github, .mops) are tooling.
			if rel == "live" || rel == "policies" || (rel != "." && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestExamplesValidate(t *testing.T) {
	c := compiler(t)
	root := compile(t, c, Root)
	byKind := map[string]*jsonschema.Schema{}
	kinds := map[string]int{}
	for _, path := range exampleFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := yamlDocs(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i, doc := range docs {
			kind, _ := doc["kind"].(string)
			kinds[kind]++
			if err := root.Validate(doc); err != nil {
				t.Errorf("%s document %d (root schema): %#v", path, i, err)
			}
			if File(kind) == "" {
				continue
			}
			s := byKind[kind]
			if s == nil {
				s = compile(t, c, File(kind))
				byKind[kind] = s
			}
			if err := s.Validate(doc); err != nil {
				t.Errorf("%s document %d (%s schema): %#v", path, i, kind, err)
			}
		}
	}
	if kinds["Project"] != 1 {
		t.Errorf("want exactly one Project, got %d", kinds["Project"])
	}
	if kinds["Campaign"] < 24 {
		t.Errorf("want at least 24 campaigns, got %d", kinds["Campaign"])
	}
	for _, k := range []string{"Taxonomy", "LifecycleModel", "NamingConvention", "RACI", "SLA", "ConsentPolicy"} {
		if kinds[k] == 0 {
			t.Errorf("no %s document in the examples", k)
		}
	}
}

// validTaxonomy is a small valid document the negative cases start from.
const validTaxonomy = `apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: lead-source}
spec:
  label: Lead Source
  values:
    - {value: event, label: Event}
    - {value: trade_show, label: Trade Show, deprecated: true, replacedBy: event}
`

func validateYAML(t *testing.T, s *jsonschema.Schema, src string) error {
	t.Helper()
	docs, err := yamlDocs(strings.NewReader(src))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	if len(docs) != 1 {
		t.Fatalf("want one document, got %d", len(docs))
	}
	return s.Validate(docs[0])
}

func TestAccepts(t *testing.T) {
	c := compiler(t)
	root := compile(t, c, Root)
	cases := map[string]string{
		"taxonomy": validTaxonomy,
		"sla targets": `apiVersion: mops.dev/v1
kind: SLA
metadata: {name: a}
spec: {type: stage-response, target: 1h30m}
`,
		"waiver": `apiVersion: mops.dev/v1
kind: SLA
metadata:
  name: a
  waivers:
    - {rule: campaign.lead-time, until: 2027-02-01, reason: Board-mandated date, approvedBy: mops-lead}
spec: {type: campaign-lead-time, target: 10bd}
`,
		"salesforce system": `apiVersion: mops.dev/v1
kind: Project
metadata: {name: acme}
spec:
  maxFileSize: 1048576
  systems:
    - {name: salesforce-prod, type: salesforce, instanceURL: "https://acme.my.salesforce.com", apiVersion: v62.0, tokenEnv: SALESFORCE_TOKEN}
`,
		"salesforce oauth flows": `apiVersion: mops.dev/v1
kind: Project
metadata: {name: acme}
spec:
  systems:
    - name: sf-cc
      type: salesforce
      instanceURL: https://acme.my.salesforce.com
      auth: {flow: client-credentials, clientIdEnv: SF_CLIENT_ID, clientSecretEnv: SF_CLIENT_SECRET}
    - name: sf-jwt
      type: salesforce
      instanceURL: https://acme--uat.sandbox.my.salesforce.com
      auth: {flow: jwt-bearer, clientIdEnv: SF_CLIENT_ID, username: mops@acme.example, privateKeyFileEnv: SF_KEY_FILE, audience: "https://test.salesforce.com"}
    - name: sf-local
      type: salesforce
      instanceURL: http://127.0.0.1:8443
      auth: {flow: jwt-bearer, clientIdEnv: SF_CLIENT_ID, username: mops@acme.example, privateKeyEnv: SF_KEY}
`,
		"hubspot api versions": `apiVersion: mops.dev/v1
kind: Project
metadata: {name: acme}
spec:
  systems:
    - {name: hubspot-prod, type: hubspot, apiVersion: 2026-09, tokenEnv: HUBSPOT_TOKEN}
    - {name: hubspot-legacy, type: hubspot, apiVersion: v3, tokenEnv: HUBSPOT_TOKEN}
    - {name: sandbox, type: sandbox, state: .mops/sandbox.json, apiVersion: v3}
`,
	}
	for _, target := range []string{"24h", "90m", "3d", "10bd"} {
		cases["sla target "+target] = "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: a}\nspec: {type: stage-response, target: " + target + "}\n"
	}
	for name, src := range cases {
		if err := validateYAML(t, root, src); err != nil {
			t.Errorf("%s: want valid, got %v", name, err)
		}
	}
}

func TestRejects(t *testing.T) {
	c := compiler(t)
	root := compile(t, c, Root)
	const (
		sla     = "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: a}\nspec: {type: stage-response, target: 2d}\n"
		raci    = "apiVersion: mops.dev/v1\nkind: RACI\nmetadata: {name: a}\nspec:\n  roles: [{id: r, members: [x]}]\n  activities: [{id: a, responsible: [r], accountable: r}]\n"
		consent = "apiVersion: mops.dev/v1\nkind: ConsentPolicy\nmetadata: {name: a}\nspec:\n  regions: [emea]\n  channels: {email: {allowed: true, lawfulBasis: [consent], optIn: double}}\n"
		project = "apiVersion: mops.dev/v1\nkind: Project\nmetadata: {name: a}\nspec:\n  systems: [{name: hs, type: hubspot, tokenEnv: HS_TOKEN}]\n"
		model   = "apiVersion: mops.dev/v1\nkind: LifecycleModel\nmetadata: {name: a}\nspec:\n  object: contact\n  stages: [{id: lead, label: Lead}, {id: mql, label: MQL}]\n"
		naming  = "apiVersion: mops.dev/v1\nkind: NamingConvention\nmetadata: {name: a}\nspec:\n  appliesTo: [{kind: Campaign, field: spec.name}]\n  template: \"{x}\"\n  tokens: {x: {taxonomy: region}}\n"
	)
	// Each base document must be valid, so that a case fails only for its
	// own change.
	for _, base := range []string{validTaxonomy, sla, raci, consent, project, model, naming} {
		if err := validateYAML(t, root, base); err != nil {
			t.Fatalf("base document is invalid: %v\n%s", err, base)
		}
	}
	edit := func(base, old, new string) string {
		t.Helper()
		if !strings.Contains(base, old) {
			t.Fatalf("%q not found in\n%s", old, base)
		}
		return strings.Replace(base, old, new, 1)
	}
	cases := []struct {
		name, src, want string
	}{
		{"unknown top-level field", validTaxonomy + "extra: 1\n", "'extra' not allowed"},
		{"unknown spec field", edit(validTaxonomy, "  label: Lead Source\n", "  label: Lead Source\n  lable: typo\n"), "'lable' not allowed"},
		{"unknown metadata field", edit(validTaxonomy, "{name: lead-source}", "{name: lead-source, ownr: x}"), "'ownr' not allowed"},
		{"value missing label", edit(validTaxonomy, "{value: event, label: Event}", "{value: event}"), "missing properties: 'label'"},
		{"deprecated without replacedBy", edit(validTaxonomy, ", replacedBy: event}", "}"), "missing properties: 'replacedBy'"},
		{"replacedBy without deprecated", edit(validTaxonomy, "deprecated: true, ", ""), "missing properties: 'deprecated'"},
		{"no values", edit(validTaxonomy, "  values:\n    - {value: event, label: Event}\n    - {value: trade_show, label: Trade Show, deprecated: true, replacedBy: event}\n", "  values: []\n"), "minimum 1 items"},
		{"bad valueCase", edit(validTaxonomy, "  label: Lead Source\n", "  label: Lead Source\n  valueCase: camelCase\n"), "value must be one of"},
		{"wrong apiVersion", edit(validTaxonomy, "mops.dev/v1", "mops.dev/v2"), "mops.dev/v1"},
		{"unknown kind", edit(validTaxonomy, "kind: Taxonomy", "kind: Taxonomie"), "value must be one of"},
		{"upper-case name", edit(validTaxonomy, "name: lead-source", "name: Lead-Source"), "does not match pattern"},
		{"missing spec", edit(sla, "spec: {type: stage-response, target: 2d}\n", ""), "missing properties: 'spec'"},
		{"bad sla target", edit(sla, "target: 2d", "target: 2 weeks"), "does not match pattern"},
		{"bad sla type", edit(sla, "type: stage-response", "type: response"), "value must be one of"},
		{"waiver without reason", edit(sla, "metadata: {name: a}", "metadata:\n  name: a\n  waivers: [{rule: x.y, until: 2027-01-01, approvedBy: mops-lead}]"), "missing properties: 'reason'"},
		{"waiver bad date", edit(sla, "metadata: {name: a}", "metadata:\n  name: a\n  waivers: [{rule: x.y, until: next week, reason: r, approvedBy: mops-lead}]"), "is not valid 'date'"},
		{"one stage", edit(model, ", {id: mql, label: MQL}", ""), "minimum 2 items"},
		{"bad lifecycle object", edit(model, "object: contact", "object: deal"), "value must be one of"},
		{"accountable list", edit(raci, "accountable: r", "accountable: [r]"), "expected string"},
		{"no responsible", edit(raci, "responsible: [r]", "responsible: []"), "minimum 1 items"},
		{"bad optIn", edit(consent, "optIn: double", "optIn: triple"), "value must be one of"},
		{"bad lawfulBasis", edit(consent, "lawfulBasis: [consent]", "lawfulBasis: [vibes]"), "value must be one of"},
		{"allowed without lawfulBasis", edit(consent, "lawfulBasis: [consent], ", ""), "missing properties: 'lawfulBasis'"},
		{"token with two kinds", edit(naming, "{taxonomy: region}", "{taxonomy: region, enum: [a]}"), "valid against schemas at indexes"},
		{"token with no kind", edit(naming, "{taxonomy: region}", "{maxLength: 3}"), "oneOf failed"},
		{"hubspot with state", edit(project, "tokenEnv: HS_TOKEN", "tokenEnv: HS_TOKEN, state: x.json"), "not allowed"},
		{"hubspot without tokenEnv", edit(project, ", tokenEnv: HS_TOKEN", ""), "missing properties: 'tokenEnv'"},
		{"token in tokenEnv", edit(project, "tokenEnv: HS_TOKEN", "tokenEnv: pat-na1-1234"), "does not match pattern"},
		{"salesforce token and auth", sfProject("tokenEnv: SF_TOKEN, auth: {flow: client-credentials, clientIdEnv: A, clientSecretEnv: B}"), "oneOf"},
		{"salesforce neither token nor auth", sfProject(""), "oneOf"},
		{"client credentials without secret", sfProject("auth: {flow: client-credentials, clientIdEnv: A}"), "missing properties: 'clientSecretEnv'"},
		{"client credentials with a key", sfProject("auth: {flow: client-credentials, clientIdEnv: A, clientSecretEnv: B, privateKeyEnv: K}"), "not allowed"},
		{"jwt without key", sfProject("auth: {flow: jwt-bearer, clientIdEnv: A, username: u@x.example}"), "oneOf failed"},
		{"jwt with both keys", sfProject("auth: {flow: jwt-bearer, clientIdEnv: A, username: u@x.example, privateKeyEnv: K, privateKeyFileEnv: F}"), "valid against schemas at indexes"},
		{"jwt without username", sfProject("auth: {flow: jwt-bearer, clientIdEnv: A, privateKeyEnv: K}"), "missing properties: 'username'"},
		{"secret in clientSecretEnv", sfProject("auth: {flow: client-credentials, clientIdEnv: A, clientSecretEnv: 8A4BE698BCA2}"), "does not match pattern"},
		{"unknown flow", sfProject("auth: {flow: password, clientIdEnv: A}"), "value must be one of"},
		{"plain http instance elsewhere", strings.Replace(sfProject("tokenEnv: T"), "https://acme.my.salesforce.com", "http://acme.my.salesforce.com", 1), "does not match pattern"},
		{"hubspot with a salesforce version", edit(project, "tokenEnv: HS_TOKEN", "tokenEnv: HS_TOKEN, apiVersion: v62.0"), "does not match pattern"},
		{"hubspot with a month HubSpot does not release", edit(project, "tokenEnv: HS_TOKEN", "tokenEnv: HS_TOKEN, apiVersion: 2026-05"), "does not match pattern"},
		{"salesforce with a hubspot version", edit(project, "{name: hs, type: hubspot, tokenEnv: HS_TOKEN}",
			`{name: sf, type: salesforce, instanceURL: "https://a.my.salesforce.com", tokenEnv: SF_TOKEN, apiVersion: 2026-09}`), "does not match pattern"},
		{"freeze date only", edit(project, "  systems:", "  freezes: [{name: f, from: 2026-12-20, to: 2027-01-05}]\n  systems:"), "is not valid 'date-time'"},
		{"campaign bad qa status", campaign(t, "rendering: pending", "rendering: done"), "value must be one of"},
		{"campaign unknown qa item", campaign(t, "rendering: pending", "rendering: pending, legal: passed"), "'legal' not allowed"},
		{"campaign bad date", campaign(t, "launchDate: 2027-01-20", "launchDate: 20/01/2027"), "is not valid 'date'"},
		{"campaign no regions", campaign(t, "regions: [emea]", "regions: []"), "minimum 1 items"},
		{"campaign extra utm field", campaign(t, "spring_launch}", "spring_launch, content: x}"), "'content' not allowed"},
		{"campaign bad basis", campaign(t, "basis: consent", "basis: implied"), "value must be one of"},
	}
	for _, tc := range cases {
		err := validateYAML(t, root, tc.src)
		if err == nil {
			t.Errorf("%s: want a validation error, got none\n%s", tc.name, tc.src)
			continue
		}
		if msg := fmt.Sprintf("%#v", err); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: want an error containing %q, got %s", tc.name, tc.want, msg)
		}
	}
}

// campaign returns the RESOURCES.md example campaign with old replaced by
// new, after checking that the unmodified campaign is valid.
func campaign(t *testing.T, old, new string) string {
	t.Helper()
	const src = `apiVersion: mops.dev/v1
kind: Campaign
metadata:
  name: fy27-q1-emea-spring-launch
  owner: demand-gen
spec:
  name: FY27-Q1-emea-email-spring_launch
  channel: email
  type: nurture
  regions: [emea]
  leadSource: webinar
  intakeDate: 2027-01-05
  launchDate: 2027-01-20
  endDate: 2027-03-31
  audience:
    segment: emea-prospects
    consent: {basis: consent, subscriptionType: marketing-newsletter}
  utm: {source: newsletter, medium: email, campaign: fy27-q1-emea-email-spring_launch}
  links:
    - https://acme.example/spring?utm_source=newsletter&utm_medium=email&utm_campaign=fy27-q1-emea-email-spring_launch
  qa: {links: passed, tracking: passed, segmentation: passed, consent: passed, rendering: pending}
`
	c := compiler(t)
	if err := validateYAML(t, compile(t, c, File("Campaign")), src); err != nil {
		t.Fatalf("the RESOURCES.md campaign is invalid: %v", err)
	}
	if !strings.Contains(src, old) {
		t.Fatalf("campaign does not contain %q", old)
	}
	return strings.Replace(src, old, new, 1)
}

// sfProject is a Project with one Salesforce system whose extra fields are
// fields (YAML flow-mapping members).
func sfProject(fields string) string {
	if fields != "" {
		fields = ", " + fields
	}
	return "apiVersion: mops.dev/v1\nkind: Project\nmetadata: {name: a}\nspec:\n  systems: [{name: sf, type: salesforce, instanceURL: \"https://acme.my.salesforce.com\"" + fields + "}]\n"
}
