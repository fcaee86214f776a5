"""The review area's read side, one module per topic:
- `queue`: the review queue and one review page;
- `scope`: what a progress page covers (a cohort or a course) and the trainer's index of them;
- `matrix`: the learners × modules matrix and its CSV;
- `grades`: the grades table and its CSV;
- `quiz_analysis`: the quiz item analysis;
- `learner`: one learner's detail page;
- `waiting`: the waiting-for-review numbers behind the chart."""
