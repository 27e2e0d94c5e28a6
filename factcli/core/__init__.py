"""The core: errors, dates, text folding, the kinds of fact, the records a store holds, and validation."""
