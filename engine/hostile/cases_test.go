//go:build unix

package hostile_test

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

// An SLA that validates clean, and the policy folder setting.
const (
	goodSLA  = "apiVersion: mops.dev/v1\nkind: SLA\nmetadata:\n  name: lead-time\nspec:\n  type: campaign-lead-time\n  target: 10bd\n"
	policies = "  policies: [policies]\n"
)

// sandbox is a mops.yaml with one sandbox system.
func sandbox(state, seed string) string {
	s := "  defaultSystem: sb\n  systems:\n    - name: sb\n      type: sandbox\n      state: " + state + "\n"
	if seed != "" {
		s += "      seed: " + seed + "\n"
	}
	return project(s)
}

// policy is a repository policy file in package mops.acme.
func policy(body string) map[string]string {
	return map[string]string{"mops.yaml": project(policies), "policies/acme.rego": "package mops.acme\n\n" + body}
}

func (w *world) fifo(name string) {
	w.t.Helper()
	p := filepath.Join(w.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		w.t.Skipf("mkfifo: %v", err)
	}
}

func cases() []hostileCase {
	var all []hostileCase
	for _, group := range [][]hostileCase{symlinks(), specialFiles(), sizes(), paths(), forging(), policySandbox(), impersonation(), sandboxServe(), yamlPositions(), credentials(), applyInputs(), streaming()} {
		all = append(all, group...)
	}
	return all
}

func symlinks() []hostileCase {
	outsideLink := "symlink points outside the repository"
	return []hostileCase{
		{category: "symlinks", name: "a document links to a secret by absolute path",
			setup: func(w *world) { w.link("slas/x.yaml", w.outside("secret.yaml")) },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"load", "slas/x.yaml", 0, outsideLink}}},
		{category: "symlinks", name: "a document links outside through ..",
			setup: func(w *world) { w.link("slas/x.yaml", w.up("slas", "secret.yaml")) },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"load", "slas/x.yaml", 0, outsideLink}}},
		{category: "symlinks", name: "a chain of links inside ends outside",
			setup: func(w *world) {
				w.link("slas/hop.yaml", "inner.yaml")
				w.link("slas/inner.yaml", w.outside("secret.yaml"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "slas/hop.yaml", 0, "(slas/inner.yaml -> "}, {"load", "slas/inner.yaml", 0, outsideLink}}},
		{category: "symlinks", name: "an included folder links outside",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  include: [\"slas/**\"]\n")})
				w.link("slas", w.Outside)
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "slas", 0, outsideLink}}},
		{category: "symlinks", name: "mops.yaml links outside",
			setup: func(w *world) {
				os.Remove(filepath.Join(w.Dir, "mops.yaml"))
				w.link("mops.yaml", w.outside("secret.yaml"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "mops.yaml", 0, outsideLink}}},
		{category: "symlinks", name: "a policy file links outside",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project(policies), "policies/ok.rego": "package mops.acme\n"})
				w.link("policies/leak.rego", w.outside("leak.rego"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"policy", "policies/leak.rego", 0, outsideLink}}},
		{category: "symlinks", name: "the policy folder links outside",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project(policies)})
				w.link("policies", w.outside("policies"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"policy", "mops.yaml", 6, outsideLink}}},
		{category: "symlinks", name: "mops config get reads no mops.yaml outside",
			setup: func(w *world) {
				os.Remove(filepath.Join(w.Dir, "mops.yaml"))
				w.link("mops.yaml", w.outside("secret.yaml"))
			},
			args: []string{"config", "get", "changelog"}, code: 1, out: []string{outsideLink}},
		{category: "symlinks", name: "links inside the repository keep working",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  exclude: [\"shared/**\"]\n"), "shared/sla.yaml": goodSLA})
				w.link("slas/lead-time.yaml", "../shared/sla.yaml")
			},
			args: []string{"validate"}, code: 0},
		{category: "symlinks", name: "validate --changed-since with a new link outside", git: true,
			setup: func(w *world) { w.write(map[string]string{"slas/lead-time.yaml": goodSLA}) },
			after: func(w *world) { w.link("slas/x.yaml", w.outside("secret.yaml")) },
			args:  []string{"validate", "--changed-since", "HEAD"}, code: 1,
			want: []finding{{"load", "slas/x.yaml", 0, outsideLink}}},
		{category: "symlinks", name: "diff --base at a revision with a link outside", git: true,
			setup: func(w *world) { w.link("slas/x.yaml", w.outside("secret.yaml")) },
			args:  []string{"diff", "--base", "HEAD"}, code: 0},
	}
}

