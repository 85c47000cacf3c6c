package live

import "context"

// Checker is a Provider that can verify, before anything is changed, that
// its credentials can do what mops does with some bindings: that they
// authenticate, hold the scopes or permissions mops needs, and how much of
// the system's API allocation is left. mops doctor calls it.
type Checker interface {
	// Check verifies the credentials against what req says mops will do.
	// An error means the check itself could not run (the system is
	// unreachable); what the credentials lack comes back as Checks with
	// Status Missing.
	Check(ctx context.Context, req CheckRequest) ([]Check, error)
}

// CheckRequest is what a repository makes mops do in one system.
type CheckRequest struct {
	// Bindings are the properties the repository governs there.
	Bindings []Binding
	// Subscriptions is true when consent policies name subscription types
	// that plan looks up (Capabilities.SubscriptionTypes).
	Subscriptions bool
}

// Check is one thing a provider verified.
type Check struct {
	// Kind groups checks: auth, scope, permission, field, limit.
	Kind CheckKind `json:"kind"`
	// Name is what was checked, in the vendor's words: a scope
	// (crm.schemas.contacts.write), a permission (View Setup and
	// Configuration), a field (Lead.Region__c), a limit (DailyApiRequests).
	Name   string      `json:"name"`
	Status CheckStatus `json:"status"`
	// Detail is what was found: the user a token is for, the requests
	// left, why a field is not editable.
	Detail string `json:"detail,omitempty"`
	// Fix says how to grant what is missing (Status Missing or Warn).
	Fix string `json:"fix,omitempty"`
}

// CheckKind groups checks.
type CheckKind string

// The kinds of check.
const (
	CheckAuth       CheckKind = "auth"
	CheckScope      CheckKind = "scope"
	CheckPermission CheckKind = "permission"
	CheckField      CheckKind = "field"
	CheckLimit      CheckKind = "limit"
)

// CheckStatus is a check's outcome.
type CheckStatus string

// The outcomes of a check.
const (
	// CheckOK: present.
	CheckOK CheckStatus = "ok"
	// CheckMissing: absent; a command that needs it will fail.
	CheckMissing CheckStatus = "missing"
	// CheckWarn: present but worth attention (API allocation running
	// low), or not verifiable from here.
	CheckWarn CheckStatus = "warn"
)

// Failed reports whether a check means mops will fail.
func (c Check) Failed() bool { return c.Status == CheckMissing }
