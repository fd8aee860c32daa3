"""The inference role: the agents that micro-batch the model work (recommendations, review scoring), and the plumbing every model service shares
(a model thread off the event loop, hot reload from the model registry)."""
