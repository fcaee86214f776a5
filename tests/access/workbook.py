"""The learner's workbook: the learner and their trainers, nobody else (404)."""
from . import Row, only

ROWS = [
    Row("workbook.my_workbook", lambda w: f"/mijn-werkboek/{w.course.slug}",
        only("learner", "other_learner", denied=404), note="each learner opens their own"),
    Row("workbook.view_workbook", lambda w: f"/werkboek/{w.enrolment.public_id}",
        only("learner", "trainer", "admin", denied=404)),
    Row("workbook.download_pdf", lambda w: f"/werkboek/{w.enrolment.public_id}/werkboek.pdf",
        only("learner", "trainer", "admin", denied=404)),
    Row("workbook.download_markdown", lambda w: f"/werkboek/{w.enrolment.public_id}/werkboek.md",
        only("learner", "trainer", "admin", denied=404)),
]
