"""Each area of the app lists its own paths next to its views."""

from kyodo.liaison.views import area, evaluation, home, recruitment, staff, workshops

app_name = "liaison"

urlpatterns = [
    *home.urlpatterns,
    *staff.urlpatterns,
    *area.urlpatterns,
    *evaluation.urlpatterns,
    *workshops.urlpatterns,
    *recruitment.urlpatterns,
]
