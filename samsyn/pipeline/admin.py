from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samsyn.pipeline.models import Idea, IdeaParty, IdeaTransition, Measure, MeasureTransition, Need


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["title", "forbund", "identified_on", "is_finsam_target_group"]
    list_filter = ["forbund"]
    search_fields = ["title", "target_group"]


class IdeaPartyInline(admin.TabularInline):
    model = IdeaParty
    extra = 0


class IdeaTransitionInline(admin.TabularInline):
    model = IdeaTransition
    extra = 0
    readonly_fields = ["from_step", "to_step", "by", "at", "forum", "basis_date", "note"]
    can_delete = False


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "step", "owner"]
    list_filter = ["step"]
    search_fields = ["title"]
    inlines = [IdeaPartyInline, IdeaTransitionInline]
    # Steps move only through the verbs, so rules R1–R7 cannot be bypassed here.
    readonly_fields = ["step"]


class MeasureTransitionInline(admin.TabularInline):
    model = MeasureTransition
    extra = 0
    readonly_fields = ["from_step", "to_step", "by", "at", "forum", "basis_date", "note"]
    can_delete = False


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "step"]
    list_filter = ["step"]
    inlines = [MeasureTransitionInline]
    readonly_fields = ["step"]
