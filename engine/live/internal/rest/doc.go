// Package rest is the one HTTP call loop the live-system clients (HubSpot,
// Salesforce) send every API call through. A Client holds what is the same
// for both: the base URL and a Bearer token (ParseBase, BearerToken), the
// request itself (JSON body, Accept and User-Agent headers, a per-attempt
// timeout), pacing (a token bucket and a cap on calls in flight), the
// retries (package pacing's policy, Retry-After, full-jitter backoff, a
// log line per retry), reading and decoding the answer, and redacting the
// token from every error.
//
// What an answer means stays with each vendor, in two hooks: Decode reads
// an error answer into a *live.APIError and says whether the server left
// the request undone (a rate limit, a lock) and whether waiting can help;
// Observe sees every answer's headers (Salesforce's Sforce-Limit-Info).
// Authorize sets a request's credentials, so a client that refreshes its
// token mid-run changes only that hook.
package rest
