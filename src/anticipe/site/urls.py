"""URLs of the Anticipe site."""

from django.contrib import admin
from django.urls import include, path

from anticipe.workshop.forms.accounts import ThrottledAdminAuthenticationForm
from anticipe.workshop.views import accounts

# The admin's sign-in is slowed down like the site's (the same counts).
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *accounts.urlpatterns,
    path("", include("anticipe.workshop.urls")),
]
