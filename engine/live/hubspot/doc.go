// Package hubspot is a net/http client of the HubSpot API subset mops needs,
// and implements live.Provider on it:
//
//   - GET   /crm/v3/properties/{objectType}                 (Read: one call per object type)
//   - GET   /crm/v3/properties/{objectType}/{propertyName}  (re-read before a write)
//   - PATCH /crm/v3/properties/{objectType}/{propertyName}  (options, always the full list)
//   - POST  /crm/v3/properties/{objectType}                 (create-property)
//   - POST  /crm/v3/objects/{objectType}/search             (counts, migration paging)
//   - POST  /crm/v3/objects/{objectType}/batch/update       (migration, 100 per batch)
//   - GET   /communication-preferences/v3/definitions       (subscription types)
//
// The same client talks to production HubSpot and to the sandbox emulator.
// Its calls go through the call loop shared with the Salesforce client
// (engine/live/internal/rest); this package keeps what HubSpot's answers
// mean (decodeError) and its API's shapes (package hsapi).
//
// # Limits and retries
//
// A client-side limiter keeps to HubSpot's private-app burst limit (100
// requests per 10 s, at most 10 in flight); search has its own limiter (4
// requests per second; HubSpot exempts search from the 10-second limit).
// 429, 423 and 477 answers mean the request was not carried out, so every
// call is retried after Retry-After (seconds) or, without it, a capped
// exponential backoff with full jitter; a 429 for the DAILY policy is not
// retried. 5xx answers, timeouts and dropped connections are retried only
// for idempotent calls (after a Retry-After the 5xx carries, if any): GETs
// and search, which is a POST that only reads.
// PATCH, create and batch update are not retried on those, because the
// server may have applied them; Apply and MigrateRecords re-read live state
// when run again, so the caller can simply re-run.
//
// # Token
//
// The token is sent only in the Authorization header. The Client keeps it
// in a closure, not a field, formats itself without it, and redacts it from
// every error, including error messages a server echoes back.
package hubspot
