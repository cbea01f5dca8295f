"""Empty choices are "Välj …" (forms) or "Alla" (filters), never "---------" or "Okänt".

Generated over every form and filterset class in the project, so a new field gets the same.
"""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
import pytest
from django import forms

import samsyn

FORBIDDEN = {"---------", "Okänt", "Unknown"}


def _import_all() -> None:
    for module in pkgutil.walk_packages(samsyn.__path__, "samsyn."):
        if module.name.endswith((".forms", ".filters")):
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _labels(field: forms.Field) -> list[str]:
    labels = []
    if isinstance(field, forms.ModelChoiceField):
        labels.append(field.empty_label)
    elif isinstance(field, forms.ChoiceField):
        labels += [label for _, label in field.choices]
    if isinstance(field.widget, forms.Select) and not isinstance(field, forms.ChoiceField):
        labels += [label for _, label in field.widget.choices]
    return [str(label) for label in labels if label is not None]


def _project(cls) -> bool:
    return cls.__module__.startswith("samsyn.")


_import_all()
FORMS = sorted({c for c in _subclasses(forms.BaseForm) if _project(c)}, key=str)
FILTERSETS = sorted({c for c in _subclasses(django_filters.FilterSet) if _project(c)}, key=str)


def test_choice_labels_cover_the_project():
    assert len(FORMS) >= 20 and len(FILTERSETS) >= 8


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_choice_labels_in_forms_never_dashes_or_unknown(form_class):
    bad = {
        name: label
        for name, field in form_class.base_fields.items()
        for label in _labels(field)
        if label in FORBIDDEN
    }
    assert bad == {}


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda c: c.__name__)
def test_choice_labels_in_filters_offer_alla(filterset):
    for name, flt in filterset.base_filters.items():
        labels = _labels(flt.field)
        assert not FORBIDDEN & set(labels), (name, labels)
        if isinstance(flt, django_filters.BooleanFilter) or (
            isinstance(flt, django_filters.ChoiceFilter)
            and not isinstance(flt, django_filters.MultipleChoiceFilter)
        ):
            assert labels and labels[0] == "Alla", (name, labels)


def _ctrl_click_lists(fields) -> list[str]:
    return [
        name
        for name, field in fields
        if isinstance(field.widget, forms.SelectMultiple)
        and not isinstance(field.widget, forms.CheckboxSelectMultiple)
    ]


def test_no_form_or_filter_offers_a_ctrl_click_list():
    """Several choices are tick boxes, never a multi-select where one plain click drops every
    choice made before (the förbund's members, the follow-up's förbund, the steps)."""
    lists = [
        f"{form_class.__name__}.{name}"
        for form_class in FORMS
        for name in _ctrl_click_lists(form_class.base_fields.items())
    ] + [
        f"{filterset.__name__}.{name}"
        for filterset in FILTERSETS
        for name in _ctrl_click_lists((n, f.field) for n, f in filterset.base_filters.items())
    ]
    assert lists == []
