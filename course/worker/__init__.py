"""`flask worker`: one process that relays the mail outbox and runs the scheduled jobs."""
