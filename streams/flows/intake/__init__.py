"""How every agent reads its input: validation, dead letters, table writes."""
