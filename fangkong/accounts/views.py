from __future__ import annotations

from django.contrib.auth import views as auth_views

from fangkong.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    """Django's login rotates the session key, so every login starts a new session."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"
