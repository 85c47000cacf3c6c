package workflows_test

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// release is a mops release served over HTTP the way GitHub serves one:
// <url>/<tag>/<archive> and <url>/<tag>/checksums.txt.
type release struct {
	tag     string
	archive string // file name, mops_<version>_<os>_<arch>.tar.gz
	dir     string // holds <tag>/ with the archive and checksums.txt
}

// localRelease returns the release to install, packed the way
// .goreleaser.yaml packs one: from the binary of the snapshot build that
// .ci/run makes with goreleaser (MOPS_TEST_DIST, its dist folder), so the
// version the action reports is the one goreleaser stamped; else from a
// mops built here with the release's ldflags.
func localRelease(t *testing.T, root string) release {
	t.Helper()
	plat := runtime.GOOS + "_" + runtime.GOARCH
	version, bin := "9.8.7", ""
	if dist := os.Getenv("MOPS_TEST_DIST"); dist != "" {
		version, bin = snapshotBinary(t, dist)
		t.Logf("installing goreleaser's snapshot %s (%s)", version, bin)
	} else {
		bin = filepath.Join(t.TempDir(), "mops")
		build := exec.Command("go", "build", "-ldflags", "-X main.version="+version+" -X main.commit=feedfacefeedfacefeedfacefeedfacefeedface -X main.date=2026-12-01T00:00:00Z", "-o", bin, "./cmd/mops")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	r := release{tag: "v" + version, archive: "mops_" + version + "_" + plat + ".tar.gz", dir: t.TempDir()}
	if err := os.MkdirAll(filepath.Join(r.dir, r.tag), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTarGz(t, filepath.Join(r.dir, r.tag, r.archive), map[string]string{"mops": bin, "README.md": filepath.Join(root, "README.md")})
	sum := sha256File(t, filepath.Join(r.dir, r.tag, r.archive))
	// goreleaser's format: "<sha256>  <file>", one line per archive.
	checksums := fmt.Sprintf("%s  mops_%s_windows_amd64.zip\n%s  %s\n", strings.Repeat("0", 64), version, sum, r.archive)
	if err := os.WriteFile(filepath.Join(r.dir, r.tag, "checksums.txt"), []byte(checksums), 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}

// snapshotBinary returns the version and the binary for this platform of a
// goreleaser dist folder (metadata.json and artifacts.json).
func snapshotBinary(t *testing.T, dist string) (version, bin string) {
	t.Helper()
	var meta struct {
		Version string `json:"version"`
	}
	var artifacts []struct {
		Path   string `json:"path"`
		Type   string `json:"type"`
		Goos   string `json:"goos"`
		Goarch string `json:"goarch"`
	}
	for name, v := range map[string]any{"metadata.json": &meta, "artifacts.json": &artifacts} {
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatalf("MOPS_TEST_DIST: %v", err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("MOPS_TEST_DIST: %s: %v", name, err)
		}
	}
	for _, a := range artifacts {
		if a.Type == "Binary" && a.Goos == runtime.GOOS && a.Goarch == runtime.GOARCH {
			// artifacts.json paths are relative to the folder goreleaser ran in.
			return meta.Version, filepath.Join(filepath.Dir(dist), a.Path)
		}
	}
	t.Fatalf("MOPS_TEST_DIST=%s has no %s/%s binary", dist, runtime.GOOS, runtime.GOARCH)
	return "", ""
}

func (r release) version() string { return strings.TrimPrefix(r.tag, "v") }

// install runs install.sh against a release server and returns its
// outputs, stderr and exit code.
func install(t *testing.T, root, serverURL, binDir string, env ...string) (map[string]string, string, int) {
	t.Helper()
	ghOutput := filepath.Join(t.TempDir(), "github-output")
	cmd := exec.Command("bash", filepath.Join(root, ".github", "actions", "mops", "install.sh"))
	cmd.Env = append(baseEnv(),
		"MOPS_RELEASE_URL="+serverURL+"/download",
		"MOPS_RELEASES_API="+serverURL+"/api/releases",
		"MOPS_BIN_DIR="+binDir,
		"ACTION_PATH="+filepath.Join(root, ".github", "actions", "mops"),
		"GITHUB_OUTPUT="+ghOutput,
		"RUNNER_OS="+map[string]string{"linux": "Linux", "darwin": "macOS"}[runtime.GOOS],
		"RUNNER_ARCH="+map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH],
	)
	cmd.Env = append(cmd.Env, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	if b, err := os.ReadFile(ghOutput); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outputs[k] = v
			}
		}
	}
	return outputs, stderr.String(), code
}

