"""Each area of the app lists its own paths next to its views."""

from kyodo.publications.views import annual, ledger, newsletter

app_name = "publications"

urlpatterns = [*annual.urlpatterns, *newsletter.urlpatterns, *ledger.urlpatterns]
