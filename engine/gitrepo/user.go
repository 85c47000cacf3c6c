package gitrepo

import "github.com/go-git/go-git/v5/config"

// UserEmail returns git's user.email for this repository: the repository's
// own setting, else the user's global one; "" when neither is set.
func (r *Repo) UserEmail() string {
	cfg, err := r.repo.ConfigScoped(config.GlobalScope)
	if err != nil {
		return ""
	}
	return cfg.User.Email
}
