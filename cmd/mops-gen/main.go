// Command mops-gen writes a large, valid governance repository for
// benchmarks: the non-campaign documents of a base repository (by default
// examples/acme) plus any number of generated, compliant campaigns.
//
//	go run ./cmd/mops-gen -out /tmp/acme-10k -campaigns 10000
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mops-dev/mops/engine/repogen"
)

func main() {
	out := flag.String("out", "", "folder to write the repository to (required)")
	campaigns := flag.Int("campaigns", 1000, "number of campaigns to generate")
	base := flag.String("base", "examples/acme", "base repository whose non-campaign documents are copied")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: mops-gen -out DIR [-campaigns N] [-base DIR]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || *campaigns < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := repogen.Write(*out, os.DirFS(*base), *campaigns); err != nil {
		fmt.Fprintf(os.Stderr, "mops-gen: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d campaigns to %s\n", *campaigns, *out)
}
