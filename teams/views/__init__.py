"""HTML pages of the teams app, one module per subject. Reads start from the selectors (`visible_to`):
another region's object is a 404; writes are for secretariats managing the object's team (else 403)
and go through services, mostly as `konflik.web.ServiceFormView` pages."""

from .calendar import CalendarFeedSettingsView, CalendarView, calendar_feed
from .followups import FollowUpCreateView, FollowUpDetailView, FollowUpListView
from .institutions import InstitutionFormView, InstitutionListView
from .meetings import (
    AttachmentDeleteView,
    AttachmentDownloadView,
    MeetingAttendanceView,
    MeetingCancelView,
    MeetingCreateView,
    MeetingDetailView,
    MeetingIcsView,
    MeetingListView,
    MeetingMinutesView,
    MeetingStatusView,
    MeetingUpdateView,
)
from .members import MemberCreateView, MemberDeleteView, MemberListView, MemberUpdateView
from .teams import (
    DecreeCreateView,
    MemberImportView,
    TeamCreateView,
    TeamDetailView,
    TeamListView,
    TeamUpdateView,
)

__all__ = [
    "AttachmentDeleteView",
    "AttachmentDownloadView",
    "CalendarFeedSettingsView",
    "CalendarView",
    "DecreeCreateView",
    "FollowUpCreateView",
    "FollowUpDetailView",
    "FollowUpListView",
    "InstitutionFormView",
    "InstitutionListView",
    "MeetingAttendanceView",
    "MeetingCancelView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingIcsView",
    "MeetingListView",
    "MeetingMinutesView",
    "MeetingStatusView",
    "MeetingUpdateView",
    "MemberCreateView",
    "MemberDeleteView",
    "MemberImportView",
    "MemberListView",
    "MemberUpdateView",
    "TeamCreateView",
    "TeamDetailView",
    "TeamListView",
    "TeamUpdateView",
    "calendar_feed",
]
