package live

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"
)

// ObjectReader is the part of Read every provider shares, with the
// provider's steps as hooks: Own normalises each binding; Fetch gets what
// an object's bindings need, once per object, for all objects at once
// (the client's limiter paces them); Unknown tells from Fetch's error that
// the system does not know the object; Pick adds one binding of a fetched
// object to the snapshot, to Properties or to Missing.
type ObjectReader[T any] struct {
	Own     func(Binding) (Binding, error)
	Fetch   func(ctx context.Context, object string) (T, error)
	Unknown func(error) bool
	Pick    func(snap *Snapshot, b Binding, fetched T)
}

// Read returns the snapshot of system's bindings read at at: the
// bindings of an unknown object are Missing, with the object in
// UnknownObjects; the others are picked. Missing comes sorted; the
// errors of other fetches come joined.
func (r ObjectReader[T]) Read(ctx context.Context, system string, at time.Time, bindings []Binding) (*Snapshot, error) {
	byObject := map[string][]Binding{}
	for _, b := range bindings {
		b, err := r.Own(b)
		if err != nil {
			return nil, err
		}
		byObject[b.Object] = append(byObject[b.Object], b)
	}
	objects := slices.Sorted(maps.Keys(byObject))
	fetched := make([]T, len(objects))
	errs := make([]error, len(objects))
	var wg sync.WaitGroup
	for i, o := range objects {
		wg.Go(func() { fetched[i], errs[i] = r.Fetch(ctx, o) })
	}
	wg.Wait()

	snap := &Snapshot{System: system, ReadAt: at, Properties: map[Binding]*Property{}}
	var failed []error
	for i, o := range objects {
		switch {
		case r.Unknown(errs[i]):
			snap.UnknownObjects = append(snap.UnknownObjects, o)
			snap.Missing = append(snap.Missing, byObject[o]...)
		case errs[i] != nil:
			failed = append(failed, errs[i])
		default:
			for _, b := range byObject[o] {
				r.Pick(snap, b, fetched[i])
			}
		}
	}
	if len(failed) > 0 {
		return nil, errors.Join(failed...)
	}
	SortBindings(snap.Missing)
	snap.Missing = slices.Compact(snap.Missing)
	return snap, nil
}
