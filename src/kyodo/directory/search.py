"""Organisations as the site search finds them (kind ``organisation``).

Every organisation's page is public (``directory.view_organisation``). The document holds
what that page says about the organisation itself: name, reading, kind, district, address
and introduction. It leaves out the people (their names, e-mail addresses and telephone
numbers are personal data, shown on the page only as chosen contacts) and the telephone,
fax and e-mail of the organisation, which for a small association is often a person's own."""

from __future__ import annotations

from django.db.models import QuerySet

from kyodo.core.models import SearchAudience
from kyodo.core.search.registry import Document, Source, register
from kyodo.directory.models import Organisation
from kyodo.directory.queries import municipality_of

KIND = "organisation"


def queryset() -> QuerySet[Organisation]:
    # Deep enough for municipality_of from a neighbourhood association or an NPO under a
    # community council.
    return Organisation.objects.select_related("parent__parent__parent")


def build(organisation: Organisation) -> Document | None:
    kind = organisation.get_kind_display()
    if organisation.municipality_type:
        kind += f"({organisation.get_municipality_type_display()})"
    address = " ".join(
        part
        for part in (
            f"〒{organisation.postal_code}" if organisation.postal_code else "",
            organisation.address,
        )
        if part
    )
    lines = [organisation.kana, kind, organisation.district, address, organisation.description]
    municipality = municipality_of(organisation)
    return Document(
        title=organisation.name,
        body="\n".join(line for line in lines if line),
        url=organisation.get_absolute_url(),
        audience=SearchAudience.PUBLIC,
        network_id=None,
        municipality_id=municipality.pk if municipality else None,
        fiscal_year=None,
        date=None,
    )


register(Source(kind=KIND, label="団体", order=70, queryset=queryset, build=build))
