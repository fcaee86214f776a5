"""The organisation area's read side (progress only: never texts or answers): `landing`
(the landing page's groups), `invitations` (invitation and link lists) and `team`
(team status and progress, the reminders' filter, the CSV)."""
