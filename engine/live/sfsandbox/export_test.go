package sfsandbox

// FailNextSave makes the next state write fail with err before the rename.
func FailNextSave(s *Sandbox, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.file.BeforeRename = func(string) error {
		s.file.BeforeRename = nil
		return err
	}
}
