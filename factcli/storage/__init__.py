"""Storage: the JSON store of record on disk, the derived index for large stores, and one interface to both."""
