package model

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Member is one member of a RACI role: a person with their identities
// (written as a mapping: email and github, optionally name and
// salesforceUser), a GitHub team (@org/team), or one identity written as a
// string (@login or an email address).
type Member struct {
	// Name is the person's name, for people.
	Name string `json:"name,omitempty"`
	// Email, GitHub (the login, without @) and SalesforceUser (the
	// Salesforce username) are the person's identities: an approval or an
	// actor given as any of them is this member.
	Email          string `json:"email,omitempty"`
	GitHub         string `json:"github,omitempty"`
	SalesforceUser string `json:"salesforceUser,omitempty"`
	// Team is a GitHub team, @org/team.
	Team string `json:"team,omitempty"`
}

// teamPattern is a GitHub team: @org/team-slug.
var teamPattern = regexp.MustCompile(`^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+$`)

// MemberOf reads a member as decoded from YAML or JSON: a string, or a
// mapping of identities. ok is false for any other value.
func MemberOf(v any) (m Member, ok bool) {
	switch v := v.(type) {
	case string:
		switch {
		case teamPattern.MatchString(v):
			m.Team = v
		case strings.HasPrefix(v, "@"):
			m.GitHub = strings.TrimPrefix(v, "@")
		default:
			m.Email = v
		}
		return m, true
	case map[string]any:
		str := func(k string) string { s, _ := v[k].(string); return s }
		m = Member{Name: str("name"), Email: str("email"), GitHub: strings.TrimPrefix(str("github"), "@"), SalesforceUser: str("salesforceUser")}
		return m, m.Email != "" || m.GitHub != "" || m.SalesforceUser != ""
	}
	return m, false
}

// UnmarshalYAML decodes a member written either way.
func (m *Member) UnmarshalYAML(n *yaml.Node) error {
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	got, ok := MemberOf(v)
	if !ok {
		return fmt.Errorf("line %d: a role member is @login, @org/team, an email address, or a mapping with email and github", n.Line)
	}
	*m = got
	return nil
}

// ID is how mops names the member in approvals, the change log and
// CODEOWNERS: the team, else @ and the GitHub login, else the email, else
// the Salesforce user.
func (m Member) ID() string {
	switch {
	case m.Team != "":
		return m.Team
	case m.GitHub != "":
		return "@" + m.GitHub
	case m.Email != "":
		return m.Email
	}
	return m.SalesforceUser
}

// Is reports whether identity, as someone gives it (--approved-by,
// --actor, a pull request's review logins), is one of the member's: its
// team, its GitHub login with or without @, its email or its Salesforce
// user, ignoring case as those systems do.
func (m Member) Is(identity string) bool {
	id := strings.TrimSpace(identity)
	if id == "" {
		return false
	}
	if m.Team != "" {
		return strings.EqualFold(id, m.Team)
	}
	return (m.GitHub != "" && strings.EqualFold(strings.TrimPrefix(id, "@"), m.GitHub) && !strings.Contains(id, "/")) ||
		(m.Email != "" && strings.EqualFold(id, m.Email)) ||
		(m.SalesforceUser != "" && strings.EqualFold(id, m.SalesforceUser))
}

// Roster is every role of a repository's RACI documents with its members.
type Roster struct {
	roles map[string][]Member
	order []string
}

// RosterOf reads the roles of every RACI document of b; a document that
// does not decode is left out (validation reports it).
func RosterOf(b *Bundle) Roster {
	r := Roster{roles: map[string][]Member{}}
	for _, d := range b.ByKind(KindRACI) {
		var raci RACI
		if d.Decode(&raci) != nil {
			continue
		}
		for _, ro := range raci.Roles {
			if _, seen := r.roles[ro.ID]; !seen {
				r.order = append(r.order, ro.ID)
			}
			r.roles[ro.ID] = append(r.roles[ro.ID], ro.Members...)
		}
	}
	return r
}

// find returns the first member, in role order, that identity is.
func (r Roster) find(identity string) (Member, bool) {
	for _, role := range r.order {
		for _, m := range r.roles[role] {
			if m.Is(identity) {
				return m, true
			}
		}
	}
	return Member{}, false
}

// Identify maps identities to the members they are, by member id, each
// member once, in the order given; unknown are the identities no role has.
func (r Roster) Identify(identities []string) (ids, unknown []string) {
	for _, given := range identities {
		if strings.TrimSpace(given) == "" {
			continue
		}
		m, ok := r.find(given)
		switch {
		case !ok:
			unknown = append(unknown, given)
		case !slices.Contains(ids, m.ID()):
			ids = append(ids, m.ID())
		}
	}
	return ids, unknown
}

// InRole reports whether identity is a member of role.
func (r Roster) InRole(identity, role string) bool {
	return slices.ContainsFunc(r.roles[role], func(m Member) bool { return m.Is(identity) })
}

// RoleIDs lists the ids of role's members.
func (r Roster) RoleIDs(role string) []string {
	var out []string
	for _, m := range r.roles[role] {
		out = append(out, m.ID())
	}
	return out
}

// SpecByID returns the spec of RACI document d as written, except that
// each role member is its id: what the approval policy reads, so a rule
// compares approvers and members as plain strings.
func SpecByID(d *Document) map[string]any {
	spec := d.Spec()
	out := make(map[string]any, len(spec))
	for k, v := range spec {
		out[k] = v
	}
	roles, _ := spec["roles"].([]any)
	byID := make([]any, 0, len(roles))
	for _, ro := range roles {
		role, ok := ro.(map[string]any)
		if !ok {
			byID = append(byID, ro)
			continue
		}
		c := make(map[string]any, len(role))
		for k, v := range role {
			c[k] = v
		}
		members, _ := role["members"].([]any)
		ids := make([]any, 0, len(members))
		for _, mv := range members {
			if m, ok := MemberOf(mv); ok {
				ids = append(ids, m.ID())
			}
		}
		c["members"] = ids
		byID = append(byID, c)
	}
	out["roles"] = byID
	return out
}
