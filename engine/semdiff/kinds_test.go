package semdiff_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/semdiff"
)

// TestLifecycleStageDeprecated: retiring a stage reads like retiring a
// taxonomy value, naming the stage its records move to.
func TestLifecycleStageDeprecated(t *testing.T) {
	const model = `
apiVersion: mops.dev/v1
kind: LifecycleModel
metadata: {name: contact-lifecycle}
spec:
  object: contact
  stages:
    - {id: lead, label: Lead}
    - {id: recycle, label: Recycle%s}
    - {id: customer, label: Customer, terminal: true}
`
	doc := diffOne(t, "lc.yaml", fmt.Sprintf(model, ""), fmt.Sprintf(model, ", deprecated: true, replacedBy: lead"))
	want := []brief{{"stage.deprecated", "recycle", "contact-lifecycle: stage 'Recycle' deprecated in favour of 'Lead'"}}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestLifecycle(t *testing.T) {
	doc := diffOne(t, "lc.yaml", `
apiVersion: mops.dev/v1
kind: LifecycleModel
metadata: {name: contact-lifecycle}
spec:
  object: contact
  stages:
    - {id: subscriber, label: Subscriber}
    - {id: lead, label: Lead}
    - {id: mql, label: Marketing Qualified Lead, sla: mql-follow-up}
    - {id: sql, label: Sales Qualified Lead}
    - {id: customer, label: Customer}
    - {id: evangelist, label: Evangelist, terminal: true}
`, `
apiVersion: mops.dev/v1
kind: LifecycleModel
metadata: {name: contact-lifecycle}
spec:
  object: contact
  stages:
    - {id: subscriber, label: Subscriber}
    - {id: lead, label: Lead}
    - {id: mql, label: MQL, sla: mql-fast, entryCriteria: Score >= 70}
    - {id: sal, label: Sales Accepted Lead}
    - {id: sql, label: Sales Qualified Lead}
    - {id: customer, label: Customer, terminal: true}
  transitions:
    - {from: subscriber, to: [lead]}
    - {from: lead, to: [mql]}
    - {from: mql, to: [sal, lead]}
    - {from: sal, to: [sql]}
    - {from: sql, to: [customer]}
`)
	want := []brief{
		{"stage.relabelled", "mql", "contact-lifecycle: stage mql relabelled from 'Marketing Qualified Lead' to 'MQL'"},
		{"stage.sla.changed", "mql", "contact-lifecycle: stage 'MQL' SLA changed from 'mql-follow-up' to 'mql-fast'"},
		{"stage.entryCriteria.changed", "mql", "contact-lifecycle: entry criteria of stage 'MQL' changed from (none) to 'Score >= 70'"},
		{"stage.added", "sal", "contact-lifecycle: stage 'Sales Accepted Lead' (sal) added at position 4"},
		{"stage.terminal.changed", "customer", "contact-lifecycle: stage 'Customer' is now terminal"},
		{"stage.removed", "evangelist", "contact-lifecycle: stage 'Evangelist' (evangelist) removed"},
		{"transition.added", "mql->sal", "contact-lifecycle: transition mql → sal added"},
		{"transition.added", "mql->lead", "contact-lifecycle: transition mql → lead added"},
		{"transition.added", "sal->sql", "contact-lifecycle: transition sal → sql added"},
		{"transition.removed", "mql->sql", "contact-lifecycle: transition mql → sql removed"},
		{"transition.removed", "customer->evangelist", "contact-lifecycle: transition customer → evangelist removed"},
	}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	g := doc.Lifecycle
	if g == nil {
		t.Fatal("no lifecycle graph")
	}
	wantStages := []semdiff.GraphStage{
		{ID: "subscriber", Label: "Subscriber", Initial: true},
		{ID: "lead", Label: "Lead"},
		{ID: "mql", Label: "MQL", Status: semdiff.Changed},
		{ID: "sal", Label: "Sales Accepted Lead", Status: semdiff.Added},
		{ID: "sql", Label: "Sales Qualified Lead"},
		{ID: "customer", Label: "Customer", Status: semdiff.Changed, Terminal: true},
		{ID: "evangelist", Label: "Evangelist", Status: semdiff.Removed, Terminal: true},
	}
	if diff := cmp.Diff(wantStages, g.Stages); diff != "" {
		t.Errorf("graph stages (-want +got):\n%s", diff)
	}
	if n := len(g.Transitions); n != 8 {
		t.Errorf("graph has %d transitions, want 6 in head + 2 removed", n)
	}
}

// TestDefaultTransitionsAreEffective: writing out the default transitions
// is no change; only a real new move is.
func TestDefaultTransitionsAreEffective(t *testing.T) {
	base := `
apiVersion: mops.dev/v1
kind: LifecycleModel
metadata: {name: lc}
spec:
  object: lead
  stages: [{id: a, label: A}, {id: b, label: B}, {id: c, label: C}]
`
	explicit := base + "  transitions: [{from: a, to: [b]}, {from: b, to: [c]}]\n"
	r := semdiff.Diff(bundle(t, map[string]string{"lc.yaml": base}), bundle(t, map[string]string{"lc.yaml": explicit}))
	if !r.Empty() {
		t.Errorf("spelling out the default transitions is a change: %+v", r.Documents)
	}
	recycle := base + "  transitions: [{from: a, to: [b]}, {from: b, to: [c, a]}]\n"
	doc := diffOne(t, "lc.yaml", base, recycle)
	if diff := cmp.Diff([]brief{{"transition.added", "b->a", "lc: transition b → a added"}}, briefs(doc.Changes)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestNamingConvention(t *testing.T) {
	doc := diffOne(t, "n.yaml", `
apiVersion: mops.dev/v1
kind: NamingConvention
metadata: {name: campaign-name}
spec:
  appliesTo:
    - {kind: Campaign, field: spec.name}
    - {kind: Campaign, field: spec.utm.campaign, transform: lower}
  template: "{fy}-{quarter}-{region}-{slug}"
  tokens:
    fy: {pattern: "FY[0-9]{2}"}
    quarter: {enum: [Q1, Q2, Q3, Q4]}
    region: {taxonomy: region}
    slug: {pattern: "[a-z0-9]+", maxLength: 40}
  maxLength: 80
`, `
apiVersion: mops.dev/v1
kind: NamingConvention
metadata: {name: campaign-name}
spec:
  appliesTo:
    - {kind: Campaign, field: spec.name}
    - {kind: Campaign, field: spec.utm.campaign}
  template: "{fy}-{quarter}-{region}-{channel}-{slug}"
  tokens:
    fy: {pattern: "FY[0-9]{2}"}
    quarter: {enum: [Q1, Q2, Q3, Q4, H1, H2]}
    region: {taxonomy: region}
    channel: {taxonomy: channel}
    slug: {pattern: "[a-z0-9]+", maxLength: 30}
  maxLength: 100
  derived:
    - {kind: Campaign, field: spec.utm.campaign, from: spec.name, transform: lower}
`)
	want := []brief{
		{"naming.template.changed", "", "campaign-name: template changed from '{fy}-{quarter}-{region}-{slug}' to '{fy}-{quarter}-{region}-{channel}-{slug}'"},
		{"token.added", "channel", "campaign-name: token {channel} added: a value of taxonomy channel"},
		{"token.changed", "quarter", "campaign-name: token {quarter} now allows 'H1' and 'H2'"},
		{"token.changed", "slug", "campaign-name: token {slug} maxLength changed from 40 to 30"},
		{"naming.appliesTo.changed", "Campaign spec.utm.campaign", "campaign-name: applies to Campaign spec.utm.campaign instead of Campaign spec.utm.campaign (transform lower)"},
		{"naming.derived.added", "Campaign spec.utm.campaign", "campaign-name: now derives Campaign spec.utm.campaign from spec.name in lower case"},
		{"naming.maxLength.changed", "", "campaign-name: maximum length changed from 80 to 100"},
	}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestRACI(t *testing.T) {
	doc := diffOne(t, "raci.yaml", `
apiVersion: mops.dev/v1
kind: RACI
metadata: {name: mops}
spec:
  roles:
    - {id: mops-lead, name: MOps Lead, members: ["@acme/mops"]}
    - {id: automation, members: ["@acme/automation"]}
    - {id: legal, members: ["@acme/legal"]}
  activities:
    - id: taxonomy-change
      governs: [Taxonomy, LifecycleModel]
      responsible: [automation]
      accountable: mops-lead
      informed: [legal]
`, `
apiVersion: mops.dev/v1
kind: RACI
metadata: {name: mops}
spec:
  roles:
    - {id: mops-lead, name: Marketing Operations Lead, members: ["@acme/mops", "dana@acme.example"]}
    - {id: automation, members: ["@acme/automation"]}
    - {id: revops, name: Revenue Operations, members: ["@acme/revops"]}
  activities:
    - id: taxonomy-change
      governs: [Taxonomy]
      responsible: [automation, mops-lead]
      accountable: revops
    - id: lifecycle-change
      governs: [LifecycleModel]
      responsible: [automation]
      accountable: revops
`)
	want := []brief{
		{"role.name.changed", "mops-lead", "mops: role mops-lead renamed from 'MOps Lead' to 'Marketing Operations Lead'"},
		{"role.member.added", "mops-lead", "mops: dana@acme.example added to role mops-lead"},
		{"role.added", "revops", "mops: role 'Revenue Operations' (revops) added with members @acme/revops"},
		{"role.removed", "legal", "mops: role legal removed"},
		{"activity.accountable.changed", "taxonomy-change", "mops: accountable for taxonomy-change changed from 'mops-lead' to 'revops'"},
		{"activity.responsible.added", "taxonomy-change", "mops: mops-lead is now responsible for taxonomy-change"},
		{"activity.informed.removed", "taxonomy-change", "mops: legal is no longer informed of taxonomy-change"},
		{"activity.governs.removed", "taxonomy-change", "mops: activity taxonomy-change no longer governs LifecycleModel changes"},
		{"activity.added", "lifecycle-change", "mops: activity lifecycle-change added: accountable 'revops', responsible automation"},
	}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestSLA(t *testing.T) {
	sla := func(typ, target string) string {
		return "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: s}\nspec: {type: " + typ + ", target: " + target + "}\n"
	}
	cases := []struct {
		typ, before, after string
		want               semdiff.Direction
	}{
		{"stage-response", "24h", "12h", semdiff.Tightened},
		{"stage-response", "1d", "36h", semdiff.Loosened},
		{"campaign-lead-time", "10bd", "15bd", semdiff.Tightened},
		{"campaign-lead-time", "10bd", "10d", ""}, // business and calendar days do not compare
	}
	for _, c := range cases {
		doc := diffOne(t, "s.yaml", sla(c.typ, c.before), sla(c.typ, c.after))
		if len(doc.Changes) != 1 || doc.Changes[0].Op != "sla.target.changed" || doc.Changes[0].Direction != c.want {
			t.Errorf("%s %s → %s: %+v, want direction %q", c.typ, c.before, c.after, doc.Changes, c.want)
		}
	}
}

const consentBase = `
apiVersion: mops.dev/v1
kind: ConsentPolicy
metadata: {name: eu-gdpr}
spec:
  regions: [emea]
  channels:
    email: {allowed: true, lawfulBasis: [consent], optIn: double, subscriptionType: newsletter, unsubscribeLink: true}
    sms: {allowed: false}
    fax: {allowed: true, lawfulBasis: [consent], optIn: single}
  retention: 730d
`

const consentHead = `
apiVersion: mops.dev/v1
kind: ConsentPolicy
metadata: {name: eu-gdpr}
spec:
  regions: [emea, uk]
  channels:
    email: {allowed: true, lawfulBasis: [consent, legitimate_interest], optIn: single, subscriptionType: newsletter}
    sms: {allowed: true, lawfulBasis: [consent], optIn: double}
    whatsapp: {allowed: true, lawfulBasis: [consent], optIn: double}
  retention: 1095d
`

func TestConsentIsComplianceWithDirection(t *testing.T) {
	doc := diffOne(t, "eu.yaml", consentBase, consentHead)
	type flagged struct {
		Op        semdiff.Op
		Message   string
		Direction semdiff.Direction
	}
	var got []flagged
	for _, c := range doc.Changes {
		if !c.Compliance {
			t.Errorf("%s is not flagged compliance-relevant", c.Op)
		}
		got = append(got, flagged{c.Op, c.Message, c.Direction})
	}
	want := []flagged{
		{"consent.region.added", "eu-gdpr: now covers region uk", ""},
		{"consent.lawfulBasis.added", "eu-gdpr: email accepts lawful basis legitimate_interest (loosened)", semdiff.Loosened},
		{"consent.optIn.changed", "eu-gdpr: email opt-in lowered from double to single (loosened)", semdiff.Loosened},
		{"consent.unsubscribeLink.changed", "eu-gdpr: email no longer requires an unsubscribe link (loosened)", semdiff.Loosened},
		{"consent.channel.allowed", "eu-gdpr: sms is now allowed with lawful basis consent, double opt-in (loosened)", semdiff.Loosened},
		{"consent.channel.added", "eu-gdpr: whatsapp rules added: allowed, lawful basis consent, double opt-in (loosened)", semdiff.Loosened},
		{"consent.channel.removed", "eu-gdpr: fax rules removed, so fax is not allowed (was allowed, lawful basis consent, single opt-in) (tightened)", semdiff.Tightened},
		{"consent.retention.changed", "eu-gdpr: retention lengthened from 730d to 1095d (loosened)", semdiff.Loosened},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestConsentTightened(t *testing.T) {
	// The reverse diff: everything the forward diff loosened now tightens,
	// except fax, whose rules come back (a loosening).
	doc := diffOne(t, "eu.yaml", consentHead, consentBase)
	for _, c := range doc.Changes {
		if c.Direction == semdiff.Loosened && c.Subject != "fax" {
			t.Errorf("reverting the loosening reports %s as loosened: %s", c.Op, c.Message)
		}
	}
	var tightened int
	for _, c := range doc.Changes {
		if c.Direction == semdiff.Tightened {
			tightened++
		}
	}
	if tightened != 6 {
		t.Errorf("%d changes tightened, want 6:\n%+v", tightened, briefs(doc.Changes))
	}
}

func TestCampaignFields(t *testing.T) {
	doc := diffOne(t, "c.yaml", `
apiVersion: mops.dev/v1
kind: Campaign
metadata: {name: spring, owner: demand-gen}
spec:
  name: FY27-Q1-emea-email-spring
  regions: [emea]
  launchDate: 2027-01-20
  audience:
    segment: emea-prospects
    consent: {basis: consent, subscriptionType: newsletter}
  qa: {links: passed, rendering: pending}
`, `
apiVersion: mops.dev/v1
kind: Campaign
metadata: {name: spring, owner: field-marketing}
spec:
  name: FY27-Q1-emea-email-spring
  regions: [emea, apac]
  launchDate: 2027-02-03
  audience:
    segment: emea-prospects
    consent: {basis: legitimate_interest}
  qa: {links: passed, rendering: passed}
`)
	want := []brief{
		{"owner.changed", "", "spring: owner changed from 'demand-gen' to 'field-marketing'"},
		{"field.changed", "", "spring: audience.consent.basis changed from 'consent' to 'legitimate_interest'"},
		{"field.removed", "", "spring: audience.consent.subscriptionType removed (was 'newsletter')"},
		{"field.changed", "", "spring: launchDate changed from '2027-01-20' to '2027-02-03'"},
		{"field.changed", "", "spring: qa.rendering changed from 'pending' to 'passed'"},
		{"field.changed", "", "spring: regions changed from ['emea'] to ['emea', 'apac']"},
	}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	for _, c := range doc.Changes {
		if want := c.Path == "spec.audience.consent.basis" || c.Path == "spec.audience.consent.subscriptionType"; c.Compliance != want {
			t.Errorf("%s compliance = %v, want %v", c.Path, c.Compliance, want)
		}
	}
}

func TestMetadataAndWaivers(t *testing.T) {
	doc := diffOne(t, "s.yaml", `
apiVersion: mops.dev/v1
kind: SLA
metadata:
  name: lead-time
  description: Old words
  labels: {team: mops}
spec: {type: campaign-lead-time, target: 10bd}
`, `
apiVersion: mops.dev/v1
kind: SLA
metadata:
  name: lead-time
  description: New words
  labels: {team: mops, tier: gold}
  waivers:
    - {rule: sla.lead-time, until: 2027-02-01, reason: Board launch, approvedBy: mops-lead}
spec: {type: campaign-lead-time, target: 10bd}
`)
	want := []brief{
		{"description.changed", "", "lead-time: description changed from 'Old words' to 'New words'"},
		{"label.added", "tier", "lead-time: label tier: 'gold' added"},
		{"waiver.added", "sla.lead-time", "lead-time: waiver of sla.lead-time added until 2027-02-01, approved by mops-lead: Board launch"},
	}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// TestDocumentsPairedAndOrdered: documents pair by kind and name, come in
// kind order then by name, and a file move alone is no change.
func TestDocumentsPairedAndOrdered(t *testing.T) {
	sla := "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: %s}\nspec: {type: request-turnaround, target: 3d}\n"
	tax := "apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata: {name: %s}\nspec: {label: X, values: [{value: a, label: A}]}\n"
	base := bundle(t, map[string]string{
		"a.yaml":     sprintf(sla, "zeta") + "---\n" + sprintf(tax, "moved"),
		"gone.yaml":  sprintf(sla, "gone"),
		"same.yaml":  sprintf(tax, "same"),
		"other.yaml": sprintf(tax, "b-tax"),
	})
	head := bundle(t, map[string]string{
		"a.yaml":     sprintf(sla, "zeta"),
		"b.yaml":     sprintf(tax, "moved"),
		"same.yaml":  sprintf(tax, "same"),
		"new.yaml":   sprintf(sla, "alpha") + "---\n" + sprintf(tax, "a-tax"),
		"other.yaml": sprintf(tax, "b-tax"),
	})
	r := semdiff.Diff(base, head)
	type key struct {
		Kind   model.Kind
		Name   string
		Action semdiff.Action
	}
	var got []key
	for _, d := range r.Documents {
		got = append(got, key{d.Kind, d.Name, d.Action})
	}
	want := []key{
		{model.KindTaxonomy, "a-tax", semdiff.Added},
		{model.KindSLA, "alpha", semdiff.Added},
		{model.KindSLA, "gone", semdiff.Removed},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if r.Summary.Added != 2 || r.Summary.Removed != 1 || len(r.Summary.Kinds) != 2 {
		t.Errorf("summary = %+v", r.Summary)
	}
	if got := r.Documents[2].Changes[0].Message; got != "SLA gone removed (was type request-turnaround, target 3d)" {
		t.Errorf("removal message = %q", got)
	}
}

func TestNilSides(t *testing.T) {
	b := bundle(t, map[string]string{"s.yaml": "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: s}\nspec: {type: request-turnaround, target: 3d}\n"})
	if r := semdiff.Diff(nil, b); r.Summary.Added != 2 { // the Project and the SLA
		t.Errorf("Diff(nil, b) summary = %+v", r.Summary)
	}
	if r := semdiff.Diff(b, nil); r.Summary.Removed != 2 {
		t.Errorf("Diff(b, nil) summary = %+v", r.Summary)
	}
	if r := semdiff.Diff(b, b); !r.Empty() {
		t.Errorf("Diff(b, b) is not empty: %+v", r.Documents)
	}
}
