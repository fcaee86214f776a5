"""Privacy hints: find likely personal data in a learner's text before it is shared.

Everything runs on our own server (no outside service) and nothing is stored or
logged: the text is checked in memory and the findings are shown to its author only.
`detector` holds the rules (pure functions); `hints` turns findings into messages.
"""
from .detector import KINDS, Finding, find_all, find_in_fields

__all__ = ["KINDS", "Finding", "find_all", "find_in_fields"]
