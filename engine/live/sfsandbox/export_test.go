package sfsandbox

// FailNextSave makes the next state write fail with err before the rename.
func FailNextSave(s *Sandbox, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeRename = func(string) error {
		s.beforeRename = nil
		return err
	}
}
