"""Signing in (facilitators, observers), with a limit on failed attempts."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.urls import path

from anticipe.workshop.forms.accounts import ThrottledAuthenticationForm
from anticipe.workshop.models import LoginAttempt


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        LoginAttempt.objects.filter(username=form.get_user().get_username().lower()).delete()
        return super().form_valid(form)


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
