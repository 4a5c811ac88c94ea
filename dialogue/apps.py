from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Dialogues")
    #: The editorial roles work on this app's models (``editorial.roles``).
    editorial_content = True
