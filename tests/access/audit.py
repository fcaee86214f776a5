"""The audit log (platform admins only) and the public statements (everyone)."""
from . import Row, everyone, only

ROWS = [
    Row("audit.audit_log", lambda w: "/beheer/logboek", only("admin")),
    Row("audit.audit_log", lambda w: "/beheer/logboek?action=account.erased&date_from=2026-01-01&page=2",
        only("admin"), id="GET audit.audit_log filtered"),
    Row("pages.privacy", lambda w: "/privacy", everyone()),
    Row("pages.accessibility", lambda w: "/toegankelijkheid", everyone()),
]
