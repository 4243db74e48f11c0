"""The domain: battles, pairing, categories, text rules. Plain Python, no I/O."""
