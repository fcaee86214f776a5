"""`make bench`: the measurement that stays (issue 16).

data.py builds the data set by bulk inserts, serve.py runs gunicorn as the README
documents (and the framework-ceiling app beside it), load.py drives wrk (or a small
threaded Python client when wrk is absent), report.py writes bench/results/.
Timings are never pass/fail: the query budgets are tests elsewhere.
"""
