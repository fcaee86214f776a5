"""The audit log (platform admins only) and the public statements (everyone)."""
from . import Row, everyone, only

ROWS = [
    Row("audit.audit_log", lambda w: "/beheer/logboek", only("admin")),
    Row("pages.privacy", lambda w: "/privacy", everyone()),
    Row("pages.accessibility", lambda w: "/toegankelijkheid", everyone()),
]
