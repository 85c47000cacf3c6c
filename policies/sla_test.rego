package mops.sla_test

import data.mops.fixtures_test as fx
import data.mops.sla

findings(doc) := fs if {
	deny := sla.deny with input as fx.input_for(doc)
	warn := sla.warn with input as fx.input_for(doc)
	fs := deny | warn
}

test_base_slas_pass if {
	every d in fx.docs {
		count(findings(d)) == 0
	}
}

test_targets if {
	every t in ["24h", "90m", "1h30m", "3d", "10bd", "0.5d"] {
		count(findings(fx.sla("x", "request-turnaround", t))) == 0
	}
	every t in ["3 days", "10 bd", "-2h", "ten days", "5w"] {
		fx.paths_of(findings(fx.sla("x", "request-turnaround", t)), "sla.target") == {"spec.target"}
	}
}

test_unreferenced_stage_response if {
	fx.paths_of(findings(fx.sla("sql-follow-up", "stage-response", "48h")), "sla.unreferenced") == {"spec.type"}
	count(findings(fx.sla("mql-follow-up", "stage-response", "48h"))) == 0
}
