from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("consultations/<slug:slug>/contribute/", views.submit, name="submit"),
    path("consultations/<slug:slug>/my-contribution/<str:receipt>/<str:token>/", views.manage, name="manage"),
    path("consultations/<slug:slug>/record/<str:receipt>/files/<int:attachment_id>/", views.download, name="download"),
]
