"""All models, imported here so Alembic and the app see the whole schema."""
from .api import ApiToken
from .audit import AuditAction, AuditEvent
from .authoring import CourseDraft, CourseVersion, DraftFile, VersionFile, VersionSource
from .badges import BadgeAssertion, BadgeClass, Certificate
from .base import new_public_id, utcnow
from .content import Course, CourseModule
from .discussion import (
    DiscussionFollow,
    DiscussionPost,
    DiscussionRead,
    DiscussionReport,
    DiscussionSetting,
    DiscussionThread,
    MailMode,
)
from .followup import CheckinStage, FollowupCheckin, FollowupOptOut
from .mail import MailStatus, OutboxAttachment, OutboxMail
from .org import (
    Cohort,
    CohortTrainer,
    CourseTrainer,
    InCompanyRequest,
    Invitation,
    InviteLink,
    RequestStatus,
    UploadBatch,
)
from .overrides import Override, OverrideKind
from .peer import PeerConsent, PeerPreference, PeerReview, PeerReviewStatus, PeerSetting
from .progress import Enrolment, EventKind, ModuleProgress, ProgressEvent, QuizAttempt
from .review import (
    FeedbackSnippet,
    Review,
    ReviewDecision,
    ReviewScore,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from .sessions import (
    Attendance,
    CalendarFeed,
    LiveSession,
    RegistrationStatus,
    SessionPart,
    SessionRegistration,
    SessionStatus,
    SessionTrainer,
)
from .sso import OrganisationSSO, SSOIdentity
from .staff import CourseAuthor
from .stash import FormStash
from .summary import ProgressSummary
from .teamplan import TeamPlan, TeamPlanConsent, TeamPlanEntry, TeamPlanStatus
from .users import Membership, MembershipRole, Organisation, Role, SeatLicence, User
from .worker import ScheduledRun
from .xapi import XapiStatement, XapiStatus

__all__ = [
    "BadgeAssertion", "BadgeClass", "Certificate", "Course", "CourseModule", "MailStatus",
    "OutboxMail", "Cohort", "CohortTrainer", "CourseTrainer", "InCompanyRequest", "Invitation",
    "InviteLink", "RequestStatus", "UploadBatch", "Enrolment", "EventKind", "ModuleProgress",
    "ProgressEvent", "QuizAttempt", "FeedbackSnippet", "Review", "ReviewDecision", "ReviewScore",
    "Submission", "SubmissionStatus", "SubmissionVersion", "Membership", "MembershipRole",
    "Organisation", "Role", "SeatLicence", "User", "FormStash", "new_public_id", "utcnow",
    "CourseAuthor", "ApiToken",
    "AuditAction", "AuditEvent",
    "ScheduledRun",
    "Override", "OverrideKind",
    "XapiStatement", "XapiStatus",
    "OrganisationSSO", "SSOIdentity",
    "TeamPlan", "TeamPlanConsent", "TeamPlanEntry", "TeamPlanStatus",
    "CheckinStage", "FollowupCheckin", "FollowupOptOut",
    "Attendance", "CalendarFeed", "LiveSession", "RegistrationStatus", "SessionPart",
    "SessionRegistration", "SessionStatus", "SessionTrainer", "OutboxAttachment",
    "PeerConsent", "PeerPreference", "PeerReview", "PeerReviewStatus", "PeerSetting",
    "DiscussionFollow", "DiscussionPost", "DiscussionRead", "DiscussionReport", "DiscussionSetting",
    "DiscussionThread", "MailMode",
    "CourseDraft", "CourseVersion", "DraftFile", "VersionFile", "VersionSource",
    "ProgressSummary",
]
