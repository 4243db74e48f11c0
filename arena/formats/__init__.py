"""File formats: vote files, FastChat battle data, snapshot exports."""
