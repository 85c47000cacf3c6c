// Package sandbox is a HubSpot-compatible emulator of the API subset mops
// uses: CRM Properties v3 (list, get, create, update), CRM Objects v3
// search and batch update, and Communication Preferences v3 definitions.
// It answers with HubSpot's JSON shapes and error bodies, keeps records so
// that impact counts and migrations are real, and persists its state in a
// JSON file written atomically.
//
// mops reaches a sandbox through the same HubSpot client as production:
// Start serves it on a loopback port and returns the base URL to give
// hubspot.New; `mops sandbox serve` serves it with emulator.Serve. The
// serving, the state file, fault injection and the admin endpoints come
// from package emulator, shared with the Salesforce emulator.
//
// Tests inject faults (429 bursts, 5xx, latency, dropped connections)
// with SetFaults, or over HTTP with PUT /_sandbox/faults.
package sandbox
