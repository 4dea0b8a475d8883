"""URLs of the Anticipe site."""

from django.contrib import admin
from django.urls import include, path

from anticipe.workshop.views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *accounts.urlpatterns,
    path("", include("anticipe.workshop.urls")),
]
