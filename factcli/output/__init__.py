"""Output: escaping, answers as documents, machine formats, the command schemas, and terminal views."""
