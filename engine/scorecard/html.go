package scorecard

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
)

// chart is one inline SVG trend chart: a metric's series over the weeks.
type chart struct {
	Title string
	// Unit is "%" (a 0-100 scale) or "d" (days) or "" (counts).
	Unit   string
	Series []series
	Weeks  []string
	Note   string
}

type series struct {
	Name  string
	Color string
	// Values has one entry per week; nil where nothing counted.
	Values []*float64
}

const (
	chartW, chartH           = 520.0, 180.0
	padL, padR, padT, padB   = 44.0, 24.0, 14.0, 30.0
	plotW, plotH             = chartW - padL - padR, chartH - padT - padB
	blue, orange, green, red = "#2563eb", "#ea580c", "#16a34a", "#dc2626"
)

func charts(r *Report) []chart {
	weeks := make([]string, len(r.Weeks))
	for i, w := range r.Weeks {
		weeks[i] = w.Start
	}
	pick := func(f func(Week) *float64) []*float64 {
		out := make([]*float64, len(r.Weeks))
		for i, w := range r.Weeks {
			out[i] = f(w)
		}
		return out
	}
	out := []chart{
		{Title: "Cycle time, request to launch", Unit: "d", Weeks: weeks, Series: []series{
			{"median", blue, pick(func(w Week) *float64 { return w.CycleTime.Median })},
			{"p90", orange, pick(func(w Week) *float64 { return w.CycleTime.P90 })},
		}},
		{Title: "On-time launches", Unit: "%", Weeks: weeks, Series: []series{
			{"launched on or before the first committed date", green, pick(func(w Week) *float64 { return w.OnTime.Percent })},
		}},
		{Title: "First-time QA pass rate", Unit: "%", Weeks: weeks, Series: []series{
			{"new campaigns with no deny finding", blue, pick(func(w Week) *float64 { return w.FirstTimePass.Percent })},
		}},
	}
	for i, s := range r.SLAs {
		if !s.Measured {
			continue
		}
		out = append(out, chart{Title: fmt.Sprintf("SLA attainment: %s (%s)", s.Name, s.Target), Unit: "%", Weeks: weeks, Series: []series{
			{"items that met it", green, pick(func(w Week) *float64 { return w.SLAs[i].Percent })},
		}})
	}
	out = append(out, chart{Title: "Governance changes applied", Weeks: weeks, Series: []series{
		{"changes (change log)", orange, pick(func(w Week) *float64 { v := float64(w.Changes); return &v })},
	}})
	return out
}

// Latest says the first series' value in the last week that has one, and
// the value of the week before it, for the card's headline.
func (c chart) Latest() string {
	s := c.Series[0]
	for i := len(s.Values) - 1; i >= 0; i-- {
		if s.Values[i] == nil {
			continue
		}
		out := fmt.Sprintf("%s%s in the week of %s", trim(*s.Values[i]), c.Unit, c.Weeks[i])
		if i > 0 && s.Values[i-1] != nil {
			out += fmt.Sprintf(" (week before: %s%s)", trim(*s.Values[i-1]), c.Unit)
		}
		return out
	}
	return "no data in these weeks"
}

// scale returns the top of the y axis: 100 for percentages, else a round
// number at or above the largest value.
func (c chart) scale() float64 {
	if c.Unit == "%" {
		return 100
	}
	top := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v != nil && *v > top {
				top = *v
			}
		}
	}
	if c.Unit == "" && top < 4 {
		return 4 // counts: whole-number gridlines
	}
	if top <= 0 {
		return 1
	}
	step := math.Pow(10, math.Floor(math.Log10(top)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*step >= top {
			return m * step
		}
	}
	return 10 * step
}

func (c chart) x(i int) float64 {
	if len(c.Weeks) < 2 {
		return padL + plotW/2
	}
	return padL + plotW*float64(i)/float64(len(c.Weeks)-1)
}

func (c chart) y(v float64) float64 { return padT + plotH*(1-v/c.scale()) }

