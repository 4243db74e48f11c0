"""File formats: one row reader (rows.py) under vote files and FastChat battle data; snapshot
exports."""
