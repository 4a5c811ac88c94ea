"""One multilingual QuerySet class per QuerySet class, made once.

django-modeltranslation gives every QuerySet of a translated model its language-aware behaviour
by building a new class, ``Multilingual<TheQuerySet>``, each time a manager hands one out: some
140,000 classes in one run of the test suite, each built, then collected. The class it builds
depends on the QuerySet class alone, so it is built once per class here and reused; what a
QuerySet does is unchanged.
"""

from functools import cache

from modeltranslation import manager

_build = manager.multilingual_queryset_factory


@cache
def _multilingual_class(queryset_class):
    return _build(queryset_class, instantiate=False)


def multilingual_queryset_factory(old_cls, instantiate=True):
    made = _multilingual_class(old_cls)
    return made() if instantiate else made


def reuse_multilingual_classes() -> None:
    """Called once the apps are ready (``EditorialConfig.ready``)."""
    manager.multilingual_queryset_factory = multilingual_queryset_factory
