package verify

// ModesKept is false on Windows: files have no permission bits beyond
// read-only, so the modes an archive gave them cannot be compared.
const ModesKept = false
