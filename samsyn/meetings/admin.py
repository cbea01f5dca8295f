from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samsyn.meetings.models import (
    AgendaItem,
    Attendee,
    Event,
    GovernmentAssignment,
    Meeting,
    Network,
    NewsItem,
)


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    filter_horizontal = ["members", "coordinators"]


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["need", "idea", "measure"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "forbund", "network", "approved_at"]
    list_filter = ["kind"]
    inlines = [AttendeeInline, AgendaItemInline]


@admin.register(NewsItem)
class NewsItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "source", "published_on", "network"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "starts_at", "network"]


@admin.register(GovernmentAssignment)
class GovernmentAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "assigned_agency", "reporting_deadline", "status"]
