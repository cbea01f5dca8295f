from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samsyn.calls.models import (
    Application,
    ApplicationEvent,
    BudgetLine,
    Call,
    CallsRole,
    Cofinancing,
    DefaultPrinciple,
    JavDeclaration,
    Principle,
    ProgrammeArea,
    ProgrammePeriod,
    RegionalPlan,
    Score,
    ThematicArea,
)

for model in (ProgrammePeriod, ProgrammeArea, ThematicArea):
    admin.site.register(model)


class PlanPrincipleInline(admin.TabularInline):
    model = DefaultPrinciple
    extra = 0
    fields = ["code", "name", "description", "weight", "order"]


@admin.register(RegionalPlan)
class RegionalPlanAdmin(admin.ModelAdmin):
    list_display = ["nuts2_code", "name", "title"]
    inlines = [PlanPrincipleInline]


@admin.register(DefaultPrinciple)
class PlanPrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["regional_plan", "code", "name", "weight"]
    list_filter = ["regional_plan"]


@admin.register(CallsRole)
class CallsRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "regional_plan"]
    list_filter = ["role", "regional_plan"]


class PrincipleInline(admin.TabularInline):
    model = Principle
    extra = 0


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["title", "programme_area", "regional_plan", "opens_on", "closes_on", "phase"]
    list_filter = ["programme_area", "regional_plan", "phase"]
    search_fields = ["title"]
    inlines = [PrincipleInline]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class CofinancingInline(admin.TabularInline):
    model = Cofinancing
    extra = 0


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["move", "from_status", "to_status", "by", "at", "decided_on", "reference"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["idea", "call", "status", "eu_share_sek", "granted_sek"]
    list_filter = ["status", "call"]
    # Status moves only through the verbs (samsyn/calls/services.py), which write the events.
    readonly_fields = ["status", "submitted_on", "decided_on", "granted_sek"]
    inlines = [BudgetLineInline, CofinancingInline, ApplicationEventInline]


admin.site.register(JavDeclaration, SimpleHistoryAdmin)
admin.site.register(Score, SimpleHistoryAdmin)