func specialFiles() []hostileCase {
	notRegular := "not a regular file"
	return []hostileCase{
		{category: "special files", name: "a FIFO where a document would be",
			setup: func(w *world) { w.fifo("slas/pipe.yaml") },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"load", "slas/pipe.yaml", 0, notRegular}}},
		{category: "special files", name: "a FIFO as mops.yaml",
			setup: func(w *world) {
				os.Remove(filepath.Join(w.Dir, "mops.yaml"))
				w.fifo("mops.yaml")
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "mops.yaml", 0, notRegular}}},
		{category: "special files", name: "a FIFO as a policy file",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project(policies)})
				w.fifo("policies/pipe.rego")
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"policy", "policies/pipe.rego", 0, notRegular}}},
		{category: "special files", name: "a socket where a document would be",
			setup: func(w *world) {
				ln, err := net.Listen("unix", filepath.Join(w.Dir, "sock.yaml"))
				if err != nil {
					w.t.Skipf("unix socket: %v", err)
				}
				w.t.Cleanup(func() { ln.Close() })
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "sock.yaml", 0, notRegular}}},
		{category: "special files", name: "a document links to a device",
			setup: func(w *world) { w.link("slas/zero.yaml", "/dev/zero") },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"load", "slas/zero.yaml", 0, "symlink points outside the repository"}}},
		{category: "special files", name: "a FIFO as the names cache of validate --changed-since", git: true,
			setup: func(w *world) { w.write(map[string]string{"slas/lead-time.yaml": goodSLA}) },
			after: func(w *world) { w.fifo(".mops/cache/names") },
			args:  []string{"validate", "--changed-since", "HEAD"}, code: 0},
		{category: "special files", name: "a FIFO as the scorecard cache", git: true,
			setup: func(w *world) { w.write(map[string]string{"slas/lead-time.yaml": goodSLA}) },
			after: func(w *world) { w.fifo(".mops/cache/scorecard.json") },
			args:  []string{"scorecard", "--format", "json"}, code: 0},
		{category: "special files", name: "a FIFO as a sandbox seed",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": sandbox(".mops/state.json", "live/seed.json")})
				w.fifo("live/seed.json")
			},
			args: []string{"plan"}, code: 1,
			out: []string{notRegular}},
	}
}

