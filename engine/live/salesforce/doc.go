// Package salesforce is a net/http client of the Salesforce REST and
// Tooling API subset mops needs, and implements live.Provider on it. Paths
// are below /services/data/vXX.X (API version from mops.yaml, default
// v62.0):
//
//   - GET   /sobjects/{object}/describe                  (Read: one per object; field kinds)
//   - GET   /tooling/query?q=SELECT Id ... FROM CustomField|CustomObject|GlobalValueSet|StandardValueSet
//     (find the Tooling record behind a picklist; cached per field)
//   - GET   /tooling/sobjects/{CustomField|GlobalValueSet|StandardValueSet}/{Id}  (values, full Metadata)
//   - PATCH /tooling/sobjects/{...}/{Id}                 (set-options: {FullName, Metadata}, the full edited Metadata)
//   - POST  /tooling/sobjects/CustomField                (create-property)
//   - GET   /query?q=SELECT f, COUNT(Id) FROM o GROUP BY f  (counts: every value in one query)
//   - GET   /query?q=SELECT Id FROM o WHERE f = 'v'      (migration: the records to move)
//   - GET   /query/{locator}                             (nextRecordsUrl paging)
//   - PATCH /composite/sobjects                          (migration: 200 records per call, allOrNone false)
//   - GET   /limits                                      (OrgLimits)
//
// Calls go through the call loop shared with the HubSpot client
// (engine/live/internal/rest); this package keeps what Salesforce's
// answers mean (decodeError, noteUsage) and its API's shapes (package
// sfapi).
//
// # Where values live
//
// A custom field with its own values keeps them in its CustomField
// Metadata (valueSet.valueSetDefinition); a custom field bound to a global
// value set (valueSet.valueSetName) in that GlobalValueSet; a standard
// field (LeadSource, Lead.Status, Industry, ...) in the StandardValueSet
// the package's table names (LeadSource, LeadStatus, Industry, ...). A
// live.Option is {Value: fullName, Label, Description, DisplayOrder:
// position in the list, Hidden: !isActive}.
//
// Salesforce never deletes a value here. A hidden option, and an option
// the desired list leaves out, are written with isActive false; the value
// stays in the list, after the active ones, and records keep it. See
// Client.Capabilities.
//
// # Limits and retries
//
// Every response's Sforce-Limit-Info (api-usage=N/M) is recorded
// (Client.Usage) and logged as a warning above 80% of the allocation. A
// 403 REQUEST_LIMIT_EXCEEDED (unless it is the daily allocation) and a 429
// mean the request was not carried out, so any call is retried, after
// Retry-After when sent, else with capped exponential backoff and full
// jitter. 5xx answers, timeouts and dropped connections are retried only
// for GETs: a PATCH may have been applied, and Apply and MigrateRecords
// re-read live state when run again.
//
// # Token
//
// The access token is sent only in the Authorization header. The Client
// keeps it in a closure, not a field, formats itself without it, and
// redacts it from every error, including messages a server echoes back. A
// nextRecordsUrl is followed only as a query path on the same instance.
package salesforce
