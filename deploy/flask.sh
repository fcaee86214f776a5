#!/bin/sh
# Run a flask command as the services do: with the env file, the venv and the app folder.
#   sudo -u leerlijn /srv/leerlijn/deploy/flask.sh db upgrade
set -eu
set -a
. "${LEERLIJN_ENV_FILE:-/etc/leerlijn/leerlijn.env}"
set +a
cd "$(dirname "$0")/.."
exec .venv/bin/flask --app app "$@"
