// Command promql-check parses each argument as a PromQL expression with Prometheus's own parser and
// reports the ones that do not parse, so that an alert rule with a syntax error fails a test instead of
// being refused by Prometheus at deploy time. Exit code 0: all parse; 1: some do not; 2: no argument.
package main

import (
	"fmt"
	"os"

	"github.com/prometheus/prometheus/promql/parser"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: promql-check EXPR...")
		os.Exit(2)
	}
	p := parser.NewParser(parser.Options{})
	failed := 0
	for _, expr := range os.Args[1:] {
		if _, err := p.ParseExpr(expr); err != nil {
			fmt.Fprintf(os.Stderr, "%q: %v\n", expr, err)
			failed++
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
}
