from django.urls import path

from . import views

app_name = "positions"
urlpatterns = [
    path("consultations/<slug:slug>/positions/<slug:position>/", views.position_evidence, name="evidence"),
    path("consultations/<slug:slug>/data/stances.<str:fmt>", views.stances_download, name="data-stances"),
]
