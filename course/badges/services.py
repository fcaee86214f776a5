"""Badge issuing. Called by the learner's completion service inside its unit of work."""


def on_module_completed(enrolment, module):
    """Issue the module's badge (exactly once). Never commits."""
    return None


def on_course_completed(enrolment):
    """Issue the course badge and the certificate (exactly once). Never commits."""
    return None
