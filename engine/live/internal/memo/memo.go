// Package memo holds what a live-system client learns while it runs
// (which properties are multi-valued, where a picklist's values live), so
// that later calls need not ask again. A Map is safe for concurrent use.
package memo

import "sync"

// Map is a map guarded by a mutex. The zero value is ready to use.
type Map[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

// Load returns the value stored for k, and whether there is one.
func (m *Map[K, V]) Load(k K) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[k]
	return v, ok
}

// Store sets the value for k.
func (m *Map[K, V]) Store(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[K]V{}
	}
	m.m[k] = v
}

// Delete forgets k.
func (m *Map[K, V]) Delete(k K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, k)
}
