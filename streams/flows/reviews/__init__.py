"""The review-intelligence flow: scoring requests, the review scorer, sentiment summaries, aspect alerts and demotion."""
