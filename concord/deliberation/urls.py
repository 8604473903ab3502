from django.urls import path

from . import views

app_name = "deliberation"
urlpatterns = [
    path("consultations/<slug:slug>/statements/", views.results, name="results"),
    path("consultations/<slug:slug>/statements/live.json", views.live, name="live"),
    path("consultations/<slug:slug>/statements/stream/", views.stream, name="stream"),
    path("consultations/<slug:slug>/vote/", views.vote, name="vote"),
    path("consultations/<slug:slug>/vote/<str:token>/", views.vote_with_key, name="vote-key"),
]
