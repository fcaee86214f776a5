"""The learner's data download: every logged-in person gets only their own."""
from . import Row, logged_in

ROWS = [
    Row("privacy.download_my_data", lambda w: "/mijn-account/mijn-gegevens.zip", logged_in()),
]
