"""Publishing a store for people to read: a footnoted brief, and a static website."""