func sizes() []hostileCase {
	const ceiling = 64 << 20
	return []hostileCase{
		{category: "sizes", name: "a sandbox seed's search lag past what a duration holds",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": sandbox(".mops/state.json", "live/seed.json"),
					"live/seed.json": `{"objects": {"contacts": {"properties": [], "records": []}}, "portal": {"searchLag": 1e300}}`})
			},
			args: []string{"plan"}, code: 1,
			out: []string{"duration: 1e300 seconds is out of range"}},
		{category: "sizes", name: "spec.maxFileSize cannot lift the 64 MiB ceiling",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  maxFileSize: 1000000000\n")})
				w.sparse("slas/big.yaml", ceiling+(1<<20))
			},
			args: []string{"validate"}, code: 1, heap: 200 << 20,
			want: []finding{{"schema", "mops.yaml", 6, "spec.maxFileSize must be at most 67108864"}, {"load", "slas/big.yaml", 0, "larger than the 67108864-byte limit"}}},
		{category: "sizes", name: "mops.yaml over the ceiling",
			setup: func(w *world) { w.sparse("mops.yaml", ceiling+(1<<20)) },
			args:  []string{"validate"}, code: 1, heap: 200 << 20,
			want: []finding{{"load", "mops.yaml", 0, "larger than 67108864 bytes"}}},
		{category: "sizes", name: "a policy file over the ceiling",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project(policies)})
				w.sparse("policies/big.rego", ceiling+(1<<20))
			},
			args: []string{"validate"}, code: 1, heap: 200 << 20,
			want: []finding{{"policy", "policies/big.rego", 0, "larger than 67108864 bytes"}}},
		{category: "sizes", name: "a 4 MB value is not echoed whole",
			setup: func(w *world) {
				w.write(map[string]string{"slas/a.yaml": strings.Replace(goodSLA, "10bd", strings.Repeat("x", 4<<20), 1)})
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"schema", "slas/a.yaml", 7, "spec.target 'xxxx"}}},
		{category: "sizes", name: "an alias bomb",
			setup: func(w *world) {
				w.write(map[string]string{"lol.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"})
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "lol.yaml", 0, "aliases expand this document"}}},
	}
}

func paths() []hostileCase {
	outsidePath := "must be a path inside the repository"
	return []hostileCase{
		{category: "paths", name: "a sandbox state path climbs out (validate)",
			setup: func(w *world) { w.write(map[string]string{"mops.yaml": sandbox(w.up("", "state.json"), "")}) },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"schema", "mops.yaml", 10, "spec.systems[0].state '../"}}},
		{category: "paths", name: "a sandbox state path climbs out (plan writes nothing)",
			setup: func(w *world) { w.write(map[string]string{"mops.yaml": sandbox(w.up("", "state.json"), "")}) },
			args:  []string{"plan"}, code: 1, out: []string{"spec.systems[0].state '../", outsidePath},
			check: absent("state.json")},
		{category: "paths", name: "an absolute sandbox state path",
			setup: func(w *world) { w.write(map[string]string{"mops.yaml": sandbox(w.outside("state.json"), "")}) },
			args:  []string{"plan"}, code: 1, out: []string{outsidePath},
			check: absent("state.json")},
		{category: "paths", name: "a sandbox seed outside",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": sandbox(".mops/state.json", w.up("", "secret.json"))})
			},
			args: []string{"plan"}, code: 1, out: []string{"spec.systems[0].seed '../", outsidePath}},
		{category: "paths", name: ".mops links outside: plan writes no sandbox state there",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": sandbox(".mops/sandbox.json", "")})
				w.link(".mops", w.Outside)
			},
			args: []string{"plan"}, code: 1, out: []string{"symlink .mops points outside the repository"},
			check: absent("sandbox.json")},
		{category: "paths", name: ".mops links outside: validate --changed-since writes no names cache there", git: true,
			setup: func(w *world) {
				// An unchanged campaign is read by name only, and its names
				// cached in .mops/cache/names.
				w.write(map[string]string{"slas/lead-time.yaml": goodSLA, "campaigns/a.yaml": "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: a\nspec: {}\n"})
				w.link(".mops", w.Outside)
			},
			args: []string{"validate", "--changed-since", "HEAD"}, code: 0,
			check: absent("cache")},
		{category: "paths", name: ".mops links outside: scorecard writes no cache there", git: true,
			setup: func(w *world) {
				w.write(map[string]string{"slas/lead-time.yaml": goodSLA})
				w.link(".mops", w.Outside)
			},
			args: []string{"scorecard", "--format", "json"}, code: 0, out: []string{"scorecard cache not used"},
			check: absent("cache")},
		{category: "paths", name: "the change log is outside (mops log)",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  changelog: " + w.up("", "changelog") + "\n")})
			},
			args: []string{"log"}, code: 1, out: []string{"spec.changelog in mops.yaml"}},
		{category: "paths", name: "a policy folder climbs out",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  policies: [" + w.up("", "policies") + "]\n")})
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"schema", "mops.yaml", 6, outsidePath}, {"policy", "mops.yaml", 6, "policy folder"}}},
		{category: "paths", name: "an include pattern climbs out",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  include: [\"../**/*.yaml\", \"/etc/*\"]\n")})
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"schema", "mops.yaml", 6, "must be a pattern inside the repository"}}},
	}
}

