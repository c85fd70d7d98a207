"""Imports every model so the metadata (and Alembic) sees all tables."""

from app.attendance.models import AttendanceRecord, Guest
from app.audit.models import AuditEntry
from app.auth.models import LoginAttempt, User
from app.criticism.models import Commitment, CommitmentReview, CriticismNote, NoteRevision
from app.meetings.models import AgendaItem, AgendaTemplateItem, Document, Meeting, Notification, ThematicTopic
from app.minutes.models import Erratum, Minutes, MinutesItem, MinutesRevision, Speaker, Task
from app.org.models import (
    AwayPeriod,
    Exemption,
    Member,
    Membership,
    OrgUnit,
    Position,
    RoleAssignment,
)
from app.proposals.models import Proposal
from app.records.models import DocumentNumber, DocumentVersion
from app.resolutions.models import Resolution
from app.scoring.models import MeetingGrade, ScoreCriterion, ScoreEntry, ScoreSheet, ScoreTemplate
from app.self_examination.models import DegradationSign, SelfExamination, SelfReview
from app.supervision.models import DelegateAttendance, ScheduleSeen, SupervisionAssignment, VisitQuota
from app.web.once import FormToken
from app.year_review.models import YearReview

__all__ = [
    "AgendaItem",
    "AgendaTemplateItem",
    "AttendanceRecord",
    "AuditEntry",
    "AwayPeriod",
    "Document",
    "DocumentNumber",
    "DocumentVersion",
    "Erratum",
    "Exemption",
    "FormToken",
    "Guest",
    "LoginAttempt",
    "Meeting",
    "Member",
    "Membership",
    "Minutes",
    "MinutesItem",
    "MinutesRevision",
    "Notification",
    "OrgUnit",
    "Position",
    "Resolution",
    "RoleAssignment",
    "Speaker",
    "Task",
    "ThematicTopic",
    "User",
    "DelegateAttendance",
    "ScheduleSeen",
    "SupervisionAssignment",
    "VisitQuota",
    "MeetingGrade",
    "ScoreCriterion",
    "ScoreEntry",
    "ScoreSheet",
    "ScoreTemplate",
    "Proposal",
    "Commitment",
    "CommitmentReview",
    "CriticismNote",
    "NoteRevision",
    "DegradationSign",
    "SelfExamination",
    "SelfReview",
    "YearReview",
]
