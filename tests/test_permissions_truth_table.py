"""The scope rule of issue 17 as a truth table: pure, no HTTP, no database.

Columns: cohort trainer (appointed to the learner's cohort), course trainer
(appointed to the course), in cohort (the enrolment belongs to an in-company
cohort; otherwise self-enrolled), course trainers see cohorts (the course's
setting) → does this trainer review the learner?
"""
import itertools

import pytest

from course.permissions import ReviewFacts, reviews_learner

# (cohort_trainer, course_trainer, in_cohort, course_trainers_see_cohorts): reviews
TRAINER_TABLE = {
    # self-enrolled learners: only course trainers, whatever the setting
    (False, False, False, False): False,
    (False, False, False, True): False,
    (False, True, False, False): True,
    (False, True, False, True): True,
    (True, False, False, False): False,  # a cohort trainer has no say over self-enrolled learners
    (True, False, False, True): False,
    (True, True, False, False): True,
    (True, True, False, True): True,
    # cohort learners: the cohort's trainers; course trainers only when the course says so
    (False, False, True, False): False,
    (False, False, True, True): False,
    (False, True, True, False): False,  # the default: an organisation's team is not the course trainer's
    (False, True, True, True): True,
    (True, False, True, False): True,
    (True, False, True, True): True,
    (True, True, True, False): True,
    (True, True, True, True): True,
}


def facts(row, **extra) -> ReviewFacts:
    cohort_trainer, course_trainer, in_cohort, sees = row
    return ReviewFacts(cohort_trainer=cohort_trainer, course_trainer=course_trainer, in_cohort=in_cohort,
                       course_trainers_see_cohorts=sees, **extra)


def test_the_table_lists_every_combination():
    assert set(TRAINER_TABLE) == set(itertools.product([False, True], repeat=4))


@pytest.mark.parametrize("row", sorted(TRAINER_TABLE), ids=str)
def test_a_trainer_reviews_as_the_table_says(row):
    assert reviews_learner(facts(row, trainer_role=True)) is TRAINER_TABLE[row]


@pytest.mark.parametrize("row", sorted(TRAINER_TABLE), ids=str)
def test_without_the_trainer_role_an_appointment_gives_nothing(row):
    """A demoted or learner account keeps no scope through a stale appointment."""
    assert reviews_learner(facts(row, trainer_role=False)) is False


@pytest.mark.parametrize("row", sorted(TRAINER_TABLE), ids=str)
def test_platform_admins_review_everyone(row):
    assert reviews_learner(facts(row, platform_admin=True)) is True


def test_the_setting_is_off_by_default():
    assert ReviewFacts().course_trainers_see_cohorts is False
    assert reviews_learner(ReviewFacts(trainer_role=True, course_trainer=True, in_cohort=True)) is False
