from django.urls import path, re_path

from .views import RegionDetailView, RegionListView

app_name = "regions"
urlpatterns = [
    path("", RegionListView.as_view(), name="list"),
    # a Kemendagri code (`61.71.01`), as the API's lookup; anything else is 404, not a database error
    re_path(r"^(?P<code>[0-9.]{1,13})/$", RegionDetailView.as_view(), name="detail"),
]
