// Package repogen writes large, valid governance repositories for
// benchmarks and load tests. It copies the non-campaign documents of a base
// repository (normally examples/acme) and adds any number of generated
// campaigns, one per file, that comply with every built-in Campaign rule of
// that base: taxonomy values, the campaign naming convention, UTM links,
// consent policies, the campaign lead-time SLA, RACI owners and QA.
//
// The generated campaigns use the vocabularies of examples/acme (regions,
// channels, UTM sources and media, consent rules, RACI roles). A base with
// different taxonomies or consent policies needs matching tables here.
package repogen

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CampaignDir is the folder, relative to the repository root, that holds
// campaigns. The base repository's copy is replaced by generated files.
const CampaignDir = "campaigns"

// skipped lists the top-level folders of the base that are not copied:
// its own campaigns (replaced by generated ones), its repo-local policies
// (the generated repository relies on the built-in rules; an empty folder
// is created so that mops.yaml's policies entry still resolves), local
// state and git metadata.
func skipped(name string) bool {
	switch name {
	case CampaignDir, "policies", ".mops", ".git":
		return true
	}
	return false
}

// Write writes a complete governance repository to dir: every file of base
// except campaigns/, policies/ (created empty when base has it), .mops/ and
// .git/, then campaigns generated campaigns as campaigns/gen-NNNNN.yaml, one
// campaign per file. Campaign i is the same whatever the total, so a larger
// repository extends a smaller one. Existing files are overwritten; nothing
// is deleted.
func Write(dir string, base fs.FS, campaigns int) error {
	if campaigns < 0 {
		return fmt.Errorf("campaign count %d is negative", campaigns)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := copyBase(dir, base); err != nil {
		return err
	}
	cdir := filepath.Join(dir, CampaignDir)
	if err := os.MkdirAll(cdir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", cdir, err)
	}
	var buf bytes.Buffer
	for i := 1; i <= campaigns; i++ {
		buf.Reset()
		Campaign(i).write(&buf)
		name := filepath.Join(cdir, fmt.Sprintf("gen-%05d.yaml", i))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write campaign %d: %w", i, err)
		}
	}
	return nil
}

