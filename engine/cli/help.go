package cli

import (
	"bytes"
	"io"
	"regexp"

	"github.com/spf13/cobra"
)

// boolForm is how pflag 1.1 writes a boolean flag in help:
// "--dry-run[=true|false]".
var boolForm = regexp.MustCompile(`\[=true\|false\]`)

// showBoolFlagsPlain makes help show boolean flags as they are typed,
// "--dry-run", keeping the description column where it was.
func showBoolFlagsPlain(root *cobra.Command) {
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		out := c.OutOrStdout()
		var buf bytes.Buffer
		c.SetOut(&buf)
		help(c, args)
		c.SetOut(out)
		_, _ = io.WriteString(out, boolForm.ReplaceAllStringFunc(buf.String(), func(m string) string {
			return string(bytes.Repeat([]byte{' '}, len(m)))
		}))
	})
}
