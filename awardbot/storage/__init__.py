"""Adapters to where files live: the evidence store (content-addressed) and the checks a
file passes before it is kept. Beside the workflow, not part of it."""
