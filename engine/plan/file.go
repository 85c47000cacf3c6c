package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrTampered means a plan file's content does not match its hash.
var ErrTampered = errors.New("plan file does not match its hash")

// ErrVersion means the plan file was written in another format version.
var ErrVersion = errors.New("unsupported plan format version")

// Marshal returns the plan file bytes: indented JSON, stable field order.
func Marshal(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode plan: %w", err)
	}
	return buf.Bytes(), nil
}

// Write seals p and writes it to path atomically (temp file, fsync, rename).
func Write(path string, p *Plan) error {
	if err := p.Seal(); err != nil {
		return err
	}
	data, err := Marshal(p)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, data, 0o644)
}

// Read loads a plan file and checks its version and hash.
func Read(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s is not a mops plan file: %w", path, err)
	}
	if p.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("%s: %w %d (this mops reads version %d); run mops plan again", path, ErrVersion, p.FormatVersion, FormatVersion)
	}
	want, err := p.ComputeHash()
	if err != nil {
		return nil, err
	}
	if p.Hash != want {
		return nil, fmt.Errorf("%s: %w: it was edited after mops plan wrote it; run mops plan again", path, ErrTampered)
	}
	return &p, nil
}

// WriteFileAtomic writes data to path so that a crash leaves either the old
// file or the new one, never a mix: temp file in the same folder, fsync,
// rename, fsync of the folder.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not every file system syncs folders
		d.Close()
	}
	return nil
}
