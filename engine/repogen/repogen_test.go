package repogen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

const examplesDir = "../../examples/acme"

// validName reports whether s is a valid metadata.name.
func validName(s string) bool {
	return regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`).MatchString(s)
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, os.DirFS(examplesDir), 50); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"mops.yaml", "raci.yaml", "taxonomies/region.yaml", "conventions/campaign-name.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("base file not copied: %v", err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "policies")); err == nil {
		entries, _ := os.ReadDir(filepath.Join(dir, "policies"))
		if !fi.IsDir() || len(entries) != 0 {
			t.Errorf("policies should be an empty folder, has %d entries", len(entries))
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, CampaignDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 50 {
		t.Fatalf("want 50 campaign files, got %d", len(entries))
	}
	metaNames, specNames := map[string]bool{}, map[string]bool{}
	genFile := regexp.MustCompile(`^gen-\d{5}\.yaml$`)
	for _, e := range entries {
		if !genFile.MatchString(e.Name()) {
			t.Errorf("unexpected file %s in campaigns/", e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, CampaignDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		docs, err := decodeAll(data)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if len(docs) != 1 {
			t.Fatalf("%s: want one document, got %d", e.Name(), len(docs))
		}
		d := docs[0]
		if d.APIVersion != "mops.dev/v1" || d.Kind != "Campaign" {
			t.Errorf("%s: apiVersion %q kind %q", e.Name(), d.APIVersion, d.Kind)
		}
		if !validName(d.Metadata.Name) {
			t.Errorf("%s: metadata.name %q is not a valid name", e.Name(), d.Metadata.Name)
		}
		var spec campaignSpec
		if err := d.Spec.Decode(&spec); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if metaNames[d.Metadata.Name] || specNames[spec.Name] {
			t.Errorf("%s: duplicate name %q / %q", e.Name(), d.Metadata.Name, spec.Name)
		}
		metaNames[d.Metadata.Name], specNames[spec.Name] = true, true
	}
}

func TestWriteNeedsBase(t *testing.T) {
	err := Write(t.TempDir(), os.DirFS(t.TempDir()), 1)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("want a missing mops.yaml error, got %v", err)
	}
}

func TestCampaignIsDeterministic(t *testing.T) {
	a, b := Campaign(42), Campaign(42)
	var ba, bb bytes.Buffer
	a.write(&ba)
	b.write(&bb)
	if ba.String() != bb.String() {
		t.Fatal("campaign 42 differs between calls")
	}
}

// TestVariety checks that generated campaigns spread over every region,
// channel and quarter.
func TestVariety(t *testing.T) {
	seen := map[string]bool{}
	for i := 1; i <= 400; i++ {
		g := Campaign(i)
		seen["region "+g.Regions[0]] = true
		seen["channel "+g.Channel] = true
		seen[fmt.Sprintf("quarter FY%d-Q%d", g.FY, g.Quarter)] = true
		seen["type "+g.Type] = true
		if len(g.Regions) > 1 {
			seen["multi-region"] = true
		}
	}
	want := []string{"multi-region"}
	for _, r := range regions() {
		want = append(want, "region "+r)
	}
	for _, c := range channels() {
		want = append(want, "channel "+c)
	}
	for fy := 27; fy <= 28; fy++ {
		for q := 1; q <= 4; q++ {
			want = append(want, fmt.Sprintf("quarter FY%d-Q%d", fy, q))
		}
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no generated campaign has %s", w)
		}
	}
}

// TestCampaignsComply cross-checks the example campaigns and a generated
// set against the Campaign rules of RESOURCES.md, using the example
// repository's taxonomies, naming convention, consent policies, SLA and
// RACI. It is an independent check of the data, not of the policy engine.
func TestCampaignsComply(t *testing.T) {
	repo := loadRepo(t, examplesDir)
	r := newRules(t, repo)
	n := 0
	for _, d := range repo.campaigns {
		n++
		for _, p := range r.check(d) {
			t.Errorf("%s: %s", d.where, p)
		}
	}
	if n < 24 {
		t.Errorf("want at least 24 example campaigns, got %d", n)
	}
	dir := t.TempDir()
	if err := Write(dir, os.DirFS(examplesDir), 300); err != nil {
		t.Fatal(err)
	}
	gen := loadRepo(t, dir)
	if len(gen.campaigns) != 300 {
		t.Fatalf("want 300 generated campaigns, got %d", len(gen.campaigns))
	}
	for _, d := range gen.campaigns {
		for _, p := range r.check(d) {
			t.Errorf("%s: %s", d.where, p)
		}
	}
}

// --- a small reader for governance repositories -------------------------

type document struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   metadata  `yaml:"metadata"`
	Spec       yaml.Node `yaml:"spec"`
	where      string
}

type metadata struct {
	Name  string `yaml:"name"`
	Owner string `yaml:"owner"`
}

type campaignSpec struct {
	Name       string   `yaml:"name"`
	Channel    string   `yaml:"channel"`
	Type       string   `yaml:"type"`
	Regions    []string `yaml:"regions"`
	LeadSource string   `yaml:"leadSource"`
	IntakeDate string   `yaml:"intakeDate"`
	LaunchDate string   `yaml:"launchDate"`
	EndDate    string   `yaml:"endDate"`
	Audience   struct {
		Consent struct {
			Basis            string `yaml:"basis"`
			SubscriptionType string `yaml:"subscriptionType"`
		} `yaml:"consent"`
	} `yaml:"audience"`
	UTM struct {
		Source   string `yaml:"source"`
		Medium   string `yaml:"medium"`
		Campaign string `yaml:"campaign"`
	} `yaml:"utm"`
	Links []string          `yaml:"links"`
	QA    map[string]string `yaml:"qa"`
}

type taxonomySpec struct {
	Values []struct {
		Value      string `yaml:"value"`
		Deprecated bool   `yaml:"deprecated"`
	} `yaml:"values"`
}

type consentSpec struct {
	Regions  []string `yaml:"regions"`
	Channels map[string]struct {
		Allowed          bool     `yaml:"allowed"`
		LawfulBasis      []string `yaml:"lawfulBasis"`
		SubscriptionType string   `yaml:"subscriptionType"`
	} `yaml:"channels"`
}

type namingSpec struct {
	Template string `yaml:"template"`
	Tokens   map[string]struct {
		Pattern   string   `yaml:"pattern"`
		Enum      []string `yaml:"enum"`
		Taxonomy  string   `yaml:"taxonomy"`
		MaxLength int      `yaml:"maxLength"`
	} `yaml:"tokens"`
	MaxLength int `yaml:"maxLength"`
}

type slaSpec struct {
	Type   string `yaml:"type"`
	Target string `yaml:"target"`
}

type raciSpec struct {
	Roles []struct {
		ID string `yaml:"id"`
	} `yaml:"roles"`
}

type repo struct {
	byKind    map[string][]document
	campaigns []document
}

func decodeAll(data []byte) ([]document, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []document
	for {
		var d document
		if err := dec.Decode(&d); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		out = append(out, d)
	}
}

func loadRepo(t *testing.T, dir string) repo {
	t.Helper()
	r := repo{byKind: map[string][]document{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "live" || rel == "policies" || rel == ".mops" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".yaml") && !strings.HasSuffix(rel, ".yml") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		docs, err := decodeAll(data)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		for i, doc := range docs {
			doc.where = fmt.Sprintf("%s#%d (%s)", rel, i, doc.Metadata.Name)
			r.byKind[doc.Kind] = append(r.byKind[doc.Kind], doc)
			if doc.Kind == "Campaign" {
				r.campaigns = append(r.campaigns, doc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// --- the Campaign rules of RESOURCES.md ----------------------------------

type rules struct {
	active     map[string]map[string]bool // taxonomy -> active values
	deprecated map[string]map[string]bool
	consent    map[string]consentSpec // region -> policy
	name       *regexp.Regexp
	naming     namingSpec
	leadTime   int // business days
	roles      map[string]bool
	today      string
}

func newRules(t *testing.T, rp repo) *rules {
	t.Helper()
	r := &rules{
		active: map[string]map[string]bool{}, deprecated: map[string]map[string]bool{},
		consent: map[string]consentSpec{}, roles: map[string]bool{},
		today: time.Now().UTC().Format("2006-01-02"),
	}
	decode := func(d document, v any) {
		if err := d.Spec.Decode(v); err != nil {
			t.Fatalf("%s: %v", d.where, err)
		}
	}
	for _, d := range rp.byKind["Taxonomy"] {
		var s taxonomySpec
		decode(d, &s)
		r.active[d.Metadata.Name], r.deprecated[d.Metadata.Name] = map[string]bool{}, map[string]bool{}
		for _, v := range s.Values {
			if v.Deprecated {
				r.deprecated[d.Metadata.Name][v.Value] = true
			} else {
				r.active[d.Metadata.Name][v.Value] = true
			}
		}
	}
	for _, d := range rp.byKind["ConsentPolicy"] {
		var s consentSpec
		decode(d, &s)
		for _, region := range s.Regions {
			if _, dup := r.consent[region]; dup {
				t.Errorf("%s: region %s covered twice", d.where, region)
			}
			r.consent[region] = s
		}
		for ch := range s.Channels {
			if !r.active["channel"][ch] {
				t.Errorf("%s: channel key %q is not a channel value", d.where, ch)
			}
		}
	}
	for _, d := range rp.byKind["NamingConvention"] {
		if d.Metadata.Name != "campaign-name" {
			continue
		}
		decode(d, &r.naming)
		expr := regexp.QuoteMeta(r.naming.Template)
		for tok, spec := range r.naming.Tokens {
			var alt string
			switch {
			case spec.Pattern != "":
				alt = spec.Pattern
			case len(spec.Enum) > 0:
				alt = strings.Join(quoteAll(spec.Enum), "|")
			default:
				alt = strings.Join(quoteAll(keys(r.active[spec.Taxonomy])), "|")
			}
			expr = strings.ReplaceAll(expr, regexp.QuoteMeta("{"+tok+"}"), "(?P<"+tok+">"+alt+")")
		}
		r.name = regexp.MustCompile("^" + expr + "$")
	}
	if r.name == nil {
		t.Fatal("no campaign-name NamingConvention")
	}
	for _, d := range rp.byKind["SLA"] {
		var s slaSpec
		decode(d, &s)
		if s.Type == "campaign-lead-time" {
			n, err := strconv.Atoi(strings.TrimSuffix(s.Target, "bd"))
			if err != nil || !strings.HasSuffix(s.Target, "bd") {
				t.Fatalf("%s: lead time %q is not in business days", d.where, s.Target)
			}
			r.leadTime = n
		}
	}
	for _, d := range rp.byKind["RACI"] {
		var s raciSpec
		decode(d, &s)
		for _, role := range s.Roles {
			r.roles[role.ID] = true
		}
	}
	return r
}

func (r *rules) check(d document) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var s campaignSpec
	if err := d.Spec.Decode(&s); err != nil {
		return []string{err.Error()}
	}
	if !validName(d.Metadata.Name) {
		bad("metadata.name %q is not a valid name", d.Metadata.Name)
	}
	// Taxonomy-backed fields hold active values.
	fields := map[string][]string{
		"channel": {s.Channel}, "region": s.Regions, "campaign-type": {s.Type},
		"lead-source": {s.LeadSource}, "utm-source": {s.UTM.Source}, "utm-medium": {s.UTM.Medium},
	}
	for tax, vals := range fields {
		for _, v := range vals {
			if !r.active[tax][v] {
				bad("%q is not an active value of taxonomy %s", v, tax)
			}
		}
	}
	// Naming convention: spec.name, and utm.campaign in lower case.
	m := r.name.FindStringSubmatch(s.Name)
	if m == nil {
		bad("name %q does not follow %s", s.Name, r.naming.Template)
	} else {
		for i, tok := range r.name.SubexpNames() {
			if max := r.naming.Tokens[tok].MaxLength; tok != "" && max > 0 && len(m[i]) > max {
				bad("token %s %q is longer than %d", tok, m[i], max)
			}
		}
		if got := m[r.name.SubexpIndex("channel")]; got != s.Channel {
			bad("name channel %q is not spec.channel %q", got, s.Channel)
		}
		if got := m[r.name.SubexpIndex("region")]; len(s.Regions) == 0 || got != s.Regions[0] {
			bad("name region %q is not the first region", got)
		}
	}
	if len(s.Name) > r.naming.MaxLength {
		bad("name is longer than %d", r.naming.MaxLength)
	}
	if s.UTM.Campaign != strings.ToLower(s.Name) {
		bad("utm.campaign %q is not the lower-cased name", s.UTM.Campaign)
	}
	// Links carry exactly the declared UTM parameters.
	if len(s.Links) == 0 {
		bad("no links")
	}
	for _, l := range s.Links {
		u, err := url.Parse(l)
		if err != nil {
			bad("link %q: %v", l, err)
			continue
		}
		q := u.Query()
		want := map[string]string{"utm_source": s.UTM.Source, "utm_medium": s.UTM.Medium, "utm_campaign": s.UTM.Campaign}
		if len(q) != len(want) {
			bad("link %q has parameters %v, want exactly %v", l, keys(q), keys(want))
		}
		for k, v := range want {
			if got := q[k]; len(got) != 1 || got[0] != v {
				bad("link %q: %s is %v, want %q", l, k, got, v)
			}
		}
	}
	// Consent: every region x channel allowed, basis and subscription type fit.
	for _, region := range s.Regions {
		p, ok := r.consent[region]
		if !ok {
			bad("no consent policy covers region %s", region)
			continue
		}
		ch, ok := p.Channels[s.Channel]
		if !ok || !ch.Allowed {
			bad("channel %s is not allowed in %s", s.Channel, region)
			continue
		}
		if !contains(ch.LawfulBasis, s.Audience.Consent.Basis) {
			bad("basis %q is not allowed for %s in %s (%v)", s.Audience.Consent.Basis, s.Channel, region, ch.LawfulBasis)
		}
		if ch.SubscriptionType != s.Audience.Consent.SubscriptionType {
			bad("subscription type %q does not match %q for %s in %s", s.Audience.Consent.SubscriptionType, ch.SubscriptionType, s.Channel, region)
		}
	}
	// Dates: lead time, end not before launch, QA done once launched.
	intake, err1 := time.Parse("2006-01-02", s.IntakeDate)
	launch, err2 := time.Parse("2006-01-02", s.LaunchDate)
	end, err3 := time.Parse("2006-01-02", s.EndDate)
	if err := errors.Join(err1, err2, err3); err != nil {
		bad("dates: %v", err)
		return out
	}
	if bd := businessDays(intake, launch); bd < r.leadTime {
		bad("lead time %d business days, want at least %d", bd, r.leadTime)
	}
	if end.Before(launch) {
		bad("endDate %s is before launchDate %s", s.EndDate, s.LaunchDate)
	}
	if s.LaunchDate < r.today {
		for item, status := range s.QA {
			if status != "passed" && status != "n/a" {
				bad("launched on %s but qa.%s is %s", s.LaunchDate, item, status)
			}
		}
	}
	if !r.roles[d.Metadata.Owner] {
		bad("owner %q is not a RACI role", d.Metadata.Owner)
	}
	return out
}

// businessDays counts the weekdays after from, up to and including to.
func businessDays(from, to time.Time) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n++
		}
	}
	return n
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = regexp.QuoteMeta(x)
	}
	// Longest first, so that a value is not matched by its own prefix.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestCheckerCatches makes sure the cross-check above is not vacuous: each
// broken variant of a generated campaign must be reported.
func TestCheckerCatches(t *testing.T) {
	r := newRules(t, loadRepo(t, examplesDir))
	g := Campaign(1)
	var b bytes.Buffer
	g.write(&b)
	src := b.String()
	cases := map[string][2]string{
		"lead time":         {"intakeDate: " + g.Intake.Format(dateLayout), "intakeDate: " + g.Launch.AddDate(0, 0, -3).Format(dateLayout)},
		"end before launch": {"endDate: " + g.End.Format(dateLayout), "endDate: " + g.Launch.AddDate(0, 0, -1).Format(dateLayout)},
		"extra link param":  {"?utm_source=", "?ref=x&utm_source="},
		"deprecated source": {"leadSource: " + g.LeadSource, "leadSource: trade_show"},
		"unknown owner":     {"owner: " + g.Owner, "owner: growth"},
		"bad region token":  {"-" + g.Regions[0] + "-" + g.Channel + "-", "-EMAE-" + g.Channel + "-"},
		"wrong basis":       {"basis: " + g.Basis, "basis: contract"},
		"past launch, qa":   {"launchDate: " + g.Launch.Format(dateLayout), "launchDate: 2020-01-06"},
	}
	for name, c := range cases {
		mutated := strings.Replace(src, c[0], c[1], 1)
		if name == "past launch, qa" {
			mutated = strings.Replace(mutated, "rendering: passed", "rendering: pending", 1)
			mutated = strings.Replace(mutated, "intakeDate: "+g.Intake.Format(dateLayout), "intakeDate: 2019-11-04", 1)
		}
		if mutated == src {
			t.Fatalf("%s: %q not found", name, c[0])
		}
		docs, err := decodeAll([]byte(mutated))
		if err != nil {
			t.Fatal(err)
		}
		docs[0].where = name
		probs := r.check(docs[0])
		if len(probs) == 0 {
			t.Errorf("%s: not reported\n%s", name, mutated)
		}
		if name == "past launch, qa" && !strings.Contains(fmt.Sprint(probs), "qa.rendering") {
			t.Errorf("%s: qa not reported: %v", name, probs)
		}
	}
	docs, _ := decodeAll([]byte(src))
	if probs := r.check(docs[0]); len(probs) != 0 {
		t.Errorf("unmodified campaign reported: %v", probs)
	}
}
