package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// Apply implements live.Provider.
func (c *Client) Apply(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	b, err := c.own(ch.Binding)
	if err != nil {
		return nil, err
	}
	if err := checkOptions(ch.Options); err != nil {
		return nil, fmt.Errorf("apply %s to %s: %w", ch.Action, b, err)
	}
	switch ch.Action {
	case live.ActionSetOptions:
		return c.setOptions(ctx, b, ch)
	case live.ActionCreateProperty:
		return c.createProperty(ctx, b, ch)
	default:
		return nil, fmt.Errorf("apply %q to %s: %w action", ch.Action, b, live.ErrUnsupported)
	}
}

// setOptions re-reads the property, then PATCHes the full desired list
// unless live already has it.
func (c *Client) setOptions(ctx context.Context, b live.Binding, ch live.Change) (*live.ApplyResult, error) {
	cur, err := c.GetProperty(ctx, b.Object, b.Property)
	if err != nil {
		return nil, fmt.Errorf("apply set-options to %s: re-read: %w", b, err)
	}
	before := c.toLive(b.Object, cur)
	if live.SameOptions(before.Options, ch.Options) {
		return &live.ApplyResult{Before: before, After: before, Changed: false}, nil
	}
	if ch.ExpectFingerprint != "" && before.Fingerprint != ch.ExpectFingerprint {
		return nil, &live.StaleError{Binding: b, Want: ch.ExpectFingerprint, Got: before.Fingerprint}
	}
	if before.ReadOnlyOptions {
		return nil, &live.ReadOnlyError{Binding: b, What: "options"}
	}
	if cur.Type != "enumeration" {
		return nil, fmt.Errorf("apply set-options to %s: it is a %s property, not an enumeration", b, cur.Type)
	}
	updated, err := c.UpdateOptions(ctx, b.Object, b.Property, toWireOptions(ch.Options))
	if err != nil {
		return nil, fmt.Errorf("apply set-options to %s: %w", b, err)
	}
	after := c.toLive(b.Object, updated)
	return &live.ApplyResult{Before: before, After: after, Changed: true}, nil
}

// createProperty creates a single-select enumeration. If it exists already
// with the desired options (a re-run), that is success without change.
func (c *Client) createProperty(ctx context.Context, b live.Binding, ch live.Change) (*live.ApplyResult, error) {
	if ch.Label == "" {
		return nil, fmt.Errorf("apply create-property to %s: label is required", b)
	}
	group := ch.Group
	if group == "" {
		group = defaultGroup(b.Object)
	}
	if group == "" {
		return nil, fmt.Errorf("apply create-property to %s: no default property group for object type %q; set the group", b, b.Object)
	}
	created, err := c.CreateProperty(ctx, b.Object, hsapi.PropertyCreate{
		Name: b.Property, Label: ch.Label, Type: "enumeration", FieldType: "select",
		GroupName: group, Options: toWireOptions(ch.Options), FormField: true,
	})
	var apiErr *live.APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
		cur, gerr := c.GetProperty(ctx, b.Object, b.Property)
		if gerr == nil {
			lp := c.toLive(b.Object, cur)
			if live.SameOptions(lp.Options, ch.Options) {
				return &live.ApplyResult{Before: lp, After: lp, Changed: false}, nil
			}
		}
		return nil, fmt.Errorf("apply create-property to %s: exists with other options: %w", b, err)
	}
	if err != nil {
		return nil, fmt.Errorf("apply create-property to %s: %w", b, err)
	}
	after := c.toLive(b.Object, created)
	c.rememberMulti(b.Object, b.Property, after.MultiValued)
	return &live.ApplyResult{After: after, Changed: true}, nil
}

// defaultGroup is the property group HubSpot puts an object's own
// information in.
func defaultGroup(objectType string) string {
	switch objectType {
	case "contacts":
		return "contactinformation"
	case "companies":
		return "companyinformation"
	case "deals":
		return "dealinformation"
	case "tickets":
		return "ticketinformation"
	}
	return ""
}

// checkOptions catches what HubSpot would refuse, before any request.
func checkOptions(opts []live.Option) error {
	seen := make(map[string]bool, len(opts))
	for i, o := range opts {
		switch {
		case strings.TrimSpace(o.Value) == "":
			return fmt.Errorf("option %d: empty value", i+1)
		case strings.TrimSpace(o.Label) == "":
			return fmt.Errorf("option %q: empty label", o.Value)
		case seen[o.Value]:
			return fmt.Errorf("option %q: listed twice", o.Value)
		}
		seen[o.Value] = true
	}
	return nil
}
