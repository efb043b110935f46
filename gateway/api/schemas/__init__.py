"""Pydantic request and response models of the API (shared with the command line where the JSON
is the same, e.g. `orders create`)."""
