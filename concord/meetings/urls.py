from django.urls import include, path

from . import views

app_name = "meetings"
urlpatterns = [
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/display/", views.display, name="display"),
    path("meetings/<int:pk>/live.json", views.live, name="live"),
    path("meetings/<int:pk>/live/", views.live_stream, name="live-stream"),
    path("meetings/<int:pk>/floor/<str:token>/", views.participant_floor, name="floor"),
    path("meetings/<int:pk>/chair/", views.chair, name="chair"),
    path("meetings/<int:pk>/record/", views.record, name="record"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("consultations/<slug:slug>/outreach.json", views.outreach_json, name="outreach"),
    # The invitations' personal links (stakeholders app) ride along with this one include.
    path("", include("concord.stakeholders.urls")),
]