// SVG draws the chart: axes with gridlines, a polyline per series broken
// where a week has no value, a dot per value with a tooltip.
func (c chart) SVG() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`, chartW, chartH, chartW, chartH, template.HTMLEscapeString(c.Title))
	top := c.scale()
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		y := c.y(v)
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#e5e7eb"/>`, padL, y, padL+plotW, y)
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" font-size="10" text-anchor="end" fill="#6b7280">%s%s</text>`, padL-4, y+3, trim(v), c.Unit)
	}
	every := max(1, (len(c.Weeks)+5)/6)
	for i, w := range c.Weeks {
		if i%every != 0 && i != len(c.Weeks)-1 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="10" text-anchor="middle" fill="#6b7280">%s</text>`, c.x(i), chartH-padB+14, template.HTMLEscapeString(w[5:]))
	}
	for _, s := range c.Series {
		var pts []string
		flush := func() {
			if len(pts) > 1 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, s.Color, strings.Join(pts, " "))
			}
			pts = nil
		}
		for i, v := range s.Values {
			if v == nil {
				flush()
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", c.x(i), c.y(*v)))
		}
		flush()
		for i, v := range s.Values {
			if v != nil {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %s%s</title></circle>`, c.x(i), c.y(*v), s.Color,
					template.HTMLEscapeString(c.Weeks[i]), template.HTMLEscapeString(s.Name), trim(*v), c.Unit)
			}
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from numbers and the escaped text above
}

func trim(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") }

var page = template.Must(template.New("scorecard").Funcs(template.FuncMap{
	"share": share, "days": days, "percent": percent, "short": short,
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MOps scorecard {{.R.Since}} to {{.R.Until}}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:24px;max-width:1120px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.sub{color:#6b7280;margin:0 0 16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(530px,1fr));gap:12px}
.card{border:1px solid #e5e7eb;border-radius:8px;padding:10px 12px}
.card h3{font-size:14px;margin:0 0 2px}.legend{font-size:12px;color:#374151;margin:0 0 4px}
.legend span{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px;vertical-align:middle}
.kpi{font-size:15px;font-weight:600;margin:0 0 2px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{background:#f9fafb}
.note{color:#6b7280;font-size:12px}
</style></head><body>
<h1>MOps scorecard</h1>
<p class="sub">Weeks of {{.R.Since}} to {{.R.Until}} · {{.R.Commits}} commits of the governance repository (head {{short .R.Head}})</p>
<div class="grid">
{{range .Charts}}<div class="card"><h3>{{.Title}}</h3>
<p class="kpi">{{.Latest}}</p>
<p class="legend">{{range .Series}}<span style="background:{{.Color}}"></span>{{.Name}}{{end}}</p>
{{.SVG}}</div>
{{end}}</div>
<h2>Week by week</h2>
<table><thead><tr><th>week</th>{{range .Cols}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{with .R.Live}}<h2>Data completeness</h2>
<p class="note">Measured {{.MeasuredAt.Format "2006-01-02 15:04 UTC"}}; {{.Drift}} option(s) drift from the repository.</p>
<table><thead><tr><th>property</th><th>taxonomy</th><th>records</th><th>active</th><th>deprecated</th><th>undeclared</th><th>empty</th></tr></thead><tbody>
{{range .Properties}}<tr><td>{{.System}} {{.Object}}.{{.Property}}</td><td>{{.Taxonomy}}</td><td>{{.Records}}</td><td>{{percent .ActivePct}}</td><td>{{percent .DeprecatedPct}}</td><td>{{percent .UndeclaredPct}}</td><td>{{percent .EmptyPct}}</td></tr>
{{end}}</tbody></table>{{end}}
{{range .R.SLAs}}{{if not .Measured}}<p class="note">SLA {{.Name}} ({{.Type}}, {{.Target}}) is not measured: {{.Why}}.</p>{{end}}{{end}}
{{range .R.Notes}}<p class="note">{{.}}</p>{{end}}
<p class="note">How each figure is computed: docs/scorecard.md. <code>mops scorecard --format json</code> lists the campaigns behind every number.</p>
</body></html>
`))

func writeHTML(w io.Writer, r *Report) error {
	cols := columns(r)
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	rows := make([][]string, len(r.Weeks))
	for i, wk := range r.Weeks {
		row := []string{wk.Start}
		for _, c := range cols {
			row = append(row, c.cell(wk))
		}
		rows[i] = row
	}
	return page.Execute(w, struct {
		R      *Report
		Charts []chart
		Cols   []string
		Rows   [][]string
	}{r, charts(r), heads, rows})
}
