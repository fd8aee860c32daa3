"""The inference role: one agent that micro-batches all model work, and the plumbing every model service shares
(a model thread off the event loop, hot reload from the model registry)."""
