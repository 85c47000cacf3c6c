package live

import (
	"context"
	"fmt"
	"strings"
)

// ApplyActions are a provider's implementations of the actions Apply
// understands. Each gets a change whose binding Own normalised (see
// Binding.In) and whose options passed CheckOptions.
type ApplyActions struct {
	Own                        func(Binding) (Binding, error)
	SetOptions, CreateProperty func(context.Context, Change) (*ApplyResult, error)
	// FoldCase says the system compares option values without regard to
	// case (Salesforce), so "EMEA" and "emea" are the same value twice.
	FoldCase bool
}

// Apply normalises ch's binding, refuses options every system refuses
// (see CheckOptions) before any request, and hands ch to its action.
func (a ApplyActions) Apply(ctx context.Context, ch Change) (*ApplyResult, error) {
	b, err := a.Own(ch.Binding)
	if err != nil {
		return nil, err
	}
	ch.Binding = b
	if ch.Probe && ch.Action != ActionSetOptions {
		return nil, fmt.Errorf("apply %s to %s: only set-options can be probed", ch.Action, ch.Binding)
	}
	if err := CheckOptions(ch.Options, a.FoldCase); err != nil {
		return nil, fmt.Errorf("apply %s to %s: %w", ch.Action, ch.Binding, err)
	}
	switch ch.Action {
	case ActionSetOptions:
		return a.SetOptions(ctx, ch)
	case ActionCreateProperty:
		return a.CreateProperty(ctx, ch)
	}
	return nil, fmt.Errorf("apply %q to %s: %w action", ch.Action, ch.Binding, ErrUnsupported)
}

// CheckOptions refuses an empty value or label and a value listed twice
// (compared without regard to case when foldCase is set).
func CheckOptions(opts []Option, foldCase bool) error {
	seen := make(map[string]bool, len(opts))
	for i, o := range opts {
		key := o.Value
		if foldCase {
			key = strings.ToLower(key)
		}
		switch {
		case strings.TrimSpace(o.Value) == "":
			return fmt.Errorf("option %d: empty value", i+1)
		case strings.TrimSpace(o.Label) == "":
			return fmt.Errorf("option %q: empty label", o.Value)
		case seen[key] && foldCase:
			return fmt.Errorf("option %q: listed twice (the system ignores case in value names)", o.Value)
		case seen[key]:
			return fmt.Errorf("option %q: listed twice", o.Value)
		}
		seen[key] = true
	}
	return nil
}

// SetOptions carries out a set-options change the way Provider.Apply
// promises, for any provider: it re-reads the bound property, reports
// Changed=false when live already holds the options the change would
// leave (for a probe, Changed=true when it does not, and stops there),
// refuses with *StaleError when ch.ExpectFingerprint is set and
// live has moved, refuses with *ReadOnlyError when the options are
// read-only, and only then writes.
//
// reread returns the property as live has it now and the options it would
// have after the write (the desired list, or for a provider that cannot
// delete options, the desired list with the others deactivated). write
// makes the change and returns the property afterwards; it is also where
// a provider refuses a property whose type has no options.
func SetOptions(ctx context.Context, ch Change, reread func(context.Context) (before *Property, want []Option, err error), write func(context.Context) (*Property, error)) (*ApplyResult, error) {
	before, want, err := reread(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply set-options to %s: re-read: %w", ch.Binding, err)
	}
	if SameOptions(before.Options, want) {
		return &ApplyResult{Before: before, After: before, Changed: false}, nil
	}
	if ch.Probe {
		return &ApplyResult{Before: before, After: before, Changed: true}, nil
	}
	if ch.ExpectFingerprint != "" && before.Fingerprint != ch.ExpectFingerprint {
		return nil, &StaleError{Binding: ch.Binding, Want: ch.ExpectFingerprint, Got: before.Fingerprint}
	}
	if before.ReadOnlyOptions {
		return nil, &ReadOnlyError{Binding: ch.Binding, What: "options"}
	}
	after, err := write(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply set-options to %s: %w", ch.Binding, err)
	}
	return &ApplyResult{Before: before, After: after, Changed: true}, nil
}
