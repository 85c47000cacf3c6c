package semdiff_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/semdiff"
)

const leadSourceBase = `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: lead-source}
spec:
  label: Lead Source
  values:
    - value: website
      label: Website
    - value: paid_search
      label: Paid Search
    - value: display
      label: Display
    - value: webinar
      label: Webinar
    - value: trade_show
      label: Trade Show
    - value: event
      label: Event
    - value: fax
      label: Fax
  bindings:
    - {system: hubspot-prod, object: contacts, property: lead_source}
`

const leadSourceHead = `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: lead-source}
spec:
  label: Lead Source
  values:
    - value: website
      label: Website
    - value: event
      label: Event
    - value: paid_search
      label: Paid Search
    - value: display
      label: Display Advertising
    - value: webinar
      label: Webinar
    - value: podcast
      label: Podcast
    - value: trade_show
      label: Trade Show
      deprecated: true
      replacedBy: event
  bindings:
    - {system: hubspot-prod, object: contacts, property: lead_source}
    - {system: sandbox, object: contacts, property: lead_source}
`

func TestTaxonomy(t *testing.T) {
	doc := diffOne(t, "lead-source.yaml", leadSourceBase, leadSourceHead)
	want := []brief{
		{"value.relabelled", "display", "Lead Source: display relabelled from 'Display' to 'Display Advertising'"},
		{"value.added", "podcast", "Lead Source: 'Podcast' (podcast) added at position 6"},
		{"value.deprecated", "trade_show", "Lead Source: 'Trade Show' deprecated in favour of 'Event'"},
		{"value.reordered", "event", "Lead Source: 'Event' moved from position 6 to 2"},
		{"value.removed", "fax", "Lead Source: 'Fax' (fax) removed"},
		{"binding.added", "sandbox contacts.lead_source", "Lead Source: now bound to sandbox contacts.lead_source"},
	}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	// Positions: head for changes, base for removals.
	for _, c := range doc.Changes {
		switch c.Op {
		case "value.relabelled":
			if c.Line != 14 || c.Path != "spec.values[3].label" {
				t.Errorf("relabel at %d %s, want line 14 spec.values[3].label", c.Line, c.Path)
			}
		case "value.removed":
			if c.Line != 19 {
				t.Errorf("removal at base line %d, want 19", c.Line)
			}
		case "value.deprecated":
			if c.After != "event" {
				t.Errorf("deprecated After = %v, want the replacedBy value", c.After)
			}
		}
	}
}

// TestRelabelIsNeverRemoveAndAdd: relabelling every value leaves the
// stored values alone, so each is one relabel.
func TestRelabelIsNeverRemoveAndAdd(t *testing.T) {
	doc := diffOne(t, "c.yaml", `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: channel}
spec:
  label: Channel
  values:
    - {value: email, label: Email}
    - {value: sms, label: SMS}
`, `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: channel}
spec:
  label: Channel
  values:
    - {value: email, label: E-mail}
    - {value: sms, label: Text message}
`)
	if diff := cmp.Diff([]semdiff.Op{"value.relabelled", "value.relabelled"}, ops(doc.Changes)); diff != "" {
		t.Errorf("ops (-want +got):\n%s", diff)
	}
}

// TestValueRenamed: a stored value replaced by another with the same label
// is one rename (records must move), not a removal and an addition.
func TestValueRenamed(t *testing.T) {
	doc := diffOne(t, "c.yaml", `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: channel}
spec:
  label: Channel
  values:
    - {value: email, label: Email}
    - {value: social, label: Social}
`, `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: channel}
spec:
  label: Channel
  values:
    - {value: email, label: Email}
    - {value: organic_social, label: Social}
`)
	want := []brief{{"value.renamed", "organic_social", "Channel: 'Social' stored value renamed from social to organic_social; records holding social must be migrated"}}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// TestReorderReportsOnlyMovedValues: moving one value to the top shifts
// every other index, but only the moved value is reported.
func TestReorderReportsOnlyMovedValues(t *testing.T) {
	doc := diffOne(t, "r.yaml", `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: region}
spec:
  label: Region
  values:
    - {value: a, label: A}
    - {value: b, label: B}
    - {value: c, label: C}
    - {value: d, label: D}
    - {value: e, label: E}
`, `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: region}
spec:
  label: Region
  values:
    - {value: e, label: E}
    - {value: a, label: A}
    - {value: b, label: B}
    - {value: c, label: C}
    - {value: d, label: D}
`)
	want := []brief{{"value.reordered", "e", "Region: 'E' moved from position 5 to 1"}}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestUndeprecateAndReplacement(t *testing.T) {
	doc := diffOne(t, "l.yaml", `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: lead-source}
spec:
  label: Lead Source
  valueCase: snake_case
  values:
    - {value: event, label: Event}
    - {value: field_event, label: Field Event}
    - {value: trade_show, label: Trade Show, deprecated: true, replacedBy: event}
    - {value: fax, label: Fax, deprecated: true, replacedBy: event}
`, `
apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: lead-source}
spec:
  label: Lead Origin
  valueCase: any
  values:
    - {value: event, label: Event}
    - {value: field_event, label: Field Event}
    - {value: trade_show, label: Trade Show, deprecated: true, replacedBy: field_event}
    - {value: fax, label: Fax}
`)
	want := []brief{
		{"taxonomy.label.changed", "", "lead-source: picklist label changed from 'Lead Source' to 'Lead Origin'"},
		{"taxonomy.valueCase.changed", "", "Lead Origin: value case changed from snake_case to any"},
		{"value.replacement.changed", "trade_show", "Lead Origin: 'Trade Show' now replaced by 'Field Event' instead of 'Event'"},
		{"value.undeprecated", "fax", "Lead Origin: 'Fax' is active again (no longer deprecated)"},
	}
	if diff := cmp.Diff(want, briefs(doc.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}
