"""What a run leaves behind: the ledger of captured bugs and the state tracer's files."""