// copyBase copies the non-campaign files of base into dir.
func copyBase(dir string, base fs.FS) error {
	if _, err := fs.Stat(base, "mops.yaml"); err != nil {
		return fmt.Errorf("base repository has no mops.yaml: %w", err)
	}
	err := fs.WalkDir(base, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			if !strings.Contains(p, "/") && skipped(p) {
				if p == "policies" {
					if err := os.MkdirAll(target, 0o755); err != nil {
						return fmt.Errorf("create %s: %w", target, err)
					}
				}
				return fs.SkipDir
			}
			if err := os.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("create %s: %w", target, err)
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := fs.ReadFile(base, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", target, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("copy base repository: %w", err)
	}
	return nil
}

// Generated describes one generated campaign.
type Generated struct {
	Index      int
	FY         int // two digits, e.g. 27
	Quarter    int // 1..4
	Regions    []string
	Channel    string
	Type       string
	Owner      string
	Slug       string
	LeadSource string
	Intake     time.Time
	Launch     time.Time
	End        time.Time
	Segment    string
	Basis      string
	SubType    string // "" when the consent policy names none
	UTMSource  string
	UTMMedium  string
	Path       string
	QA         [5]string // links, tracking, segmentation, consent, rendering
}

// Name is the campaign's spec.name, following the campaign-name convention
// {fy}-{quarter}-{region}-{channel}-{slug}; the region token is the first
// (lead) region.
func (g Generated) Name() string {
	return fmt.Sprintf("FY%02d-Q%d-%s-%s-%s", g.FY, g.Quarter, g.Regions[0], g.Channel, g.Slug)
}

// UTMCampaign is the lower-cased name, as the convention requires.
func (g Generated) UTMCampaign() string { return strings.ToLower(g.Name()) }

// MetadataName is the document name: the campaign name in lower case with
// underscores turned into hyphens.
func (g Generated) MetadataName() string {
	return strings.ReplaceAll(g.UTMCampaign(), "_", "-")
}

// Link is the campaign's landing page with exactly its UTM parameters.
func (g Generated) Link() string {
	return fmt.Sprintf("https://acme.example/%s?utm_source=%s&utm_medium=%s&utm_campaign=%s",
		g.Path, g.UTMSource, g.UTMMedium, g.UTMCampaign())
}

// consentRule is what a region's consent policy says about a channel:
// allowed lawful bases (most preferred first) and the subscription type.
type consentRule struct {
	bases   []string
	subType string
}

// rule mirrors examples/acme/consent: it returns false when the region does
// not allow the channel.
func rule(region, channel string) (consentRule, bool) {
	sub := ""
	switch channel {
	case "email":
		sub = "marketing-newsletter"
	case "webinar":
		sub = "webinar-invitations"
	case "sms":
		if region != "north_america" {
			return consentRule{}, false
		}
		return consentRule{bases: []string{"consent"}, subType: "sms-marketing"}, true
	case "organic_social", "direct_mail":
		return consentRule{bases: []string{"legitimate_interest"}}, true
	}
	switch region {
	case "emea":
		if channel == "event" {
			return consentRule{bases: []string{"consent", "legitimate_interest"}}, true
		}
		return consentRule{bases: []string{"consent"}, subType: sub}, true
	case "north_america":
		return consentRule{bases: []string{"legitimate_interest", "consent"}, subType: sub}, true
	default: // apac, latam
		switch channel {
		case "email", "webinar", "content_syndication", "partner":
			return consentRule{bases: []string{"consent"}, subType: sub}, true
		}
		return consentRule{bases: []string{"consent", "legitimate_interest"}}, true
	}
}

// channelInfo holds the per-channel choices of examples/acme.
type channelInfo struct {
	medium, leadSource, owner string
	sources, types            []string
}

func channelOf(channel string) channelInfo {
	switch channel {
	case "email":
		return channelInfo{"email", "email", "demand-gen", []string{"newsletter"},
			[]string{"nurture", "newsletter", "product_launch", "customer_marketing", "event_promotion"}}
	case "paid_search":
		return channelInfo{"cpc", "paid_search", "demand-gen", []string{"google", "bing"},
			[]string{"brand_awareness", "product_launch", "content_promotion"}}
	case "paid_social":
		return channelInfo{"paid_social", "paid_social", "demand-gen", []string{"linkedin", "meta", "x"},
			[]string{"brand_awareness", "product_launch", "content_promotion", "abm"}}
	case "organic_social":
		return channelInfo{"social", "organic_social", "content-marketing", []string{"linkedin", "x", "youtube"},
			[]string{"brand_awareness", "content_promotion"}}
	case "display":
		return channelInfo{"display", "display", "demand-gen", []string{"google"},
			[]string{"retargeting", "brand_awareness", "abm"}}
	case "webinar":
		return channelInfo{"webinar", "webinar", "content-marketing", []string{"zoom", "on24"},
			[]string{"webinar_promotion"}}
	case "event":
		return channelInfo{"event", "event", "field-marketing", []string{"event_booth"},
			[]string{"event_promotion", "abm"}}
	case "content_syndication":
		return channelInfo{"syndication", "content_syndication", "content-marketing", []string{"techtarget", "g2"},
			[]string{"content_promotion"}}
	case "direct_mail":
		return channelInfo{"direct_mail", "direct_mail", "field-marketing", []string{"qr_code"},
			[]string{"abm", "customer_marketing"}}
	case "partner":
		return channelInfo{"referral", "partner_referral", "partner-marketing", []string{"partner_portal"},
			[]string{"partner_co_marketing"}}
	default: // sms
		return channelInfo{"sms", "sms", "field-marketing", []string{"twilio"},
			[]string{"event_promotion"}}
	}
}

func regions() []string { return []string{"north_america", "emea", "apac", "latam"} }

func channels() []string {
	return []string{"email", "paid_search", "paid_social", "organic_social", "display", "webinar",
		"event", "content_syndication", "direct_mail", "partner", "sms"}
}

// themes are short slug stems; with the index suffix they keep the
// document name within 63 characters for every region and channel.
func themes() []string {
	return []string{"ai_roi", "benchmark", "cfo_guide", "data_day", "demo_week", "roadshow",
		"webcast", "playbook", "quickstart", "migration", "summit", "launch", "renewal",
		"upsell", "trial", "tour", "insider", "forecast", "dashboards", "governance"}
}

// mix is splitmix64: a cheap, well-distributed hash for deterministic
// choices.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// chooser draws successive deterministic choices for one campaign.
type chooser struct{ state uint64 }

func (c *chooser) intn(n int) int {
	c.state = mix(c.state)
	return int(c.state % uint64(n))
}

func pick(c *chooser, xs []string) string { return xs[c.intn(len(xs))] }

// Campaign returns the i-th generated campaign (i from 1). It depends only
// on i.
func Campaign(i int) Generated {
	c := &chooser{state: uint64(i)}
	g := Generated{Index: i}
	region := pick(c, regions())
	var allowed []string
	for _, ch := range channels() {
		if _, ok := rule(region, ch); ok {
			allowed = append(allowed, ch)
		}
	}
	g.Channel = pick(c, allowed)
	g.Regions = []string{region}
	// Some webinars run globally: every policy allows webinars on consent
	// with the same subscription type.
	if g.Channel == "webinar" && c.intn(4) == 0 {
		for _, r := range regions() {
			if r != region {
				g.Regions = append(g.Regions, r)
			}
		}
	}
	info := channelOf(g.Channel)
	g.Type = pick(c, info.types)
	g.Owner = info.owner
	g.LeadSource = info.leadSource
	g.UTMMedium = info.medium
	g.UTMSource = pick(c, info.sources)

	// A basis every targeted region accepts, preferring the lead region's order.
	first, _ := rule(region, g.Channel)
	g.SubType = first.subType
	for _, b := range first.bases {
		ok := true
		for _, r := range g.Regions[1:] {
			rr, _ := rule(r, g.Channel)
			if !contains(rr.bases, b) || rr.subType != first.subType {
				ok = false
			}
		}
		if ok {
			g.Basis = b
			break
		}
	}

	theme := pick(c, themes())
	g.Slug = fmt.Sprintf("%s_%05d", theme, i)
	g.Path = strings.ReplaceAll(theme, "_", "-") + "/" + strconv.Itoa(i)
	g.Segment = fmt.Sprintf("%s-%s-%s", strings.ReplaceAll(region, "_", "-"),
		strings.ReplaceAll(g.Channel, "_", "-"), strings.ReplaceAll(theme, "_", "-"))

	// FY27 and FY28 (calendar years 2027 and 2028); launch on a weekday in
	// the quarter, intake four to seven weeks earlier.
	g.FY = 27 + c.intn(2)
	g.Quarter = 1 + c.intn(4)
	qStart := time.Date(2000+g.FY, time.Month(3*(g.Quarter-1)+1), 1, 0, 0, 0, 0, time.UTC)
	g.Launch = weekdayOnOrAfter(qStart.AddDate(0, 0, 7+c.intn(70)))
	g.Intake = weekdayOnOrBefore(g.Launch.AddDate(0, 0, -(28 + c.intn(22))))
	g.End = g.Launch.AddDate(0, 0, 14+c.intn(77))

	g.QA = [5]string{"passed", "passed", "passed", "passed", "passed"}
	if g.Channel == "organic_social" {
		g.QA[2], g.QA[3] = "n/a", "n/a"
	}
	return g
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func weekdayOnOrAfter(t time.Time) time.Time {
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func weekdayOnOrBefore(t time.Time) time.Time {
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

const dateLayout = "2006-01-02"

// write renders the campaign as one YAML document.
func (g Generated) write(b *bytes.Buffer) {
	fmt.Fprintf(b, "# Generated by mops-gen (campaign %d).\n", g.Index)
	b.WriteString("apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n")
	fmt.Fprintf(b, "  name: %s\n", g.MetadataName())
	fmt.Fprintf(b, "  description: %s\n", strconv.Quote(fmt.Sprintf("Generated %s campaign %d for %s.",
		strings.ReplaceAll(g.Type, "_", " "), g.Index, strings.Join(g.Regions, ", "))))
	fmt.Fprintf(b, "  owner: %s\n", g.Owner)
	fmt.Fprintf(b, "  labels: {generated: \"true\"}\n")
	b.WriteString("spec:\n")
	fmt.Fprintf(b, "  name: %s\n", g.Name())
	fmt.Fprintf(b, "  channel: %s\n", g.Channel)
	fmt.Fprintf(b, "  type: %s\n", g.Type)
	fmt.Fprintf(b, "  regions: [%s]\n", strings.Join(g.Regions, ", "))
	fmt.Fprintf(b, "  leadSource: %s\n", g.LeadSource)
	fmt.Fprintf(b, "  intakeDate: %s\n", g.Intake.Format(dateLayout))
	fmt.Fprintf(b, "  launchDate: %s\n", g.Launch.Format(dateLayout))
	fmt.Fprintf(b, "  endDate: %s\n", g.End.Format(dateLayout))
	b.WriteString("  audience:\n")
	fmt.Fprintf(b, "    segment: %s\n", g.Segment)
	if g.SubType != "" {
		fmt.Fprintf(b, "    consent: {basis: %s, subscriptionType: %s}\n", g.Basis, g.SubType)
	} else {
		fmt.Fprintf(b, "    consent: {basis: %s}\n", g.Basis)
	}
	fmt.Fprintf(b, "  utm: {source: %s, medium: %s, campaign: %s}\n", g.UTMSource, g.UTMMedium, g.UTMCampaign())
	fmt.Fprintf(b, "  links:\n    - %s\n", g.Link())
	fmt.Fprintf(b, "  qa: {links: %s, tracking: %s, segmentation: %s, consent: %s, rendering: %s}\n",
		g.QA[0], g.QA[1], g.QA[2], g.QA[3], g.QA[4])
}
