// Package live is the provider-neutral view of the live systems mops governs
// (HubSpot, the built-in sandbox, later Salesforce and Marketo).
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
// # Idempotence
//
// Apply re-reads live state before it writes and reports Changed=false when
// live already matches, so a crashed apply can be re-run. MigrateRecords
// searches for the records still holding the old value, so it too resumes.
package live
