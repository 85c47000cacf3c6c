package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mops-dev/mops/engine/atomicfile"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/source"
)

// ErrTampered means a plan file's content does not match its hash.
var ErrTampered = errors.New("plan file does not match its hash")

// ErrVersion means the plan file was written in another format version.
var ErrVersion = errors.New("unsupported plan format version")

// Marshal returns the plan file bytes: indented JSON, stable field order,
// with what could forge a terminal when the file is printed written as \u
// escapes (source.JSONSafe; the decoded values, and so the hash, are the
// same).
func Marshal(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode plan: %w", err)
	}
	return source.JSONSafe(buf.Bytes()), nil
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
	return atomicfile.Write(path, data, 0o644, nil)
}

// Read loads a plan file and checks its version and hash.
func Read(path string) (*Plan, error) {
	data, err := repofs.ReadPath(path, repofs.MaxFileSize) // never a FIFO: it would block
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
	id, err := p.ComputeID()
	if err != nil {
		return nil, err
	}
	want, err := p.ComputeHash()
	if err != nil {
		return nil, err
	}
	if p.Hash != want || p.ID != id {
		return nil, fmt.Errorf("%s: %w: it was edited after mops plan wrote it; run mops plan again", path, ErrTampered)
	}
	return &p, nil
}
