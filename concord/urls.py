from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from concord.api.api import api
from concord.core import views as core_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", include("concord.record.urls")),
    path("", include("concord.contributions.urls")),
    path("", include("concord.meetings.urls")),
    path("", include("concord.positions.urls")),
    path("", include("concord.deliberation.urls")),
    path("", include("concord.reports.urls")),
)
