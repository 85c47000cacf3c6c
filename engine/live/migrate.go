package live

import (
	"context"
	"fmt"
	"slices"
)

// Migrator is MigrateRecords as every provider does it, with the
// provider's steps as hooks. Migrate checks the migration and the
// property as re-read now, collects the records holding From, and writes
// them in batches, calling onBatch after each accepted one.
type Migrator struct {
	// Own normalises the binding to the provider's system.
	Own func(Binding) (Binding, error)
	// Reread re-reads the bound property, and says whether its record
	// values are writable.
	Reread func(context.Context, Binding) (p *Property, writable bool, err error)
	// Check, when set, refuses the migration for what only the provider
	// knows (Salesforce: a restricted picklist refuses an inactive To).
	Check func(*Migrating) error
	// Collect finds the records holding From. more says it stopped at a
	// paging cap with more to come: Migrate writes what it got, then
	// collects again, skipping records it wrote.
	Collect func(context.Context, *Migrating) (held []Held, more bool, err error)
	// Write writes one batch and says how many records the system
	// updated and which it refused (Migrate fills in Seq and IDs).
	Write func(ctx context.Context, m *Migrating, batch []Held) (BatchResult, error)
	// Most is the most records a batch may hold.
	Most int
	// Size, when set, picks the batch size for the records Collect found,
	// instead of Most (Salesforce: Bulk API 2.0 jobs above a threshold);
	// Migration.BatchSize still caps it.
	Size func(found int) int
}

// Held is one record that holds the value a migration moves off, with
// its whole value (for a multi-valued property, with the others it holds).
type Held struct {
	ID, Value string
}

// Migrating is a migration that passed its checks.
type Migrating struct {
	// Migration has its binding normalised to the provider's system.
	Migration
	// Property is the bound property as re-read.
	Property *Property
	// What starts every error of the migration.
	What string
	// written counts the records written by finished batches.
	written int
}

// Writing reports, while Write works on a batch, that n of its records
// are done (Salesforce: a Bulk API job's processed count).
func (m *Migrating) Writing(n int) {
	if m.Progress != nil {
		m.Progress.Update(m.written+n, 0)
	}
}

// Found reports, while Collect pages through them, that n records holding
// From were found so far, of total (0: not known).
func (m *Migrating) Found(n, total int) {
	if m.Progress != nil {
		m.Progress.Update(n, total)
	}
}

// NewValue is what a record holding value holds after the migration: To,
// or for a multi-valued property, value with From replaced by To.
func (m *Migrating) NewValue(value string) string {
	if m.Property.MultiValued {
		return ReplaceToken(value, m.From, m.To)
	}
	return m.To
}

// Migrate carries out m (see Provider.MigrateRecords).
func (mr Migrator) Migrate(ctx context.Context, m Migration, onBatch func(BatchResult) error) (MigrationResult, error) {
	var res MigrationResult
	mg, err := mr.prepare(ctx, m)
	if err != nil {
		return res, err
	}
	size := m.BatchSize
	if size <= 0 || size > mr.Most {
		size = mr.Most
	}
	written := map[string]bool{}
	p := m.Progress
	if p == nil {
		p = silent{}
	}
	for {
		p.Phase(mg.What+": find records", 0)
		held, more, err := mr.Collect(ctx, mg)
		p.End()
		if err != nil {
			return res, fmt.Errorf("%s: find records: %w", mg.What, err)
		}
		held = slices.DeleteFunc(held, func(h Held) bool { return written[h.ID] })
		if len(held) == 0 {
			return res, nil
		}
		p.Phase(mg.What+": write records", len(held))
		mg.written = 0
		size := size
		if mr.Size != nil {
			size = max(1, mr.Size(len(held)))
			if m.BatchSize > 0 {
				size = min(size, m.BatchSize)
			}
		}
		for batch := range slices.Chunk(held, size) {
			br, err := mr.Write(ctx, mg, batch)
			if err != nil {
				p.End()
				return res, fmt.Errorf("%s: batch %d: %w", mg.What, res.Batches+1, err)
			}
			br.Seq = res.Batches + 1
			br.IDs = make([]string, len(batch))
			for i, h := range batch {
				br.IDs[i] = h.ID
			}
			res.Batches++
			res.Updated += br.Updated
			res.Failed += len(br.Errors)
			for _, id := range br.IDs {
				written[id] = true
			}
			mg.written += len(batch)
			p.Update(mg.written, 0)
			if onBatch != nil {
				if err := onBatch(br); err != nil {
					p.End()
					return res, fmt.Errorf("%s: stopped after batch %d: %w", mg.What, br.Seq, err)
				}
			}
		}
		p.End()
		if !more {
			return res, nil
		}
	}
}

// silent is the Progress of a migration nobody watches.
type silent struct{}

func (silent) Phase(string, int) {}
func (silent) Update(int, int)   {}
func (silent) End()              {}

// prepare makes the checks every provider makes before it touches a
// record: the binding is the provider's own, From is a value other than
// To, and the property as re-read takes record values and has To, when
// set, as an option.
func (mr Migrator) prepare(ctx context.Context, m Migration) (*Migrating, error) {
	b, err := mr.Own(m.Binding)
	if err != nil {
		return nil, err
	}
	m.Binding = b
	mg := &Migrating{Migration: m, What: fmt.Sprintf("migrate %s from %q to %q", b, m.From, m.To)}
	if m.From == "" || m.From == m.To {
		return nil, fmt.Errorf("%s: from must be a value other than to", mg.What)
	}
	p, writable, err := mr.Reread(ctx, b)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: re-read: %w", mg.What, err)
	case !writable:
		return nil, &ReadOnlyError{Binding: b, What: "record values"}
	}
	if _, ok := p.Option(m.To); m.To != "" && !ok {
		return nil, fmt.Errorf("%s: %q is not an option of the live property", mg.What, m.To)
	}
	mg.Property = p
	if mr.Check != nil {
		if err := mr.Check(mg); err != nil {
			return nil, err
		}
	}
	return mg, nil
}
