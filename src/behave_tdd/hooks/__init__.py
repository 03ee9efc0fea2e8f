"""What runs inside behave: the hooks' runtime, the verdict's interception of a
scenario's run, the pollution guard, the console notes and the check that the hooks are
active. `behave_tdd.environment` wires them to behave."""
