"""Learning records (xAPI) for a Learning Record Store.

`record_event` is called where progress events are written (course/learn/completion.py)
and adds statements to the `xapi_statement` outbox in the caller's transaction; the
worker (course/worker/queue.py) or `flask xapi send` delivers them (relay.py)."""
from .outbox import record_attendance, record_event

__all__ = ["record_attendance", "record_event"]
