"""Third-party apps as this project presents them."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class SignInThrottlingConfig(AxesConfig):
    """django-axes, named for what it does here: the admin's index showed a bare “Axes”."""

    verbose_name = _("Sign-in throttling")
