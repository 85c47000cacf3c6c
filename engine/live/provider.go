package live

import "context"

// Provider reads and changes one live system. Implementations must be safe
// for concurrent use.
type Provider interface {
	// Read returns the live state behind the requested bindings. A binding
	// whose property does not exist is listed in Snapshot.Missing, not
	// returned as an error.
	Read(ctx context.Context, req ReadRequest) (*Snapshot, error)

	// CountRecords returns, for each value, how many records of the
	// binding's object hold it (for multi-valued properties: hold it among
	// others). Taking every value at once lets a provider answer in one
	// call where it can (Salesforce GROUP BY); HubSpot needs one search per
	// value, so callers pass only values whose records matter. The empty
	// value counts the records that hold none (a provider that cannot
	// count them returns an error).
	CountRecords(ctx context.Context, b Binding, values []string) (map[string]int, error)

	// Coverage says what CountRecords leaves out of its counts of b's
	// values: the records a migration leaves as they are unless told to
	// include them (Salesforce: converted Leads, which refuse updates),
	// and whether the counts cover only the records the integration user
	// can see. Plan reports both, since those records keep their values.
	Coverage(ctx context.Context, b Binding, values []string) (Coverage, error)

	// Apply carries out one change. It re-reads the live property first:
	// if live already matches, it returns Changed=false without writing
	// (and with Change.Probe it never writes);
	// if Change.ExpectFingerprint is set and live moved, it returns a
	// *StaleError; if the options are read-only, a *ReadOnlyError.
	Apply(ctx context.Context, c Change) (*ApplyResult, error)

	// MigrateRecords rewrites From to To on every record of the binding's
	// object that holds From, in batches. onBatch (may be nil) is called
	// after each batch the system accepted; an error from it stops the
	// migration. It is resumable: re-running it finds the records still
	// holding From.
	MigrateRecords(ctx context.Context, m Migration, onBatch func(BatchResult) error) (MigrationResult, error)

	// Capabilities says how the system differs from the others, so plan
	// can adapt without knowing which vendor it talks to.
	Capabilities() Capabilities
}

// Lister is implemented by providers that can list an object type's
// enumeration properties. Read reads only the properties it is named, so
// import needs this to discover the rest; with a provider that lacks it,
// import takes only the bound properties.
type Lister interface {
	// ListEnumerations returns the names of the object type's unarchived
	// single- and multi-select enumeration properties, in any order.
	ListEnumerations(ctx context.Context, object string) ([]string, error)
}

// Capabilities are what a live system can do. Every provider states each
// field; wrappers that embed a Provider pass them on unchanged.
type Capabilities struct {
	// DeletesOptions is true when removing an option deletes it (HubSpot).
	// When false, removal deactivates it (Salesforce): an inactive option
	// the repository does not declare, held by no record, is already as
	// removed as it gets.
	DeletesOptions bool `json:"deletesOptions"`
	// SubscriptionTypes is true when the system has subscription types
	// (HubSpot subscription definitions) that consent policies name.
	SubscriptionTypes bool `json:"subscriptionTypes"`
}

// Coverage is what a system's counts of a binding's values leave out.
// The zero value leaves out nothing.
type Coverage struct {
	// Kept counts, per value, the records holding it that a migration
	// leaves as they are unless Migration.IncludeKept is set; only values
	// some record holds this way are listed.
	Kept map[string]int `json:"kept,omitempty"`
	// KeptWhat names those records for people: "converted lead(s)".
	KeptWhat string `json:"keptWhat,omitempty"`
	// KeptWhy says why a migration leaves them, and how to include them.
	KeptWhy string `json:"keptWhy,omitempty"`
	// Includable says the integration user may include them.
	Includable bool `json:"includable,omitempty"`
	// Hidden, when set, says the counts cover only the records the
	// integration user can see, and why.
	Hidden string `json:"hidden,omitempty"`
}

// Action is what a Change does.
type Action string

