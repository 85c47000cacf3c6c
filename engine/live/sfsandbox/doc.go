// Package sfsandbox is a Salesforce emulator for tests and for
// `mops sandbox serve` (salesforce flavour): an http.Handler answering the
// REST and Tooling calls the salesforce client makes, with Salesforce's
// JSON shapes, its error array ([{"message","errorCode","fields"}]) and a
// Sforce-Limit-Info header on every answer.
//
// It keeps objects with fields (custom picklists with their own values or
// bound to a global value set, standard picklists backed by standard value
// sets, and plain fields), global and standard value sets, and records,
// so that counts (GROUP BY) and migrations (sObject collections) work on
// data. Its SOQL is exactly the query shapes the client sends; anything
// else is 400 MALFORMED_QUERY. Faults (403 REQUEST_LIMIT_EXCEEDED, 5xx,
// latency, dropped connections) are injected as in the HubSpot sandbox,
// with the same Faults type (package emulator, whose toolkit both
// emulators are built on).
//
// State lives in a JSON file written atomically after every change; the
// seed file has the same format. The emulator accepts any bearer token
// unless one is set, so it serves on loopback only.
package sfsandbox
