package sfapi

// Bulk API 2.0 ingest jobs (developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-0-ingest.html):
// create a job, upload its CSV, mark the upload complete, poll the job
// until it is done, then read the per-record results.
const (
	// PathIngestJobs: POST, create an ingest job.
	PathIngestJobs = "/jobs/ingest"
	// PathIngestJob: GET the job's state, PATCH {"state":"UploadComplete"};
	// %s the job Id.
	PathIngestJob = "/jobs/ingest/%s"
	// PathIngestBatches: PUT the job's CSV (Content-Type text/csv).
	PathIngestBatches = "/jobs/ingest/%s/batches"
	// PathSuccessfulResults, PathFailedResults, PathUnprocessedRecords:
	// GET the job's results as CSV.
	PathSuccessfulResults  = "/jobs/ingest/%s/successfulResults/"
	PathFailedResults      = "/jobs/ingest/%s/failedResults/"
	PathUnprocessedRecords = "/jobs/ingest/%s/unprocessedrecords/"
)

// Job states.
const (
	JobOpen           = "Open"
	JobUploadComplete = "UploadComplete"
	JobInProgress     = "InProgress"
	JobComplete       = "JobComplete"
	JobFailed         = "Failed"
	JobAborted        = "Aborted"
)

// Bulk API 2.0 CSV conventions and limits.
const (
	// ContentTypeCSV is the upload's and the results' content type.
	ContentTypeCSV = "text/csv"
	// BulkNull sets a field to null in an ingest CSV (an empty cell leaves
	// the field as it is).
	BulkNull = "#N/A"
	// ResultID, ResultCreated and ResultError are the columns results add
	// before the uploaded ones.
	ResultID      = "sf__Id"
	ResultCreated = "sf__Created"
	ResultError   = "sf__Error"
	// BulkChunk is how many records Salesforce puts in one internal batch;
	// each batch counts against the 15,000 batches an org may submit per
	// rolling 24 hours (shared with Bulk API 1.0).
	BulkChunk = 10_000
	// MaxBulkUpload is the most bytes one job's CSV may hold (150 MB).
	MaxBulkUpload = 150_000_000
)

// LimitDailyBulkBatches is the GET /limits key of the Bulk API batch
// allocation.
const LimitDailyBulkBatches = "DailyBulkApiBatches"

// IngestJobRequest creates an ingest job.
type IngestJobRequest struct {
	Object          string `json:"object"`
	Operation       string `json:"operation"` // insert, update, upsert, delete, hardDelete
	ContentType     string `json:"contentType,omitempty"`
	LineEnding      string `json:"lineEnding,omitempty"`      // LF (default) or CRLF
	ColumnDelimiter string `json:"columnDelimiter,omitempty"` // COMMA (default)
}

// JobInfo is an ingest job as Salesforce describes it.
type JobInfo struct {
	ID                     string  `json:"id"`
	Operation              string  `json:"operation"`
	Object                 string  `json:"object"`
	CreatedByID            string  `json:"createdById"`
	CreatedDate            string  `json:"createdDate"`
	SystemModstamp         string  `json:"systemModstamp"`
	State                  string  `json:"state"`
	ConcurrencyMode        string  `json:"concurrencyMode"`
	ContentType            string  `json:"contentType"`
	APIVersion             float64 `json:"apiVersion"`
	JobType                string  `json:"jobType,omitempty"`
	ContentURL             string  `json:"contentUrl,omitempty"`
	LineEnding             string  `json:"lineEnding"`
	ColumnDelimiter        string  `json:"columnDelimiter"`
	NumberRecordsProcessed int     `json:"numberRecordsProcessed"`
	NumberRecordsFailed    int     `json:"numberRecordsFailed"`
	Retries                int     `json:"retries"`
	TotalProcessingTime    int64   `json:"totalProcessingTime"`
	ErrorMessage           string  `json:"errorMessage,omitempty"`
}

// JobStateUpdate is the body that closes (or aborts) a job.
type JobStateUpdate struct {
	State string `json:"state"`
}