func forging() []hostileCase {
	hostileSLA := "apiVersion: mops.dev/v1\nkind: SLA\nmetadata:\n  name: lead-time\nspec:\n  type: campaign-lead-time\n  target: \"10bd\\e[2J\\e]0;pwned\\a\\u202etxt.exe\\x9b\\r\\n::add-mask::x\"\n"
	return []hostileCase{
		{category: "output forging", name: "terminal escapes, CR, C1 and bidi overrides in a value",
			setup: func(w *world) { w.write(map[string]string{"slas/a.yaml": hostileSLA}) },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"schema", "slas/a.yaml", 7, "spec.target '10bd\x1b[2J\x1b]0;pwned\a\u202etxt.exe\u009b\r\n::add-mask::x'"}}},
		{category: "output forging", name: "a workflow command as a file name",
			setup: func(w *world) { w.write(map[string]string{"::warning::forged.yaml": "kind: [\n"}) },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"load", "::warning::forged.yaml", 1, "invalid YAML"}}},
		{category: "output forging", name: "a bidi override in a file name",
			setup: func(w *world) {
				w.write(map[string]string{"slas/\u202elmay.exe": "", "slas/\u202ex.yaml": "kind: [\n"})
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "slas/\u202ex.yaml", 1, "invalid YAML"}}},
		{category: "output forging", name: "workflow commands in a policy message",
			setup: func(w *world) {
				w.write(policy(`deny contains {"rule": "acme.forge", "message": "fine\n::add-mask::x\n  ::stop-commands::tok\r\n::error file=mops.yaml::forged"} if input.kind == "Project"` + "\n"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"acme.forge", "mops.yaml", 0, "fine\n::add-mask::x"}}},
		{category: "output forging", name: "HTML, Markdown and mentions in a policy message",
			setup: func(w *world) {
				w.write(policy(`deny contains {"rule": "acme.html", "message": "<img src=x onerror=alert(1)> @acme/admins [x](http://evil) | </details>"} if input.kind == "Project"` + "\n"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"acme.html", "mops.yaml", 0, "<img src=x"}},
			check: func(t *testing.T, _ *world, out string) {
				if strings.Contains(out, "<img") && strings.Contains(out, "| deny |") {
					t.Errorf("markdown passes raw HTML: %.500s", out)
				}
			}},
		{category: "output forging", name: "a mops.yaml value forges lines in mops config get",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  changelog: \"log\\n::add-mask::x\\e[2J\"\n")})
			},
			args: []string{"config", "get", "changelog"}, code: 0,
			check: func(t *testing.T, _ *world, out string) {
				if out != `log\n\x3a:add-mask::x\x1b[2J`+"\n" {
					t.Errorf("one escaped line, got %q", out)
				}
			}},
		{category: "output forging", name: "a committed change log forges lines in mops log",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project("  changelog: log/changes\n")})
				l, err := changelog.Open(filepath.Join(w.Dir, "log", "changes"))
				if err != nil {
					w.t.Fatal(err)
				}
				for _, actor := range []string{"eve\nVerified: the hash chain is intact.", "\x1b[2Jeve\u202e", "::add-mask::eve"} {
					if _, err := l.Append(changelog.Record{Time: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC), Type: changelog.RunStart, Actor: actor, System: "sb\rx", Result: changelog.ResultStarted}); err != nil {
						w.t.Fatal(err)
					}
				}
			},
			args: []string{"log"}, code: 0,
			check: func(t *testing.T, _ *world, out string) {
				if lines := strings.Count(out, "\n"); lines != 3 {
					t.Errorf("%d lines for 3 records:\n%s", lines, out)
				}
			}},
	}
}

