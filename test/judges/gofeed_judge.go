// Reads a feed (RSS, Atom or JSON Feed) from stdin with gofeed's universal parser and prints what it understood as
// JSON: a judge the project did not write. Built by test/support/readers.ts with Debian's Go and gofeed, offline.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/mmcdole/gofeed"
)

func main() {
	feed, err := gofeed.NewParser().Parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gofeed:", err)
		os.Exit(1)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	if err := out.Encode(feed); err != nil {
		fmt.Fprintln(os.Stderr, "gofeed:", err)
		os.Exit(1)
	}
}
