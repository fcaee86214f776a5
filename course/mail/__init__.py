"""Mail through an outbox: queue in the action's transaction, deliver later."""
from .outbox import queue_mail

__all__ = ["queue_mail"]
