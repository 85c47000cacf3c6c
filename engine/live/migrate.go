package live

import (
	"context"
	"fmt"
	"slices"
)

// Migrator is MigrateRecords as every provider does it, with the
// provider's steps as hooks. Migrate checks the migration and the
// property as re-read now, then finds the records holding From page by
// page while it writes them in batches: a batch goes out as soon as a
// batch's worth was found, so the vendor's search (or query) limit and
// its write limit are spent at the same time rather than one after the
// other. onBatch is called after each accepted batch.
type Migrator struct {
	// Own normalises the binding to the provider's system.
	Own func(Binding) (Binding, error)
	// Reread re-reads the bound property, and says whether its record
	// values are writable.
	Reread func(context.Context, Binding) (p *Property, writable bool, err error)
	// Check, when set, refuses the migration for what only the provider
	// knows (Salesforce: a restricted picklist refuses an inactive To).
	Check func(*Migrating) error
	// Find pages through the records holding From, handing each page to
	// emit with the number of records the search announced (0: not
	// known). Its paging must stay stable while Migrate writes the
	// records of earlier pages (HubSpot: keyset paging on the record id;
	// Salesforce: a query cursor). It stops when emit returns an error.
	Find func(ctx context.Context, m *Migrating, emit func(page []Held, total int) error) error
	// Write writes one batch and says how many records the system
	// updated and which it refused (Migrate fills in Seq and IDs).
	Write func(ctx context.Context, m *Migrating, batch []Held) (BatchResult, error)
	// Settle, when set, waits after the last batch until the system's
	// reads show what the migration wrote (HubSpot's search index lags
	// writes), given the ids of the records it accepted, in write order.
	// An error says it did not within its bound: the records are
	// written, but a recount cannot be trusted yet, so the migration
	// fails and nothing that depends on it runs.
	Settle func(ctx context.Context, m *Migrating, accepted []string) error
	// Most is the most records a batch may hold.
	Most int
	// Size, when set, picks the batch size from the records the search
	// announced, instead of Most (Salesforce: Bulk API 2.0 jobs above a
	// threshold); Migration.BatchSize still caps it.
	Size func(total int) int
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
	p := m.Progress
	if p == nil {
		p = silent{}
	}
	p.Phase(mg.What, 0)
	defer p.End()

	// Find runs beside the writes, up to findAhead pages ahead, so that
	// while a long batch is written (a Bulk API job) the next ones are
	// found.
	fctx, stop := context.WithCancel(ctx)
	type page struct {
		held  []Held
		total int
	}
	pages := make(chan page, findAhead)
	found := make(chan error, 1)
	defer func() { // stop Find, and wait for it, however Migrate ends
		stop()
		for range pages {
		}
	}()
	go func() {
		defer close(pages)
		found <- mr.Find(fctx, mg, func(held []Held, total int) error {
			select {
			case pages <- page{held, total}:
				return nil
			case <-fctx.Done():
				return context.Cause(fctx)
			}
		})
	}()

	size := 0
	written := map[string]bool{}
	var pending []Held
	var accepted []string // ids the system took, in write order
	write := func(batch []Held) error {
		br, err := mr.Write(ctx, mg, batch)
		if err != nil {
			return fmt.Errorf("%s: batch %d: %w", mg.What, res.Batches+1, err)
		}
		br.Seq = res.Batches + 1
		br.IDs = make([]string, len(batch))
		for i, h := range batch {
			br.IDs[i] = h.ID
			if !slices.ContainsFunc(br.Errors, func(e RecordError) bool { return e.ID == h.ID }) {
				accepted = append(accepted, h.ID)
			}
		}
		res.Batches++
		res.Updated += br.Updated
		res.Failed += len(br.Errors)
		mg.written += len(batch)
		p.Update(mg.written, 0)
		if onBatch != nil {
			if err := onBatch(br); err != nil {
				return fmt.Errorf("%s: stopped after batch %d: %w", mg.What, br.Seq, err)
			}
		}
		return nil
	}
	for pg := range pages {
		if size == 0 {
			size = mr.batchSize(m.BatchSize, pg.total)
			p.Update(0, pg.total)
		}
		for _, h := range pg.held {
			if !written[h.ID] {
				written[h.ID] = true
				pending = append(pending, h)
			}
		}
		for len(pending) >= size {
			if err := write(pending[:size]); err != nil {
				return res, err
			}
			pending = pending[size:]
		}
	}
	if err := <-found; err != nil {
		return res, fmt.Errorf("%s: find records: %w", mg.What, err)
	}
	if len(pending) > 0 {
		if err := write(pending); err != nil {
			return res, err
		}
	}
	if mr.Settle != nil && len(accepted) > 0 {
		if err := mr.Settle(ctx, mg, accepted); err != nil {
			return res, fmt.Errorf("%s: written, but %w", mg.What, err)
		}
	}
	return res, nil
}

// findAhead is how many pages Find may run ahead of the writes.
const findAhead = 64

// batchSize is the records a batch holds: what Size picks for total (or
// Most), capped by the migration's own BatchSize.
func (mr Migrator) batchSize(asked, total int) int {
	size := mr.Most
	if mr.Size != nil {
		size = mr.Size(total)
	}
	if asked > 0 && (asked < size || size <= 0) {
		size = asked
	}
	return max(1, size)
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
