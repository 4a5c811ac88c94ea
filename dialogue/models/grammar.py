"""Statuses and steps of an instrument, agreeing with the noun that names its kind.

In French a roadmap, a letter of intent or a joint statement is *signée*, *entrée en vigueur*,
*terminée*; an agreement or an arrangement is *signé*, *entré en vigueur*, *terminé*. Each label
is therefore translated once per grammatical gender (``pgettext`` contexts), and an instrument's
kind says which gender its noun has. English has a single form; the catalogue repeats it.
"""

from django.utils.translation import pgettext_lazy

FEMININE, MASCULINE = "feminine", "masculine"

#: The grammatical gender of each kind's noun, in French (the only language here that inflects).
KIND_GENDER = {
    "letter_of_intent": FEMININE,  # une lettre d'intention
    "technical_arrangement": MASCULINE,  # un arrangement technique
    "agreement": MASCULINE,  # un accord
    "memorandum": MASCULINE,  # un mémorandum d'entente
    "roadmap": FEMININE,  # une feuille de route
    "joint_statement": FEMININE,  # une déclaration conjointe
}

STATUS_LABELS = {
    ("under_negotiation", MASCULINE): pgettext_lazy("instrument status, of a masculine noun", "under negotiation"),
    ("under_negotiation", FEMININE): pgettext_lazy("instrument status, of a feminine noun", "under negotiation"),
    ("signed", MASCULINE): pgettext_lazy("instrument status, of a masculine noun", "signed"),
    ("signed", FEMININE): pgettext_lazy("instrument status, of a feminine noun", "signed"),
    ("in_force", MASCULINE): pgettext_lazy("instrument status, of a masculine noun", "in force"),
    ("in_force", FEMININE): pgettext_lazy("instrument status, of a feminine noun", "in force"),
    ("terminated", MASCULINE): pgettext_lazy("instrument status, of a masculine noun", "terminated"),
    ("terminated", FEMININE): pgettext_lazy("instrument status, of a feminine noun", "terminated"),
}

STEP_LABELS = {
    ("negotiations_opened_on", MASCULINE): pgettext_lazy(
        "instrument step, of a masculine noun", "negotiations opened"
    ),
    ("negotiations_opened_on", FEMININE): pgettext_lazy("instrument step, of a feminine noun", "negotiations opened"),
    ("signed_on", MASCULINE): pgettext_lazy("instrument step, of a masculine noun", "signed"),
    ("signed_on", FEMININE): pgettext_lazy("instrument step, of a feminine noun", "signed"),
    ("in_force_on", MASCULINE): pgettext_lazy("instrument step, of a masculine noun", "entered into force"),
    ("in_force_on", FEMININE): pgettext_lazy("instrument step, of a feminine noun", "entered into force"),
    ("ended_on", MASCULINE): pgettext_lazy("instrument step, of a masculine noun", "ended"),
    ("ended_on", FEMININE): pgettext_lazy("instrument step, of a feminine noun", "ended"),
}

#: A step and its date in a sentence: the preposition follows what is known of the date.
STEP_PHRASES = {
    "day": pgettext_lazy("instrument step on a day: “signed on 26 June 2019”", "%(step)s on %(date)s"),
    "month": pgettext_lazy("instrument step in a month: “signed in June 2019”", "%(step)s in %(date)s"),
    "year": pgettext_lazy("instrument step in a year: “signed in 2019”", "%(step)s in %(date)s"),
}


def gender_of(kind: str) -> str:
    return KIND_GENDER.get(kind, MASCULINE)


def status_label(kind: str, status: str) -> str:
    return str(STATUS_LABELS[(status, gender_of(kind))])


def step_label(kind: str, step: str) -> str:
    return str(STEP_LABELS[(step, gender_of(kind))])


def step_phrase(kind: str, step: str, date_text: str, precision: str) -> str:
    return str(STEP_PHRASES.get(precision, STEP_PHRASES["day"])) % {"step": step_label(kind, step), "date": date_text}
