"""The rich-text editor's own messages, in the admin's language.

django-prose-editor reads the texts of its dialogs (“Edit Link”, “URL”, “Update”, “Cancel”…)
through ``gettext``, and ships their French. Its catalogue is served here as an addition to the
admin's (``admin:jsi18n``, which defines ``gettext`` and the language's plural rule): a second
full catalogue would replace that rule with its own. The toolbar's tooltips, which the editor
writes in English, are translated by ``static/js/rich-text.js`` (``editorial.widgets``).
"""

import json

from django.http import HttpResponse
from django.views.i18n import JavaScriptCatalog


class RichTextCatalogue(JavaScriptCatalog):
    """django-prose-editor's messages, merged into the catalogue the admin's ``gettext`` reads."""

    packages = ["django_prose_editor"]

    def render_to_response(self, context, **response_kwargs):
        catalogue = json.dumps(context["catalog"], sort_keys=True)
        script = (
            "'use strict';\n{\n  const django = globalThis.django || (globalThis.django = {});\n"
            f"  django.catalog = Object.assign(django.catalog || {{}}, {catalogue});\n}}\n"
        )
        return HttpResponse(script, content_type='text/javascript; charset="utf-8"')
