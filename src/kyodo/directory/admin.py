from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpRequest

from kyodo.directory import services
from kyodo.directory.models import (
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Person,
    User,
)
from kyodo.directory.queries import descendant_ids


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    ordering = ("email",)
    list_display = ("email", "name", "is_active", "is_superuser")
    search_fields = ("email", "name")
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        ("権限", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "name", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    """The site administrator's escape hatch. Edits here bypass the services' checks, so
    the search index is told afterwards (the organisation and everything under it)."""

    list_display = ("name", "kind", "lgcode", "regional_office")
    list_filter = ("kind", "regional_office")
    search_fields = ("name", "kana", "lgcode")

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.organisation_reindex(organisation_ids=descendant_ids(obj))

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        with transaction.atomic():
            reached = descendant_ids(obj)
            super().delete_model(request, obj)
            services.organisation_reindex(organisation_ids=reached)


class MembershipInline(admin.TabularInline[Membership, Person]):
    model = Membership
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("full_name", "email")
    search_fields = ("family_name", "given_name", "family_kana", "email")
    inlines = (MembershipInline,)


class NetworkMembershipInline(admin.TabularInline[NetworkMembership, Network]):
    model = NetworkMembership
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin[Network]):
    list_display = ("name", "founded_on", "secretariat")
    inlines = (NetworkMembershipInline,)
