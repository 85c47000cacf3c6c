// Package live is the provider-neutral view of the live systems mops governs
// (HubSpot, Salesforce, and the built-in emulators of each).
//
// A Binding names where a governed vocabulary lives: a system, an object and
// a property. A Provider reads the live state behind bindings (Read), counts
// the records that hold values (CountRecords), carries out one change (Apply)
// and moves records off a value (MigrateRecords). Plan, drift and import are
// built on this interface only; each provider package maps it onto its API.
//
// # Cost
//
// Read costs one request per object type (every property of the type in one
// list call) plus one for subscription types when asked. CountRecords and
// MigrateRecords cost requests per value and per batch, so plan calls them
// only for values being removed or migrated.
//
// # Writing a provider
//
// What every provider does the same way is written once here, with the
// vendor's steps as hooks: ObjectReader is the shape of Read (one fetch
// per object, unknown objects, missing properties), ApplyActions and
// SetOptions are Apply's checks and its guard (re-read, already so, stale,
// read-only, then write), and Migrator is MigrateRecords (checks, collect,
// batches, onBatch). The vendor packages keep only what their API says.
//
// # Idempotence
//
// Apply re-reads live state before it writes and reports Changed=false when
// live already matches, so a crashed apply can be re-run. MigrateRecords
// searches for the records still holding the old value, so it too resumes.
package live
