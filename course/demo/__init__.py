"""Demo data for `make run`: accounts, a course in progress, reviews, teams, badges."""
