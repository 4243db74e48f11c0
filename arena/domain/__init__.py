"""The domain: battles, verdicts, reasons, pairing, categories, text rules and store times. Plain
Python, no I/O."""
