"""The learner area's read side, each with a fixed number of queries: `progress` (the
course and module states behind Mijn leren and the course pages), `feedback` (the
trainer's reviews and quiz verdicts on a module), `news` ("Nieuw voor jou") and
`rewards` (the finished course and the trophy shelf)."""
