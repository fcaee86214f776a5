"""Runs ralph-malph's LRS (run with the .lrs-venv python, not ours): `python tests/lrs_server.py PORT`.

Ralph's filesystem backend writes each request with its default "create" operation,
which refuses to add to an existing file: only the first statement would ever be
stored. Appending is the one setting changed; the API, validation, duplicate checks
and storage are ralph's own."""
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