func policySandbox() []hostileCase {
	refused := func(name, body, want string) hostileCase {
		return hostileCase{category: "policy sandbox", name: name,
			setup: func(w *world) { w.write(policy(body)) },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"policy", "policies/acme.rego", 0, want}}}
	}
	return []hostileCase{
		refused("read the environment", `deny contains {"rule": "acme.env", "message": opa.runtime().env.`+secretEnv+`} if input.kind == "Project"`+"\n",
			"opa.runtime is not available to repository policies"),
		refused("call out with http.send", `deny contains {"rule": "acme.http", "message": "x"} if http.send({"method": "GET", "url": "http://127.0.0.1:1/"}).status_code == 200`+"\n",
			"http.send is not available"),
		refused("resolve a host name", `deny contains {"rule": "acme.dns", "message": "x"} if count(net.lookup_ip_addr("example.com")) > 0`+"\n",
			"net.lookup_ip_addr is not available"),
		refused("read a file through a schema $ref", `deny contains {"rule": "acme.file", "message": "x"} if json.match_schema({}, {"$ref": "file:///etc/passwd"})`+"\n",
			"json.match_schema is not available"),
		{category: "policy sandbox", name: "a repository policy in a built-in package",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": project(policies), "policies/lib.rego": "package mops.lib\n\nroles contains \"anyone\"\n"})
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"policy", "policies/lib.rego", 1, "package mops.lib belongs to the built-in policies"}}},
		{category: "policy sandbox", name: "print leaks nothing",
			setup: func(w *world) {
				w.write(policy(`deny contains {"rule": "acme.print", "message": "printed"} if { input.kind == "Project"; print(opa.runtime) }` + "\n"))
			},
			args: []string{"validate"}, code: 1},
		{category: "policy sandbox", name: "a policy that builds a huge value stops at the memory limit",
			setup: func(w *world) {
				w.write(policy(`deny contains {"rule": "acme.bomb", "message": "x"} if { input.kind == "Project"; count(numbers.range(1, 1000000000)) > 0 }` + "\n"))
			},
			// The memory limit (1 GiB) stops the run, exit 2; on a slow
			// machine the document's time limit (10 s) may come first: a
			// policy.timeout finding, exit 1.
			args: []string{"validate", "--format", "json"}, code: 2, orCode: 1, heap: 1536 << 20,
			out: []string{"stopped at"}},
		{category: "policy sandbox", name: "a policy that floods the report is capped",
			setup: func(w *world) {
				w.write(policy(`deny contains {"rule": "acme.flood", "message": sprintf("finding %d", [i])} if { input.kind == "Project"; some i in numbers.range(1, 20000) }` + "\n"))
			},
			args: []string{"validate"}, code: 1, output: 8 << 20,
			want: []finding{{"policy.too-many-findings", "mops.yaml", 0, "policy package mops.acme reported 15000 more finding(s) than shown"}}},
	}
}

