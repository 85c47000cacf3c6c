package model

import (
	"slices"
	"time"
)

// Typed specs of the kinds that the engine itself reads (plans, approvals,
// CODEOWNERS). Policies read the documents as plain data instead. Decode a
// document's spec with Document.Decode.

// Binding names where a vocabulary lives in a live system.
type Binding struct {
	System   string `yaml:"system"`
	Object   string `yaml:"object"`
	Property string `yaml:"property"`
}

// Taxonomy is the spec of a Taxonomy: a controlled vocabulary.
type Taxonomy struct {
	Label     string          `yaml:"label"`
	ValueCase string          `yaml:"valueCase"`
	Values    []TaxonomyValue `yaml:"values"`
	Bindings  []Binding       `yaml:"bindings"`
}

// TaxonomyValue is one value of a Taxonomy.
type TaxonomyValue struct {
	Value       string `yaml:"value"`
	Label       string `yaml:"label"`
	Description string `yaml:"description"`
	Deprecated  bool   `yaml:"deprecated"`
	ReplacedBy  string `yaml:"replacedBy"`
}

// LifecycleModel is the spec of a LifecycleModel.
type LifecycleModel struct {
	Object      string       `yaml:"object"`
	Stages      []Stage      `yaml:"stages"`
	Transitions []Transition `yaml:"transitions"`
	Bindings    []Binding    `yaml:"bindings"`
}

// Stage is one lifecycle stage.
type Stage struct {
	ID            string `yaml:"id"`
	Label         string `yaml:"label"`
	EntryCriteria string `yaml:"entryCriteria"`
	SLA           string `yaml:"sla"`
	Terminal      bool   `yaml:"terminal"`
	// Deprecated retires the stage: its records move to ReplacedBy.
	Deprecated bool   `yaml:"deprecated"`
	ReplacedBy string `yaml:"replacedBy"`
}

// Transition lists the stages a stage may move to.
type Transition struct {
	From string   `yaml:"from"`
	To   []string `yaml:"to"`
}

// RACI is the spec of a RACI document.
type RACI struct {
	Roles      []Role     `yaml:"roles"`
	Activities []Activity `yaml:"activities"`
}

// Role is a RACI role and its members (see Member).
type Role struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Members []Member `yaml:"members"`
}

// Activity is a RACI activity: who decides changes to which kinds.
type Activity struct {
	ID          string   `yaml:"id"`
	Description string   `yaml:"description"`
	Governs     []string `yaml:"governs"`
	Responsible []string `yaml:"responsible"`
	Accountable string   `yaml:"accountable"`
	Consulted   []string `yaml:"consulted"`
	Informed    []string `yaml:"informed"`
}

// Project is the spec of mops.yaml.
type Project struct {
	Include       []string          `yaml:"include"`
	Exclude       []string          `yaml:"exclude"`
	Policies      []string          `yaml:"policies"`
	TaxonomyRefs  map[string]string `yaml:"taxonomyRefs"`
	DefaultSystem string            `yaml:"defaultSystem"`
	Systems       []System          `yaml:"systems"`
	Changelog     string            `yaml:"changelog"`
	Approvals     Approvals         `yaml:"approvals"`
	Freezes       []Freeze          `yaml:"freezes"`
	MaxFileSize   int64             `yaml:"maxFileSize"`
}

// System is a live system of the Project.
type System struct {
	Name        string `yaml:"name"`
	Type        string `yaml:"type"`
	State       string `yaml:"state"`
	Seed        string `yaml:"seed"`
	Flavor      string `yaml:"flavor"`
	BaseURL     string `yaml:"baseURL"`
	TokenEnv    string `yaml:"tokenEnv"`
	InstanceURL string `yaml:"instanceURL"`
	APIVersion  string `yaml:"apiVersion"`
	// Auth, for a Salesforce org, runs an OAuth flow instead of reading
	// an access token from TokenEnv.
	Auth *SystemAuth `yaml:"auth"`
	// BulkThreshold, for Salesforce, is the number of records above which
	// a migration uses Bulk API 2.0; 0 means the default.
	BulkThreshold int `yaml:"bulkThreshold"`
}

