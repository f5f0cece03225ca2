from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kyodo.core.permissions import requires, requires_object
from kyodo.directory import queries, services
from kyodo.directory.forms import OrganisationDetailsForm, OrganisationForm
from kyodo.directory.models import Network, Organisation


@requires_object("directory.view_network", load=queries.network_by_slug)
def network_detail(request: HttpRequest, network: Network) -> HttpResponse:
    groups = queries.network_member_groups(network)
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "member_count": sum(len(group.members) for group in groups),
            "municipality_count": sum(
                len(group.members) for group in groups if group.office is not None
            ),
            "page_owner": network.secretariat,
            "page_updated": network.updated_at,
            "page_title": network.name,
        },
    )


@requires_object("directory.view_network", load=queries.network_by_slug)
def network_members(request: HttpRequest, network: Network) -> HttpResponse:
    return render(
        request,
        "directory/network_members.html",
        {
            "network": network,
            "groups": queries.network_member_groups(network),
            "page_owner": network.secretariat,
            "page_updated": network.updated_at,
            "page_title": f"{network.name} 会員一覧",
        },
    )


@requires_object("directory.view_organisation", load=queries.organisation_by_pk)
def organisation_detail(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    can_edit = request.user.has_perm("directory.change_organisation", organisation)
    with_people = request.user.has_perm("directory.view_organisation_people", organisation)
    context = queries.organisation_page(organisation, with_people=with_people)
    context.update(
        organisation=organisation,
        can_edit=can_edit,
        with_people=with_people,
        page_owner=organisation,
        page_updated=organisation.updated_at,
        page_title=organisation.name,
    )
    return render(request, "directory/organisation_detail.html", context)


@requires_object("directory.change_organisation", load=queries.organisation_by_pk)
def organisation_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    structure = request.user.has_perm("directory.change_organisation_structure", organisation)
    form_class = OrganisationForm if structure else OrganisationDetailsForm
    form = form_class(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation, actor=request.user, values=form.cleaned_data
        )
        messages.success(request, f"「{organisation.name}」の情報を保存しました。")
        return redirect(organisation)
    if form.errors:
        # The bound form wrote the refused values onto the instance; show the stored record.
        organisation = queries.organisation_by_pk(organisation.pk)
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@requires("directory.add_organisation")
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        messages.success(request, f"「{organisation.name}」を登録しました。")
        return redirect(organisation)
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "organisation": None},
        status=status,
    )
