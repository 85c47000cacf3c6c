package suggest

import "testing"

func TestClosest(t *testing.T) {
	cases := []struct {
		value string
		cands []string
		want  string
	}{
		{"EMAE", []string{"amer", "apac", "emea", "latam"}, "emea"},
		{"EMEA", []string{"amer", "emea"}, "emea"},
		{"hubspot-prd", []string{"sandbox", "hubspot-prod"}, "hubspot-prod"},
		{"webnar", []string{"email", "webinar"}, "webinar"},
		{"paidsearch", []string{"paid_search", "paid_social"}, "paid_search"},
		{"zzz", []string{"amer", "emea"}, ""},
		{"x", nil, ""},
		{"facebook", []string{"meta", "x"}, ""},
	}
	for _, c := range cases {
		if got := Closest(c.value, c.cands); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.value, got, c.want)
		}
	}
}
