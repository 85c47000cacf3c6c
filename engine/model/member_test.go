package model_test

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mops-dev/mops/engine/model"
)

func members(t *testing.T, src string) []model.Member {
	t.Helper()
	var ms []model.Member
	if err := yaml.Unmarshal([]byte(src), &ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestMemberIdentities: a person is matched by any of their identities,
// ignoring case; a team only by its name; a string member by the one
// identity it is.
func TestMemberIdentities(t *testing.T) {
	ms := members(t, `
- name: Dana Whitfield
  email: dana.whitfield@acme.example
  github: dana-whitfield
  salesforceUser: dana.whitfield@acme.example.crm
- "@acme/mops-leads"
- "@erin"
- frank@acme.example
`)
	cases := []struct {
		member int
		id     string
		is     []string
		isNot  []string
	}{
		{0, "@dana-whitfield",
			[]string{"dana-whitfield", "@dana-whitfield", "@Dana-Whitfield", "DANA.WHITFIELD@acme.example", "dana.whitfield@acme.example.crm", " dana-whitfield "},
			[]string{"", "dana", "dana.whitfield", "@acme/dana-whitfield", "dana-whitfield@acme.example"}},
		{1, "@acme/mops-leads", []string{"@acme/mops-leads", "@ACME/Mops-Leads"}, []string{"acme/mops-leads", "@acme", "mops-leads"}},
		{2, "@erin", []string{"@erin", "erin", "ERIN"}, []string{"erin@acme.example", "@acme/erin"}},
		{3, "frank@acme.example", []string{"frank@acme.example", "Frank@Acme.Example"}, []string{"@frank", "frank"}},
	}
	for _, c := range cases {
		m := ms[c.member]
		if m.ID() != c.id {
			t.Errorf("member %d has id %q, want %q", c.member, m.ID(), c.id)
		}
		for _, id := range c.is {
			if !m.Is(id) {
				t.Errorf("%q is not member %s", id, c.id)
			}
		}
		for _, id := range c.isNot {
			if m.Is(id) {
				t.Errorf("%q is member %s", id, c.id)
			}
		}
	}
	var bad []model.Member
	if err := yaml.Unmarshal([]byte("- [a, b]\n"), &bad); err == nil {
		t.Error("a list as a member decoded")
	}
	if err := yaml.Unmarshal([]byte("- {name: Nobody}\n"), &bad); err == nil {
		t.Error("a person without any identity decoded")
	}
}

// FuzzMember decodes any YAML as members: it never panics, and every
// member decoded with well-formed identities (what the JSON Schema lets
// through: no spaces, no slash in a login) is known by its own id.
func FuzzMember(f *testing.F) {
	for _, s := range []string{
		"- {email: a@b.c, github: a}\n", "- \"@o/t\"\n- \"@u\"\n- x@y.z\n", "- {salesforceUser: s@o}\n",
		"- {github: \"@@\", email: \"\"}\n", "- 7\n", "[{}]", "- &a x\n- *a\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var ms []model.Member
		if yaml.Unmarshal([]byte(src), &ms) != nil {
			return
		}
		for _, m := range ms {
			id := m.ID()
			wellFormed := id != "" && strings.TrimSpace(id) == id && !strings.Contains(m.GitHub, "/")
			if wellFormed && !m.Is(id) {
				t.Errorf("member %+v is not known by its id %q", m, id)
			}
		}
	})
}
