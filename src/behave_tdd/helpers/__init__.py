"""What step code calls: isolation helpers that undo themselves through
`context.add_cleanup`, templates, races, fault injection, property checks and the
pollution probes. Helpers use only the core."""
