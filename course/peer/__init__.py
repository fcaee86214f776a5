"""Peer feedback (issue 14): colleagues of one cohort review each other's assignments.
The blueprint lives in routes.py (registered in course/__init__.py), so the learner's
path can use queries and services without importing the views."""