// SystemAuth is how mops gets a Salesforce access token itself: the OAuth
// 2.0 flow of an External Client App. Secrets are named by environment
// variable, never held.
type SystemAuth struct {
	// Flow is client-credentials or jwt-bearer.
	Flow string `yaml:"flow"`
	// ClientIDEnv names the variable holding the app's consumer key.
	ClientIDEnv string `yaml:"clientIdEnv"`
	// ClientSecretEnv names the variable holding its consumer secret
	// (client-credentials).
	ClientSecretEnv string `yaml:"clientSecretEnv"`
	// Username is the user the JWT bearer flow's tokens are for.
	Username string `yaml:"username"`
	// PrivateKeyEnv names the variable holding the PEM private key
	// (jwt-bearer); PrivateKeyFileEnv the one holding the path of a PEM
	// file. Exactly one is set.
	PrivateKeyEnv     string `yaml:"privateKeyEnv"`
	PrivateKeyFileEnv string `yaml:"privateKeyFileEnv"`
	// Audience is the login host the JWT names: https://login.salesforce.com
	// (default) or https://test.salesforce.com for a sandbox org.
	Audience string `yaml:"audience"`
}

// Approvals configure the built-in approval policy.
type Approvals struct {
	DestructiveMinApprovers int `yaml:"destructiveMinApprovers"`
}

// Freeze is a window in which apply is refused.
type Freeze struct {
	Name         string    `yaml:"name"`
	From         time.Time `yaml:"from"`
	To           time.Time `yaml:"to"`
	Reason       string    `yaml:"reason"`
	OverrideRole string    `yaml:"overrideRole"`
}

// ProjectSpec decodes the bundle's Project spec; the zero Project when there
// is none.
func (b *Bundle) ProjectSpec() (Project, error) {
	var p Project
	if b.Project == nil {
		return p, nil
	}
	if err := b.Project.Decode(&p); err != nil {
		return p, err
	}
	return p, nil
}

// DefaultChangelog is where apply records changes when spec.changelog is
// not set (a slash path relative to the repository).
const DefaultChangelog = ".mops/changelog"

// ChangelogFile returns spec.changelog, or DefaultChangelog.
func (p Project) ChangelogFile() string {
	if p.Changelog == "" {
		return DefaultChangelog
	}
	return p.Changelog
}

// System returns the named system, or the default one when name is empty.
func (p Project) System(name string) (System, bool) {
	if name == "" {
		name = p.DefaultSystem
	}
	for _, s := range p.Systems {
		if s.Name == name {
			return s, true
		}
	}
	return System{}, false
}

// Bindings returns where a Taxonomy or LifecycleModel is bound in live
// systems (spec.bindings), in order; nil for other kinds. Entries that are
// not mappings of strings are left out: the schema reports them.
func (d *Document) Bindings() []Binding {
	if d.Kind != KindTaxonomy && d.Kind != KindLifecycleModel {
		return nil
	}
	list, _ := d.Spec()["bindings"].([]any)
	var out []Binding
	for _, item := range list {
		m, _ := item.(map[string]any)
		sys, _ := m["system"].(string)
		obj, _ := m["object"].(string)
		prop, _ := m["property"].(string)
		if sys != "" {
			out = append(out, Binding{System: sys, Object: obj, Property: prop})
		}
	}
	return out
}

// BoundSystems lists the systems that the documents of b bind, each once,
// in the order the Project declares them; systems the Project does not
// declare follow in the order they are first bound.
func (b *Bundle) BoundSystems() []string {
	var bound []string
	for _, d := range b.Docs {
		for _, bd := range d.Bindings() {
			if !slices.Contains(bound, bd.System) {
				bound = append(bound, bd.System)
			}
		}
	}
	proj, _ := b.ProjectSpec()
	out := make([]string, 0, len(bound))
	for _, s := range proj.Systems {
		if slices.Contains(bound, s.Name) {
			out = append(out, s.Name)
		}
	}
	for _, s := range bound {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
