package sfsandbox

import (
	"net/http"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// describe answers GET /sobjects/{object}/describe: the implicit Id field,
// then every field, with the active values of picklists (where they live:
// own values, a global value set or a standard value set).
func (s *Sandbox) describe(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("object")
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.state.Objects[name]
	if o == nil {
		notFound(w)
		return
	}
	fields := []sfapi.Field{{Name: "Id", Label: o.Label + " ID", Type: "id", PicklistValues: []sfapi.PicklistEntry{}}}
	for _, f := range o.Fields {
		df := sfapi.Field{
			Name: f.Name, Label: f.Label, Type: f.Type, Custom: isCustom(f.Name),
			Updateable: !f.ReadOnly, Nillable: true, PicklistValues: []sfapi.PicklistEntry{},
		}
		if df.IsPicklist() {
			df.RestrictedPicklist = s.state.restricted(f)
			for _, v := range s.state.values(f) {
				if v.Active() {
					df.PicklistValues = append(df.PicklistValues, sfapi.PicklistEntry{Value: v.ValueName, Label: v.Label, Active: true, DefaultValue: v.Default})
				}
			}
		}
		fields = append(fields, df)
	}
	writeJSON(w, http.StatusOK, sfapi.SObjectDescribe{Name: name, Label: o.Label, Custom: isCustom(name), Fields: fields})
}
