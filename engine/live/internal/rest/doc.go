// Package rest is the one HTTP call loop the live-system clients (HubSpot,
// Salesforce) send every API call through. A Client holds what is the same
// for both: the base URL and a Bearer token (ParseBase, BearerToken), the
// request itself (JSON body, Accept and User-Agent headers, a per-attempt
// timeout), pacing (a token bucket and a cap on calls in flight), the
// retries (package pacing's policy, Retry-After, full-jitter backoff, a
// log line per retry), reading and decoding the answer, and redacting the
// token from every error.
//
// What an answer means stays with each vendor, in hooks: Decode reads
// an error answer into a *live.APIError and says whether the server left
// the request undone (a rate limit, a lock) and whether waiting can help;
// Observe sees every answer's headers (Salesforce's Sforce-Limit-Info,
// HubSpot's X-HubSpot-RateLimit-*), and Gate holds a call back until the
// vendor's reading of its budget lets it go. Authorize sets a request's
// credentials; a client whose token can expire mid-run (Salesforce's
// OAuth flows) also sets Renew, which the loop calls once per call when
// Decode reads an answer as Expired, before sending the call again. Bodies
// and answers are JSON, or a Raw of another content type (a form for a
// token endpoint, CSV for Bulk API 2.0).
package rest
