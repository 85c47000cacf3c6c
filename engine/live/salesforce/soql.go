package salesforce

import (
	"fmt"
	"regexp"
	"slices"
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
// scope, when not empty, is a condition every count and migration query
// adds, picking the records they cover (Lead: the unconverted ones).

// where joins the non-empty conditions with AND.
func where(conds ...string) string {
	return strings.Join(slices.DeleteFunc(conds, func(c string) bool { return c == "" }), " AND ")
}

// soqlCountGroupIn counts the records holding each of values in one
// aggregate query. The IN bounds the groups to the values asked for: an
// aggregate answer cannot be paged, so grouping every value records hold
// could exceed one batch.
func soqlCountGroupIn(object, field string, values []string, scope string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = quote(v)
	}
	in := fmt.Sprintf("%s IN (%s)", field, strings.Join(quoted, ", "))
	return fmt.Sprintf("SELECT %s, COUNT(Id) FROM %s WHERE %s GROUP BY %s", field, object, where(in, scope), field)
}

func soqlCountNull(object, field, scope string) string {
	return fmt.Sprintf("SELECT COUNT() FROM %s WHERE %s", object, where(field+" = null", scope))
}

func soqlCountIncludes(object, field, value, scope string) string {
	return fmt.Sprintf("SELECT COUNT() FROM %s WHERE %s", object, where(fmt.Sprintf("%s INCLUDES (%s)", field, quote(value)), scope))
}

func soqlIDsEqual(object, field, value, scope string) string {
	return fmt.Sprintf("SELECT Id FROM %s WHERE %s", object, where(fmt.Sprintf("%s = %s", field, quote(value)), scope))
}

func soqlIDsIncludes(object, field, value, scope string) string {
	return fmt.Sprintf("SELECT Id, %s FROM %s WHERE %s", field, object, where(fmt.Sprintf("%s INCLUDES (%s)", field, quote(value)), scope))
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
