"""Privacy (AVG): erasure that reaches every table (`erasure`), the learner's data
export (`export`, `routes`) and retention terms (`retention`, `flask privacy purge`).
The account area calls `erasure.erase_user`; the worker or cron calls `retention.purge`."""
