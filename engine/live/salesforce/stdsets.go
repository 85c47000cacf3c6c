package salesforce

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live"
)

// standardValueSets maps a standard picklist field (Object.Field) to the
// StandardValueSet holding its values. Names are from the Metadata API's
// list (forcedotcom/source-deploy-retrieve stdValueSetRegistry.json). A
// set may back fields on several objects (LeadSource on Lead, Contact and
// Opportunity): writing it changes them all.
func standardValueSets() map[string]string {
	return map[string]string{
		"Lead.LeadSource":        "LeadSource",
		"Contact.LeadSource":     "LeadSource",
		"Opportunity.LeadSource": "LeadSource",
		"Lead.Status":            "LeadStatus",
		"Lead.Industry":          "Industry",
		"Account.Industry":       "Industry",
		"Lead.Rating":            "AccountRating",
		"Account.Rating":         "AccountRating",
		"Lead.Salutation":        "Salutation",
		"Contact.Salutation":     "Salutation",
		"Account.Type":           "AccountType",
		"Account.Ownership":      "AccountOwnership",
		"Opportunity.StageName":  "OpportunityStage",
		"Opportunity.Type":       "OpportunityType",
		"Campaign.Type":          "CampaignType",
		"Campaign.Status":        "CampaignStatus",
		"Case.Status":            "CaseStatus",
		"Case.Origin":            "CaseOrigin",
		"Case.Priority":          "CasePriority",
		"Case.Reason":            "CaseReason",
		"Case.Type":              "CaseType",
	}
}

// standardValueSet names the StandardValueSet behind a standard picklist,
// or fails with live.ErrUnsupported listing the fields mops knows.
func standardValueSet(object, field string) (string, error) {
	sets := standardValueSets()
	if name, ok := sets[object+"."+field]; ok {
		return name, nil
	}
	known := make([]string, 0, len(sets))
	for k := range sets {
		known = append(known, k)
	}
	slices.Sort(known)
	return "", fmt.Errorf("%s.%s is a standard picklist whose StandardValueSet mops does not know (it knows %s): %w",
		object, field, strings.Join(known, ", "), live.ErrUnsupported)
}
