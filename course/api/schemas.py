"""The response shapes, as marshmallow schemas: the views serialise with them and the
OpenAPI document is generated from them, so the two cannot drift apart."""
from marshmallow import Schema, fields

OPTIONAL = {"allow_none": True, "required": True}


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "A stable code, e.g. `invalid_token`."})
    message = fields.String(required=True, metadata={"description": "Explanation in the client's language."})
    status = fields.Integer(required=True)


class CourseRefSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)


class OrganisationSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True, metadata={"description": "The scopes of this token."})


class MemberSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Stable id of the person."})
    name = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": ["member", "admin"]})
    member_since = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class CohortSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    course = fields.Nested(CourseRefSchema, required=True)
    starts_on = fields.Date(**OPTIONAL)
    target_on = fields.Date(**OPTIONAL)
    learners = fields.Integer(required=True, metadata={"description": "Enrolments in this group."})
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class LearnerRefSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(**OPTIONAL, metadata={"description": "null once the person erased their account."})
    email = fields.String(**OPTIONAL)
    erased = fields.Boolean(required=True)


class ModuleProgressSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    position = fields.Integer(required=True)
    read = fields.Boolean(required=True)
    quiz_passed = fields.Boolean(required=True)
    assignment = fields.String(required=True, metadata={
        "enum": ["none", "draft", "submitted", "revision_requested", "approved"],
        "description": "The state of the assignment; never its text."})
    completed_at = fields.DateTime(**OPTIONAL)


class BadgeSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    module = fields.String(**OPTIONAL, metadata={"description": "Module slug; null for the course badge."})
    issued_at = fields.DateTime(required=True)
    verify_url = fields.String(required=True)


class CertificateSchema(Schema):
    id = fields.String(required=True)
    issued_at = fields.DateTime(required=True)
    verify_url = fields.String(required=True)


class AttendedSessionSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Id of the live session."})
    title = fields.String(required=True)
    attendance = fields.String(required=True, metadata={
        "enum": ["present", "partial", "absent"],
        "description": "As the trainer marked it: present, present for part of the time, or absent."})
    attended_minutes = fields.Integer(required=True, metadata={
        "description": "Net contact time attended: the session's parts for present, the trainer's entry for "
                       "partial, 0 for absent."})
    starts_at = fields.DateTime(**OPTIONAL)
    ends_at = fields.DateTime(**OPTIONAL)
    dates = fields.List(fields.Date(), required=True, metadata={"description": "Local dates of the parts."})
    marked_at = fields.DateTime(**OPTIONAL)


class AttendanceSchema(Schema):
    required_sessions = fields.Integer(required=True, metadata={
        "description": "Sessions the course requires before completion (0: none)."})
    required_hours = fields.Integer(required=True, metadata={
        "description": "Contact hours the course requires before completion (0: none)."})
    requirement_met = fields.Boolean(required=True)
    sessions_attended = fields.Integer(required=True)
    attended_minutes = fields.Integer(required=True)
    sessions = fields.List(fields.Nested(AttendedSessionSchema), required=True, metadata={
        "description": "The live sessions of this course with a mark, oldest first."})


class EnrolmentSchema(Schema):
    id = fields.String(required=True)
    learner = fields.Nested(LearnerRefSchema, required=True)
    cohort = fields.String(required=True, metadata={"description": "Id of the group."})
    course = fields.Nested(CourseRefSchema, required=True)
    enrolled_at = fields.DateTime(required=True)
    started_at = fields.DateTime(**OPTIONAL)
    last_activity_at = fields.DateTime(**OPTIONAL)
    completed_at = fields.DateTime(**OPTIONAL, metadata={"description": "When the whole course was completed."})
    modules_completed = fields.Integer(required=True)
    modules_total = fields.Integer(required=True)
    waiting_on_trainer = fields.Boolean(required=True)
    modules = fields.List(fields.Nested(ModuleProgressSchema), required=True)
    badges = fields.List(fields.Nested(BadgeSchema), required=True)
    certificate = fields.Nested(CertificateSchema, **OPTIONAL)
    attendance = fields.Nested(AttendanceSchema, required=True, metadata={
        "description": "Live sessions attended (dates and hours; issue 13)."})
    updated_at = fields.DateTime(required=True)


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    return Schema.from_dict({
        "data": fields.List(fields.Nested(item), required=True),
        "next_cursor": fields.String(**OPTIONAL, metadata={
            "description": "Pass as `cursor` for the next page; null on the last page."}),
    }, name=name)


MemberPageSchema = page_schema("MemberPage", MemberSchema)
CohortPageSchema = page_schema("CohortPage", CohortSchema)
EnrolmentPageSchema = page_schema("EnrolmentPage", EnrolmentSchema)
