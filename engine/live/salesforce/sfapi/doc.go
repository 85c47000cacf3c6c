// Package sfapi holds the Salesforce REST and Tooling API shapes mops uses:
// paths, error bodies, describe, SOQL query results, the Tooling objects
// CustomField, GlobalValueSet and StandardValueSet, sObject collections and
// the Sforce-Limit-Info header. The client (package salesforce) and the
// emulator (package sfsandbox) share them, so both speak the same JSON.
//
// Metadata types keep every field they do not model in Extra and write it
// back unchanged: a Tooling PATCH carries the full Metadata, so a field
// this package does not know (valueSettings, converted, closed, ...) must
// survive a read-modify-write.
package sfapi
