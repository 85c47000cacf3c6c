package scorecard

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestPageRendersInChromium opens the constructed history's page in
// headless Chromium, offline, and checks the screenshot it takes: a page
// that does not parse or load leaves it blank. Where Chromium is not
// installed (apt-get install chromium) the test is skipped;
// docs/scorecard-screenshot.sh takes the picture in docs/.
func TestPageRendersInChromium(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	var page bytes.Buffer
	if err := Write(&page, "html", compute(t, constructed(t), true)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html, shot := filepath.Join(dir, "scorecard.html"), filepath.Join(dir, "scorecard.png")
	if err := os.WriteFile(html, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1180,900", "--screenshot="+shot, "file://"+html)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 1180 || b.Dy() != 900 {
		t.Errorf("screenshot is %dx%d; want 1180x900", b.Dx(), b.Dy())
	}
	// The charts draw in colour: count pixels of the series' blue.
	blue := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 < 80 && g>>8 > 80 && g>>8 < 130 && bl>>8 > 200 {
				blue++
			}
		}
	}
	// The two blue legend squares alone make 200; the blue lines ~1,000 more.
	if blue < 1000 {
		t.Errorf("%d blue pixels; the charts did not draw", blue)
	}
}
