package hsapi

import "time"

// SubscriptionDefinition is a subscription type (schema
// SubscriptionDefinition). Read-only: no API creates or edits one.
type SubscriptionDefinition struct {
	ID                  string    `json:"id"`
	Name                string    `json:"name"`
	Description         string    `json:"description"`
	Purpose             string    `json:"purpose,omitempty"`
	CommunicationMethod string    `json:"communicationMethod,omitempty"`
	IsActive            bool      `json:"isActive"`
	IsDefault           bool      `json:"isDefault"`
	IsInternal          bool      `json:"isInternal"`
	CreatedAt           time.Time `json:"createdAt"`
	UpdatedAt           time.Time `json:"updatedAt"`
}

// SubscriptionDefinitions is the answer of GET
// /communication-preferences/v3/definitions (schema
// SubscriptionDefinitionsResponse).
type SubscriptionDefinitions struct {
	SubscriptionDefinitions []SubscriptionDefinition `json:"subscriptionDefinitions"`
}

// DatedSubscriptionDefinitions is the answer of GET
// /communication-preferences/{date}/definitions in the date-based versions
// (schema ActionResponseWithResultsSubscriptionDefinition): the
// definitions in results.
type DatedSubscriptionDefinitions struct {
	Status      string                   `json:"status"`
	Results     []SubscriptionDefinition `json:"results"`
	StartedAt   time.Time                `json:"startedAt"`
	CompletedAt time.Time                `json:"completedAt"`
}
