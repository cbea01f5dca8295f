"""API labels come from tables built once, and say exactly what get_FOO_display says."""

import pytest
from django.apps import apps

from samsyn.api.schemas import _step_choices, choice_label
from samsyn.pipeline.models import IdeaTransition, MeasureTransition

CHOICE_FIELDS = [
    (model, field)
    for model in apps.get_models()
    if model.__module__.startswith("samsyn.")
    for field in model._meta.concrete_fields
    if field.choices
]


@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in CHOICE_FIELDS]
)
def test_choice_labels_match_get_display_for_every_choice_field(model, field):
    for value, _label in [*field.flatchoices, ("not-a-choice", "")]:
        record = model(**{field.attname: value})
        assert choice_label(record, field.name) == str(
            getattr(record, f"get_{field.name}_display")()
        )


@pytest.mark.parametrize("model", [IdeaTransition, MeasureTransition])
def test_choice_labels_match_for_transition_steps(model):
    for value in _step_choices(model()).values:
        record = model(from_step=value, to_step=value)
        assert choice_label(record, "to_step", _step_choices(record)) == str(
            record.get_to_step_display()
        )
        assert choice_label(record, "from_step", _step_choices(record)) == str(
            record.get_from_step_display()
        )
