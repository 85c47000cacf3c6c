package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateLayout is how governance files write dates (YAML dates reach policies
// as these strings).
const dateLayout = "2006-01-02"

// parseDate reads a "YYYY-MM-DD" date; an RFC 3339 timestamp is accepted and
// cut to its date.
func parseDate(s string) (time.Time, error) {
	if len(s) > len(dateLayout) && s[len(dateLayout)] == 'T' {
		s = s[:len(dateLayout)]
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return t, nil
}

// DaysBetween counts calendar days from a to b: negative when b is before a.
func DaysBetween(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}

// BusinessDays counts the weekdays (Monday to Friday) d with from < d <= to;
// when to is before from the count is negative. Holidays are not known.
func BusinessDays(from, to time.Time) int {
	if to.Before(from) {
		return -BusinessDays(to, from)
	}
	days := DaysBetween(from, to)
	weeks, rest := days/7, days%7
	n := weeks * 5
	wd := from.Weekday()
	for i := 0; i < rest; i++ {
		wd = (wd + 1) % 7
		if wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// BusinessDaysExcept is BusinessDays less the holidays h, Monday to
// Friday, with from < h <= to (negated, as the count is, when to is before
// from): SLAs that list holidays count business days this way.
func BusinessDaysExcept(from, to time.Time, holidays []time.Time) int {
	n, lo, hi, sign := BusinessDays(from, to), from, to, 1
	if to.Before(from) {
		lo, hi, sign = to, from, -1
	}
	for _, h := range holidays {
		if h.After(lo) && !h.After(hi) && h.Weekday() != time.Saturday && h.Weekday() != time.Sunday {
			n -= sign
		}
	}
	return n
}

// Duration is an SLA target: a number of days, counted either as calendar
// days or as business days.
type Duration struct {
	Days     float64
	Business bool
}

var dayDuration = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(bd|d)$`)

// ParseDuration reads an SLA target: a Go duration ("24h", "90m", "1h30m"),
// whole or fractional days ("3d") or business days ("10bd").
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if m := dayDuration.FindStringSubmatch(s); m != nil {
		n, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return Duration{}, fmt.Errorf("duration %q: %w", s, err)
		}
		return Duration{Days: n, Business: m[2] == "bd"}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return Duration{}, fmt.Errorf("%q is not a duration (want e.g. 24h, 90m, 3d or 10bd)", s)
	}
	return Duration{Days: d.Hours() / 24}, nil
}
