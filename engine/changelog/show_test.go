package changelog

import (
	"testing"
	"time"
)

// TestFilterKeep: --system, --since (inclusive) and --until (exclusive)
// combine, and a zero filter keeps everything.
func TestFilterKeep(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	recs := []Record{{Seq: 1, System: "a", Time: day(1)}, {Seq: 2, System: "b", Time: day(2)}, {Seq: 3, System: "a", Time: day(3)}}
	since, err := ParseDate("2026-11-02")
	if err != nil {
		t.Fatal(err)
	}
	until, err := ParseDate("2026-11-03T12:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    Filter
		want []int
	}{
		{Filter{}, []int{1, 2, 3}},
		{Filter{System: "a"}, []int{1, 3}},
		{Filter{Since: since}, []int{2, 3}},
		{Filter{Until: until}, []int{1, 2}},
		{Filter{System: "a", Since: since, Until: until}, nil},
	} {
		var got []int
		for _, r := range recs {
			if c.f.Keep(r) {
				got = append(got, r.Seq)
			}
		}
		if len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) || (len(got) > 1 && got[len(got)-1] != c.want[len(c.want)-1]) {
			t.Errorf("%+v kept %v, want %v", c.f, got, c.want)
		}
	}
	if _, err := ParseDate("yesterday"); err == nil || err.Error() != `"yesterday" is not a date (YYYY-MM-DD) or an RFC 3339 time` {
		t.Errorf("err = %v", err)
	}
}
