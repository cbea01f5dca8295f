from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from samsyn.parties.models import ApiToken, Forbund, ForbundRole, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "nuts2_name"]
    list_filter = ["kind", "nuts2_name"]
    search_fields = ["name", "code"]


class ForbundRoleInline(admin.TabularInline):
    model = ForbundRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Forbund)
class ForbundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__"]
    search_fields = ["organisation__name"]
    filter_horizontal = ["members"]
    inlines = [ForbundRoleInline]


@admin.register(User)
class SamsynUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Samsyn", {"fields": ["organisation"]})]
    list_display = ["username", "first_name", "last_name", "organisation", "is_staff"]
    list_filter = [*UserAdmin.list_filter, "organisation__kind"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    readonly_fields = ["user", "digest", "created_at"]
