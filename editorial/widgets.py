"""Form widgets of the editors' admin."""

from django_prose_editor.widgets import AdminProseEditorWidget

from .fields import RICH_TEXT_EDITOR


class RichTextWidget(AdminProseEditorWidget):
    """The rich-text editor (ProseMirror, served from this site: works offline and under the CSP).

    Its tools are exactly what the allow-list keeps, and pasted text goes through its schema, so
    what a word processor puts on the clipboard comes out as plain paragraphs, lists and links.
    ``HTMLField`` sanitizes what it saves again: the editor is a convenience, not the guard.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, config=RICH_TEXT_EDITOR, preset="configurable")
