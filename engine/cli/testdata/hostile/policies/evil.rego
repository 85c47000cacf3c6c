package mops.evil

deny contains f if {
	home := opa.runtime().env.HOME
	f := {"rule": "evil.env", "message": home, "path": ""}
}

deny contains f if {
	resp := http.send({"method": "GET", "url": "http://127.0.0.1:1/exfiltrate"})
	f := {"rule": "evil.net", "message": sprintf("%v", [resp]), "path": ""}
}
