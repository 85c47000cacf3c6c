package salesforce

import (
	"fmt"
	"regexp"
	"strings"
)

// identRE is what mops accepts as an sObject or field API name in SOQL.
// Names are checked rather than escaped: SOQL has no quoting for them.
var identRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

func checkIdent(kind, name string) error {
	if !identRE.MatchString(name) {
		return fmt.Errorf("%s %q is not a valid API name", kind, name)
	}
	return nil
}

// soqlEscaper escapes a SOQL string literal: backslash first, then quotes
// and the control characters SOQL knows.
var soqlEscaper = strings.NewReplacer(
	`\`, `\\`, `'`, `\'`, `"`, `\"`,
	"\n", `\n`, "\r", `\r`, "\t", `\t`, "\b", `\b`, "\f", `\f`,
)

// quote returns s as a SOQL string literal.
func quote(s string) string { return "'" + soqlEscaper.Replace(s) + "'" }

// The SOQL mops sends. The emulator understands exactly these shapes.

func soqlCountGroup(object, field string) string {
	return fmt.Sprintf("SELECT %s, COUNT(Id) FROM %s GROUP BY %s", field, object, field)
}

func soqlCountIncludes(object, field, value string) string {
	return fmt.Sprintf("SELECT COUNT() FROM %s WHERE %s INCLUDES (%s)", object, field, quote(value))
}

func soqlIDsEqual(object, field, value string) string {
	return fmt.Sprintf("SELECT Id FROM %s WHERE %s = %s", object, field, quote(value))
}

func soqlIDsIncludes(object, field, value string) string {
	return fmt.Sprintf("SELECT Id, %s FROM %s WHERE %s INCLUDES (%s)", field, object, field, quote(value))
}

func soqlCustomObject(developerName string) string {
	return "SELECT Id, DeveloperName, NamespacePrefix FROM CustomObject WHERE DeveloperName = " + quote(developerName)
}

func soqlCustomField(table, developerName string) string {
	return fmt.Sprintf("SELECT Id, DeveloperName, NamespacePrefix, TableEnumOrId FROM CustomField WHERE TableEnumOrId = %s AND DeveloperName = %s",
		quote(table), quote(developerName))
}

func soqlGlobalValueSet(developerName string) string {
	return "SELECT Id, DeveloperName, NamespacePrefix FROM GlobalValueSet WHERE DeveloperName = " + quote(developerName)
}

func soqlStandardValueSet(name string) string {
	return "SELECT Id, MasterLabel FROM StandardValueSet WHERE MasterLabel = " + quote(name)
}

// apiName is an sObject or field API name split into its parts:
// "acme__Region__c" is namespace acme, developer name Region, custom.
type apiName struct {
	namespace, developer string
	custom               bool
}

func splitAPIName(name string) apiName {
	base, custom := strings.CutSuffix(name, "__c")
	if !custom {
		return apiName{developer: name}
	}
	ns, dev := splitNamespace(base)
	return apiName{namespace: ns, developer: dev, custom: true}
}

// splitNamespace splits "acme__Segments" into acme and Segments; a name
// without "__" has no namespace.
func splitNamespace(name string) (namespace, developer string) {
	if ns, dev, ok := strings.Cut(name, "__"); ok {
		return ns, dev
	}
	return "", name
}
