package format_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/format"
)

func upper(w io.Writer, s string, prefix string) error {
	_, err := fmt.Fprintf(w, "%s%s", prefix, s)
	return err
}

func set() format.Set[string, string] {
	return format.New("greeting", map[string]format.Writer[string, string]{
		"text": upper,
		"json": func(w io.Writer, s string, _ string) error { _, err := fmt.Fprintf(w, "%q", s); return err },
	})
}

func TestWriteDispatchesByName(t *testing.T) {
	var b bytes.Buffer
	if err := set().Write(&b, "json", "hi", ""); err != nil {
		t.Fatal(err)
	}
	if err := set().Write(&b, "text", "hi", "> "); err != nil {
		t.Fatal(err)
	}
	if b.String() != `"hi"> hi` {
		t.Errorf("wrote %q", b.String())
	}
}

func TestUnknownFormatNamesKindAndSupported(t *testing.T) {
	for _, err := range []error{set().Check("yaml"), set().Write(io.Discard, "yaml", "hi", "")} {
		var ue *format.UnknownError
		if !errors.As(err, &ue) {
			t.Fatalf("err = %v, want *UnknownError", err)
		}
		if got, want := err.Error(), `unknown format "yaml" for greeting; supported: json, text`; got != want {
			t.Errorf("err = %q, want %q", got, want)
		}
	}
	if err := set().Check("text"); err != nil {
		t.Errorf("Check(text) = %v", err)
	}
	if diff := cmp.Diff([]string{"json", "text"}, set().Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
}