func impersonation() []hostileCase {
	return []hostileCase{
		{category: "impersonation", name: "a repository rule writes a built-in rule id",
			setup: func(w *world) {
				w.write(policy(`deny contains {"rule": "campaign.owner", "message": "looks built in"} if input.kind == "Project"` + "\n"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"policy", "policies/acme.rego", 3, `rule id "campaign.owner" belongs to the built-in policies (campaign.*)`}}},
		{category: "impersonation", name: "a repository rule annotates a built-in rule id",
			setup: func(w *world) {
				w.write(policy("# METADATA\n# description: x\n# custom:\n#   id: waiver.expired\nwarn contains {\"rule\": r, \"message\": \"x\"} if { input.kind == \"Project\"; r := \"acme.x\" }\n"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"policy", "policies/acme.rego", 0, `rule id "waiver.expired" belongs to the built-in policies`}}},
		{category: "impersonation", name: "a repository rule computes a built-in rule id",
			setup: func(w *world) {
				w.write(policy(`warn contains {"rule": concat(".", ["waiver", "expired"]), "message": "x"} if input.kind == "Project"` + "\n"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"policy.impersonation", "mops.yaml", 0, `returned rule id "waiver.expired", which belongs to the built-in policies`}}},
	}
}

// request sends one request to a sandbox and returns the status.
func request(t *testing.T, method, url, host, token, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func sandboxServe() []hostileCase {
	sandboxed := func(w *world) { w.write(map[string]string{"mops.yaml": sandbox(".mops/sandbox.json", "")}) }
	args := []string{"sandbox", "serve", "--addr", "127.0.0.1:0"}
	return []hostileCase{
		{category: "sandbox serve", name: "a web page rebinds its host name to the sandbox",
			setup: sandboxed, args: args, code: 0,
			probe: func(t *testing.T, base string) {
				_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
				if got := request(t, "GET", base+"/crm/v3/properties/contacts", "evil.example:"+port, "any", ""); got != http.StatusMisdirectedRequest {
					t.Errorf("a request for evil.example: %d, want 421", got)
				}
			}},
		{category: "sandbox serve", name: "a search with limit -1",
			setup: sandboxed, args: args, code: 0,
			probe: func(t *testing.T, base string) {
				body := `{"filterGroups":[],"properties":[],"sorts":[],"limit":-1,"after":"0"}`
				if got := request(t, "POST", base+"/crm/v3/objects/contacts/search", "", "any", body); got != http.StatusBadRequest {
					t.Errorf("limit -1: %d, want 400", got)
				}
			}},
		{category: "sandbox serve", name: "a body larger than any API takes",
			setup: sandboxed, args: args, code: 0,
			probe: func(t *testing.T, base string) {
				body := `{"inputs":[` + strings.Repeat(`{"id":"1","properties":{"a":"b"}},`, 1<<19) + `{"id":"1","properties":{"a":"b"}}]}`
				if got := request(t, "POST", base+"/crm/v3/objects/contacts/batch/update", "", "any", body); got < 400 || got >= 500 {
					t.Errorf("a %d MB body: %d, want a 4xx", len(body)>>20, got)
				}
			}},
		{category: "sandbox serve", name: "the token comes from the environment, out of sight of ps",
			setup: func(w *world) {
				sandboxed(w)
				w.t.Setenv("MOPS_SANDBOX_TOKEN", "t0ken-from-env")
			},
			args: args, code: 0,
			probe: func(t *testing.T, base string) {
				if got := request(t, "GET", base+"/crm/v3/properties/contacts", "", "guess", ""); got != http.StatusUnauthorized {
					t.Errorf("another token: %d, want 401", got)
				}
			}},
	}
}

func yamlPositions() []hostileCase {
	at := func(name, src string, line int, msg string) hostileCase {
		return hostileCase{category: "YAML positions", name: name,
			setup: func(w *world) { w.write(map[string]string{"x.yaml": src}) },
			args:  []string{"validate"}, code: 1,
			want: []finding{{"load", "x.yaml", line, msg}}}
	}
	return []hostileCase{
		at("a: b: c on line 1", "a: b: c\n", 1, "mapping values are not allowed"),
		at("a key indented too little", "a: 1\nb:\n  c: 1\n d: 2\n", 4, "did not find expected key"),
		at("an unclosed [", "a: 1\nb: [x, y\nc: 2\n", 2, "did not find expected ',' or ']'"),
		at("an alias of an unknown anchor", "a: 1\nb: *nope\n", 2, "unknown anchor"),
	}
}

// credentials: mops.yaml names the variables a Salesforce system's OAuth
// flow reads. A pull request can name any variable, a CI secret's among
// them; the secret's value must never be shown, even where mops uses it
// as something it is not (a key, a file path).
func credentials() []hostileCase {
	sf := func(auth string) map[string]string {
		// Port 9 on loopback: nothing answers, so the token request fails
		// without leaving the machine.
		return map[string]string{"mops.yaml": project("  systems:\n    - name: sf\n      type: salesforce\n      instanceURL: http://127.0.0.1:9\n      auth: " + auth + "\n")}
	}
	jwt := "{flow: jwt-bearer, clientIdEnv: " + secretEnv + ", username: mops@acme.example, "
	return []hostileCase{
		{category: "credentials", name: "the key file variable names a secret, which is read as a path",
			setup: func(w *world) { w.write(sf(jwt + "privateKeyFileEnv: " + secretEnv + "}")) },
			args:  []string{"doctor", "--system", "sf"}, code: 1,
			out: []string{"the private key file named by " + secretEnv + " cannot be read: no such file or directory"}},
		{category: "credentials", name: "the key variable names a secret that is no key",
			setup: func(w *world) { w.write(sf(jwt + "privateKeyEnv: " + secretEnv + "}")) },
			args:  []string{"doctor", "--system", "sf"}, code: 1,
			out: []string{"environment variable " + secretEnv + ": not an RSA private key in PEM"}},
		{category: "credentials", name: "the consumer key and secret variables name a secret",
			setup: func(w *world) {
				w.write(sf("{flow: client-credentials, clientIdEnv: " + secretEnv + ", clientSecretEnv: " + secretEnv + "}"))
			},
			args: []string{"doctor", "--system", "sf"}, code: 1,
			out: []string{"sf (salesforce): FAILED", "POST /services/oauth2/token"}},
		{category: "credentials", name: "a secret where a variable's name goes",
			setup: func(w *world) {
				w.write(sf("{flow: client-credentials, clientIdEnv: A_KEY, clientSecretEnv: 8A4BE698BCA216718ECB}"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"schema", "mops.yaml", 10, "clientSecretEnv '8A4BE698BCA216718ECB' does not have the expected form"}}},
	}
}

// applyInputs are what apply reads besides the documents: the plan file,
// which names the commit whose documents apply reads, and the change log,
// whose intents apply and log --resolve check against live.
func applyInputs() []hostileCase {
	const seed = `{"objects": {"contacts": {"properties": [{"name": "p", "label": "P", "type": "enumeration", "fieldType": "select", "groupName": "contactinformation", "options": [{"label": "A", "value": "a", "displayOrder": 0}]}]}}}`
	withPlan := func(w *world, p *plan.Plan) {
		w.write(map[string]string{"mops.yaml": sandbox(".mops/state.json", "live/seed.json"), "live/seed.json": seed})
		p.FormatVersion, p.Systems = plan.FormatVersion, []string{"sb"}
		if err := plan.Write(filepath.Join(w.Dir, "plan.json"), p); err != nil {
			w.t.Fatal(err)
		}
	}
	forged := "p\n::add-mask::x\x1b[2J"
	return []hostileCase{
		{category: "apply inputs", name: "a plan names a branch, not a commit, to read documents from",
			setup: func(w *world) { withPlan(w, &plan.Plan{Commit: "main\x1b[2J"}) },
			args:  []string{"apply", "{dir}/plan.json"}, code: 1,
			out: []string{`the plan names commit "main\x1b[2J", which is not a full commit id`}},
		{category: "apply inputs", name: "a forged step is named on one line",
			setup: func(w *world) {
				withPlan(w, &plan.Plan{Changes: []plan.Change{{Seq: 1, Action: plan.Remove, Value: "a",
					Target: live.Binding{System: "sb", Object: "contacts", Property: forged}, Destructive: true}}})
			},
			args: []string{"apply", "{dir}/plan.json"}, code: 2,
			out: []string{`step 1 (remove sb:contacts.p\n\x3a:add-mask::x\x1b[2J "a") is not a step the documents and live give`}},
		{category: "apply inputs", name: "a forged intent in the change log is checked, never carried out",
			setup: func(w *world) {
				w.write(map[string]string{"mops.yaml": sandbox(".mops/state.json", "live/seed.json"), "live/seed.json": seed})
				l, err := changelog.Open(filepath.Join(w.Dir, ".mops", "changelog"))
				if err != nil {
					w.t.Fatal(err)
				}
				b := live.Binding{System: "sb", Object: "contacts", Property: "p"}
				step := plan.Change{Seq: 1, Action: plan.Update, Target: b, Value: "a", Summary: "forged\n::add-mask::x"}
				for _, r := range []changelog.Record{
					{Type: changelog.RunStart, System: "sb", Result: changelog.ResultStarted},
					{Type: changelog.Intent, System: "sb", Change: &step, Result: changelog.ResultIntended,
						After: live.Change{Binding: b, Action: live.ActionSetOptions, Options: []live.Option{}}},
				} {
					if _, err := l.Append(r); err != nil {
						w.t.Fatal(err)
					}
				}
			},
			args: []string{"log", "--resolve"}, code: 0,
			out: []string{`step 1 (update sb:contacts.p "a"): not-applied`},
			check: func(t *testing.T, w *world, _ string) {
				state, err := os.ReadFile(filepath.Join(w.Dir, ".mops", "state.json"))
				if err != nil || !strings.Contains(string(state), `"value": "a"`) {
					t.Errorf("the forged intent's write was carried out (option a gone): %v\n%.2000s", err, state)
				}
			}},
	}
}

// streaming: `mops validate` reads every campaign file twice (to tell
// campaigns apart, then to check them one at a time) and reads the
// repository's policies for what they take from other campaigns.
func streaming() []hostileCase {
	campaign := func(name, owner string) string {
		return "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: " + name + "\n  owner: " + owner + "\nspec: {}\n"
	}
	return []hostileCase{
		{category: "streaming", name: "a campaign file links to a secret",
			setup: func(w *world) {
				w.write(map[string]string{"campaigns/a.yaml": campaign("a", "zed")})
				w.link("campaigns/b.yaml", w.outside("secret.yaml"))
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"load", "campaigns/b.yaml", 0, "symlink points outside the repository"}}},
		{category: "streaming", name: "a policy that reads other campaigns in ways hard to follow sees them whole",
			setup: func(w *world) {
				files := policy(`deny contains {"rule": "acme.peek", "message": sprintf("a is owned by %s", [v])} if {
	input.kind == "Campaign"
	input.metadata.name == "b"
	walk(input.index, [p, v])
	p == ["Campaign", "a", "metadata", "owner"]
}
`)
				files["campaigns/a.yaml"] = campaign("a", "zed")
				files["campaigns/b.yaml"] = campaign("b", "amy")
				w.write(files)
			},
			args: []string{"validate"}, code: 1,
			want: []finding{{"acme.peek", "campaigns/b.yaml", 0, "a is owned by zed"}}},
		{category: "streaming", name: "a policy that loops on one campaign is a finding there, and the others are checked",
			setup: func(w *world) {
				files := policy(`deny contains {"rule": "acme.loop", "message": "never"} if {
	input.kind == "Campaign"
	input.metadata.name == "b"
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i + j < 0
}

warn contains {"rule": "acme.seen", "message": "checked"} if input.kind == "Campaign"
`)
				files["campaigns/a.yaml"] = campaign("a", "zed")
				files["campaigns/b.yaml"] = campaign("b", "amy")
				files["campaigns/c.yaml"] = campaign("c", "amy")
				w.write(files)
			},
			// Ten seconds for the one document: one format only.
			args: []string{"validate", "--format", "json"}, code: 1,
			check: func(t *testing.T, _ *world, out string) {
				reported(t, out, []finding{
					{"policy.timeout", "campaigns/b.yaml", 0, "stopped at its time limit of 10s"},
					{"acme.seen", "campaigns/a.yaml", 0, "checked"},
					{"acme.seen", "campaigns/c.yaml", 0, "checked"},
				})
			}},
	}
}
