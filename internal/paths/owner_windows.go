package paths

import "io/fs"

// untrustedOwner judges nothing on Windows: gover's folders live in the
// user's own profile (or a root an administrator set up), protected by
// their ACLs, which the mode bits Go reports do not show.
func untrustedOwner(fs.FileInfo, bool) string { return "" }

func isNotDir(error) bool { return false }
