package sfapi

import (
	"fmt"
	"strconv"
	"strings"
)

// LimitInfo is the api-usage part of a Sforce-Limit-Info header:
// "api-usage=10018/100000" (possibly followed by "; api-bursts=1/750").
type LimitInfo struct {
	Used, Max int
}

// ParseLimitInfo reads the api-usage of a Sforce-Limit-Info header.
func ParseLimitInfo(h string) (LimitInfo, bool) {
	for part := range strings.SplitSeq(h, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || strings.TrimSpace(k) != "api-usage" {
			continue
		}
		used, limit, ok := strings.Cut(strings.TrimSpace(v), "/")
		if !ok {
			return LimitInfo{}, false
		}
		u, err1 := strconv.Atoi(used)
		m, err2 := strconv.Atoi(limit)
		if err1 != nil || err2 != nil || u < 0 || m <= 0 {
			return LimitInfo{}, false
		}
		return LimitInfo{Used: u, Max: m}, true
	}
	return LimitInfo{}, false
}

// String renders the header value.
func (l LimitInfo) String() string { return fmt.Sprintf("api-usage=%d/%d", l.Used, l.Max) }

// Fraction is Used/Max.
func (l LimitInfo) Fraction() float64 {
	if l.Max <= 0 {
		return 0
	}
	return float64(l.Used) / float64(l.Max)
}

// Limit is one entry of GET /limits, e.g. "DailyApiRequests".
type Limit struct {
	Max       int `json:"Max"`
	Remaining int `json:"Remaining"`
}

// LimitDailyAPIRequests is the GET /limits key of the daily allocation.
const LimitDailyAPIRequests = "DailyApiRequests"
