package sfapi

// Error is one entry of Salesforce's error array:
// [{"message": "...", "errorCode": "...", "fields": [...]}].
type Error struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields,omitempty"`
}

// Error codes mops handles or the emulator sends.
const (
	CodeInvalidSession         = "INVALID_SESSION_ID"
	CodeRequestLimit           = "REQUEST_LIMIT_EXCEEDED"
	CodeMalformedQuery         = "MALFORMED_QUERY"
	CodeNotFound               = "NOT_FOUND"
	CodeInvalidField           = "INVALID_FIELD"
	CodeInvalidType            = "INVALID_TYPE"
	CodeJSONParser             = "JSON_PARSER_ERROR"
	CodeFieldIntegrity         = "FIELD_INTEGRITY_EXCEPTION"
	CodeDuplicateValue         = "DUPLICATE_VALUE"
	CodeDuplicateDeveloperName = "DUPLICATE_DEVELOPER_NAME"
	CodeMalformedID            = "MALFORMED_ID"
	CodeInvalidCrossReference  = "INVALID_CROSS_REFERENCE_KEY"
	CodeRestrictedPicklist     = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
	CodeExceededIDLimit        = "EXCEEDED_ID_LIMIT"
	CodeInvalidQueryLocator    = "INVALID_QUERY_LOCATOR"
	CodeServerUnavailable      = "SERVER_UNAVAILABLE"
	CodeUnknownException       = "UNKNOWN_EXCEPTION"
	CodeMethodNotAllowed       = "METHOD_NOT_ALLOWED"
	CodeFieldNotUpdateable     = "INVALID_FIELD_FOR_INSERT_UPDATE"
	CodeInvalidTypeOnField     = "INVALID_TYPE_ON_FIELD_IN_RECORD"
	CodeRolledBack             = "ALL_OR_NONE_OPERATION_ROLLED_BACK"
	// CodeConvertedLead refuses an update of a converted Lead.
	CodeConvertedLead = "CANNOT_UPDATE_CONVERTED_LEAD"
	// CodeInsufficientAccess refuses a record the user may not edit.
	CodeInsufficientAccess = "INSUFFICIENT_ACCESS_OR_READONLY"
	// CodeCustomValidation is a validation rule's refusal.
	CodeCustomValidation = "FIELD_CUSTOM_VALIDATION_EXCEPTION"
)

// DailyLimitMessage starts the message of a REQUEST_LIMIT_EXCEEDED for the
// org's rolling 24-hour allocation, which no short wait cures. Other
// REQUEST_LIMIT_EXCEEDED answers (concurrent long-running requests,
// "ConcurrentPerOrgLongTxn Limit exceeded") pass once load drops.
const DailyLimitMessage = "TotalRequests Limit exceeded"
