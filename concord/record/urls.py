from django.urls import path

from . import views

app_name = "record"
urlpatterns = [
    path("", views.home, name="home"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation"),
    path("consultations/<slug:slug>/table.<str:fmt>", views.consultation_table, name="table"),
    path("consultations/<slug:slug>/record/", views.record_list, name="record"),
    path("consultations/<slug:slug>/search/", views.search_view, name="search"),
    path("consultations/<slug:slug>/data/", views.data_page, name="data"),
    path("consultations/<slug:slug>/data/metadata.json", views.data_metadata, name="data-metadata"),
    path("consultations/<slug:slug>/data/contributions.<str:fmt>", views.data_download, name="data-download"),
    path("consultations/<slug:slug>/record/<str:receipt>/", views.contribution_detail, name="contribution"),
]
