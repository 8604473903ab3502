from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("consultations/<slug:slug>/report/", views.report, name="report"),
    path("consultations/<slug:slug>/report/edit/", views.edit, name="edit"),
    path("consultations/<slug:slug>/report.<str:fmt>", views.download, name="download"),
]
