"""The review area's read side: `queue` (the review queue and one review page) and
`progress` (the progress matrix, learner detail, grades and quiz analysis)."""