// TestActionInstallsARelease runs the action's install step against a
// release on a local server: the archive whose checksum matches is
// installed; one whose checksum does not is refused and nothing is put on
// the PATH.
func TestActionInstallsARelease(t *testing.T) {
	needTools(t, "bash", "curl", "tar", "go")
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("the install step's test runs on Linux and macOS")
	}
	root := repoRoot(t)
	rel := localRelease(t, root)
	var tampered atomic.Bool
	mux := http.NewServeMux()
	files := http.StripPrefix("/download/", http.FileServer(http.Dir(rel.dir)))
	mux.HandleFunc("/download/", func(w http.ResponseWriter, r *http.Request) {
		if tampered.Load() && strings.HasSuffix(r.URL.Path, ".tar.gz") {
			// A man in the middle, or a release file replaced after the fact.
			_, _ = w.Write([]byte("not the archive the release lists"))
			return
		}
		files.ServeHTTP(w, r)
	})
	mux.HandleFunc("/api/releases", func(w http.ResponseWriter, _ *http.Request) {
		// Newest first, as GitHub lists them: a pre-release and a draft
		// of the same major must not be chosen.
		fmt.Fprintf(w, `[{"tag_name":"v0.99.0-rc.1","prerelease":true,"draft":false},
			{"tag_name":"v0.100.0","prerelease":false,"draft":true},
			{"tag_name":%q,"prerelease":false,"draft":false},
			{"tag_name":"v0.1.0","prerelease":false,"draft":false}]`, rel.tag)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	t.Run("the release's own tag", func(t *testing.T) {
		bin := t.TempDir()
		out, stderr, code := install(t, root, srv.URL, bin, "ACTION_REF="+rel.tag)
		if code != 0 {
			t.Fatalf("install exited %d:\n%s", code, stderr)
		}
		if !strings.Contains(stderr, "checksum verified") || strings.Contains(stderr, "building mops") {
			t.Errorf("install did not download and verify the release:\n%s", stderr)
		}
		if out["version"] != rel.version() || out["bin"] != filepath.Join(bin, "mops") {
			t.Errorf("outputs %v, want version %s and bin %s/mops", out, rel.version(), bin)
		}
		line, err := exec.Command(filepath.Join(bin, "mops"), "version").Output()
		if err != nil || !strings.HasPrefix(string(line), "mops "+rel.version()+" (commit ") {
			t.Errorf("the installed mops says %q (%v), want version %s", line, err, rel.version())
		}
	})

	t.Run("a major tag installs its newest release", func(t *testing.T) {
		major, _, _ := strings.Cut(rel.tag, ".")
		if major == "v0" {
			t.Skip("the snapshot is a 0.x version; the fake release covers majors")
		}
		out, stderr, code := install(t, root, srv.URL, t.TempDir(), "ACTION_REF="+major)
		if code != 0 || out["version"] != rel.version() {
			t.Fatalf("install %s exited %d with version %q:\n%s", major, code, out["version"], stderr)
		}
	})

	t.Run("a checksum mismatch is refused", func(t *testing.T) {
		tampered.Store(true)
		defer tampered.Store(false)
		bin := t.TempDir()
		out, stderr, code := install(t, root, srv.URL, bin, "MOPS_VERSION="+rel.tag)
		if code == 0 {
			t.Fatalf("install of a tampered archive exited 0:\n%s", stderr)
		}
		if !strings.Contains(stderr, "checksum mismatch for "+rel.archive) || !strings.Contains(stderr, "refusing to install") {
			t.Errorf("the refusal does not say which file failed its checksum:\n%s", stderr)
		}
		if _, err := os.Stat(filepath.Join(bin, "mops")); err == nil {
			t.Error("a mops binary was installed from the tampered archive")
		}
		if out["bin"] != "" {
			t.Errorf("the step still set the bin output: %v", out)
		}
	})
}

// TestActionResolvesHowToInstall checks which refs download a release and
// which build from source (and so get Go, with its cache).
func TestActionResolvesHowToInstall(t *testing.T) {
	needTools(t, "bash")
	root := repoRoot(t)
	for ref, want := range map[string]string{
		"v1.4.0": "download", "v1": "download", "v2.0.0-rc.1": "download",
		"main": "source", "source": "source", "": "source", "v1.4": "source",
		"0123456789abcdef0123456789abcdef01234567": "source",
	} {
		ghOutput := filepath.Join(t.TempDir(), "github-output")
		cmd := exec.Command("bash", filepath.Join(root, ".github", "actions", "mops", "install.sh"), "resolve")
		cmd.Env = append(baseEnv(), "MOPS_VERSION="+ref, "GITHUB_OUTPUT="+ghOutput)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("resolve %q: %v\n%s", ref, err, out)
		}
		b, err := os.ReadFile(ghOutput)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "mode="+want+"\n") {
			t.Errorf("version %q resolves to\n%s\nwant mode=%s", ref, b, want)
		}
		if !strings.Contains(string(b), "go-sum="+filepath.Join(root, "go.sum")+"\n") {
			t.Errorf("version %q: the go-sum output (the Go cache's key) is not the action's go.sum:\n%s", ref, b)
		}
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// writeTarGz writes a .tar.gz holding files (name in the archive -> path).
func writeTarGz(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for name, src := range files {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(b))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
}
