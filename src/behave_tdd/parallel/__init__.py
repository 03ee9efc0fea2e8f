"""`behave-tdd parallel`: behave in long-lived worker processes, with merged reports.

options   -- which behave options pass through to the workers, which the runner owns
plan      -- the work units (features or scenarios) and their order
shards    -- what a --shard runs, and which scenarios it reports (each once)
worker    -- a worker process: imports behave once, runs one unit at a time in-process
scheduler -- hands units to idle workers; catches crashed and hung workers
reports   -- merges the units' JUnit and JSON, and prints behave's summary lines
"""
