from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samsyn.calls.models import (
    Application,
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

for model in (ProgrammePeriod, ProgrammeArea, ThematicArea, RegionalPlan, DefaultPrinciple):
    admin.site.register(model)


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


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["idea", "call", "status", "eu_share_sek", "granted_sek"]
    list_filter = ["status", "call"]
    inlines = [BudgetLineInline, CofinancingInline]


admin.site.register(JavDeclaration, SimpleHistoryAdmin)
admin.site.register(Score, SimpleHistoryAdmin)
