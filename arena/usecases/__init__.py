"""Use cases the service drives: gates before a vote counts, publishing snapshots, detection."""
