"""Empty choices in Swedish, for every form and filter at once.

Django writes "---------" for an empty choice and "Okänt" (its translation of "Unknown") for
the empty answer of a yes/no field. Neither says what to do. A form asks "Välj …"; a filter
(django-filter, settings.FILTERS_EMPTY_CHOICE_LABEL) offers "Alla"; a yes/no answer not yet
given is "Inte angivet". Set once, when the apps are ready, before any form class is built.
"""

from __future__ import annotations

from django import forms
from django.db.models import fields

CHOOSE = "Välj …"
NOT_GIVEN = "Inte angivet"


def use_swedish_empty_choices() -> None:
    # Model fields with choices: the blank option of every ModelForm select (the list is a
    # default argument of Field.get_choices, so it is changed in place).
    fields.BLANK_CHOICE_DASH[:] = [("", CHOOSE)]
    # Foreign keys and ModelChoiceFields that name no empty_label of their own.
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = CHOOSE
    # Yes/no fields that may be left unanswered (NullBooleanField).
    original = forms.NullBooleanSelect.__init__
    if getattr(original, "swedish", False):
        return

    def __init__(self, attrs=None):
        original(self, attrs)
        self.choices = [
            (value, NOT_GIVEN if value == "unknown" else label) for value, label in self.choices
        ]

    __init__.swedish = True
    forms.NullBooleanSelect.__init__ = __init__


class LongSelect(forms.Select):
    """A select with hundreds of options (organisations), rendered in one template: Django's
    own renders a template per option."""

    template_name = "samsyn_widgets/select.html"


def yes_no_all() -> forms.Select:
    """The widget of a yes/no filter: "Alla" (no filter), "Ja", "Nej"."""
    return forms.Select(choices=[("", "Alla"), ("true", "Ja"), ("false", "Nej")])