// The actions Apply understands.
const (
	// ActionSetOptions replaces the property's options with Change.Options,
	// the full desired list in display order. Adding, relabelling,
	// reordering, hiding (retiring) and removing options are all this
	// action; removing must come after the records were migrated.
	ActionSetOptions Action = "set-options"
	// ActionCreateProperty creates the bound property as a single-select
	// enumeration with Change.Label and Change.Options.
	ActionCreateProperty Action = "create-property"
)

// Change is one change to one bound property.
//
//	Action           Label      Options               ExpectFingerprint
//	set-options      ignored    full desired list     fingerprint plan read (optional)
//	create-property  required   full desired list     ignored
type Change struct {
	Binding
	Action Action `json:"action"`
	// Label is the property label for create-property.
	Label string `json:"label,omitempty"`
	// Group is the provider's grouping for create-property (HubSpot
	// property group); empty means the object's default group.
	Group string `json:"group,omitempty"`
	// Options is the complete desired option list in display order.
	Options []Option `json:"options"`
	// ExpectFingerprint, when set, is the Property.Fingerprint the change
	// was planned against. Apply refuses with *StaleError when live has a
	// different fingerprint, unless live already equals the desired state.
	ExpectFingerprint string `json:"expectFingerprint,omitempty"`
	// Probe, for set-options, asks only whether live already holds what
	// the change would leave: Apply re-reads the property, writes nothing,
	// and reports Changed=true when it would have written. It is how a
	// crashed apply's last write is checked without making it again.
	Probe bool `json:"probe,omitempty"`
}

// ApplyResult is what Apply did.
type ApplyResult struct {
	// Before is the live property Apply read first; nil for a create.
	Before *Property
	// After is the live property after the change (equal to Before when
	// nothing changed).
	After *Property
	// Changed is false when live already matched and nothing was written.
	Changed bool
}

// Migration moves records of a binding's object from one value to another.
type Migration struct {
	Binding
	// From is the value records hold now.
	From string `json:"from"`
	// To is the value they get; empty clears the value. For a
	// multi-valued property only the From token is replaced.
	To string `json:"to"`
	// BatchSize is the number of records per write; 0 or more than the
	// provider's maximum means the maximum (HubSpot: 100).
	BatchSize int `json:"batchSize,omitempty"`
	// Progress, when set, hears how far the migration has got.
	Progress Progress `json:"-"`
	// IncludeKept moves the records Coverage.Kept counts too; the
	// provider refuses it unless the integration user may
	// (Coverage.Includable).
	IncludeKept bool `json:"includeKept,omitempty"`
}

// BatchResult reports one accepted batch of a migration, for the change
// log.
type BatchResult struct {
	// Seq counts batches from 1.
	Seq int `json:"seq"`
	// IDs are the record ids the batch wrote, in order.
	IDs []string `json:"ids"`
	// Updated is how many records the system reports as written.
	Updated int `json:"updated"`
	// Errors lists records the system refused.
	Errors []RecordError `json:"errors,omitempty"`
}

// RecordError is one record a batch write refused.
type RecordError struct {
	ID      string `json:"id,omitempty"`
	Message string `json:"message"`
}

// MigrationResult sums up a migration.
type MigrationResult struct {
	// Batches is the number of accepted batches.
	Batches int `json:"batches"`
	// Updated is the number of records written.
	Updated int `json:"updated"`
	// Failed is the number of records refused.
	Failed int `json:"failed"`
}

// Progress hears how far a long operation has got: a migration finding
// the records that hold a value, then writing them. Providers call it
// from the goroutine running the operation; implementations must be safe
// for concurrent use.
type Progress interface {
	// Phase starts a phase of work, what ("find records", "write
	// records"), of total records (0: not known yet).
	Phase(what string, total int)
	// Update says done records of the phase are finished, and revises
	// its total (0: unchanged).
	Update(done, total int)
	// End ends the phase.
	End()
}
