// Command mops-gen writes large, valid governance repositories for
// benchmarks: the non-campaign documents of a base repository (by default
// examples/acme) plus any number of generated, compliant campaigns; or, with
// -history, a git repository that grew them over two years; or, with
// -example-history, a git history of the example itself.
//
//	go run ./cmd/mops-gen -out /tmp/acme-10k -campaigns 10000
//	go run ./cmd/mops-gen -out /tmp/acme-2y -history -campaigns 10000 -commits 2000
//	go run ./cmd/mops-gen -out /tmp/acme-history -example-history
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/mops-dev/mops/engine/repogen"
)

func main() {
	out := flag.String("out", "", "folder to write the repository to (required)")
	campaigns := flag.Int("campaigns", 1000, "number of campaigns to generate")
	base := flag.String("base", "examples/acme", "base repository whose non-campaign documents are copied")
	history := flag.Bool("history", false, "write a git repository whose history requests the campaigns over -weeks weeks in -commits commits")
	commits := flag.Int("commits", 2000, "with -history: number of commits")
	weeks := flag.Int("weeks", 104, "with -history: weeks of history")
	example := flag.Bool("example-history", false, "write a git repository with a dated history of the -base example")
	end := flag.String("end", "2026-12-04", "with -history or -example-history: the date of the last commit (YYYY-MM-DD)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: mops-gen -out DIR [-campaigns N] [-base DIR] [-history [-commits N] [-weeks N] | -example-history] [-end DATE]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	last, err := time.Parse("2006-01-02", *end)
	if *out == "" || *campaigns < 0 || flag.NArg() > 0 || err != nil || (*history && *example) {
		flag.Usage()
		os.Exit(2)
	}
	switch {
	case *history:
		n, err := repogen.WriteGeneratedHistory(*out, *base, repogen.HistoryOptions{Campaigns: *campaigns, Commits: *commits, Weeks: *weeks, End: last})
		exitOn(err)
		fmt.Printf("wrote %d campaigns in %d commits to %s\n", *campaigns, n, *out)
	case *example:
		n, err := repogen.WriteExampleHistory(*out, *base, last)
		exitOn(err)
		fmt.Printf("wrote the history of %s in %d commits to %s\n", *base, n, *out)
	default:
		exitOn(repogen.Write(*out, os.DirFS(*base), *campaigns))
		fmt.Printf("wrote %d campaigns to %s\n", *campaigns, *out)
	}
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "mops-gen: %v\n", err)
		os.Exit(1)
	}
}
