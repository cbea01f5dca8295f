"""The main forms, fed generated input through the test client as someone allowed to use them.

For each form (need, idea, measure, call, application and its budget, meeting, participant)
Hypothesis builds a POST from the form's own fields: sometimes valid values, sometimes junk
(any text, huge numbers, impossible dates, unknown ids). Whatever is sent:
- the answer is never a server error (the test client re-raises a view's exception);
- a refused POST shows the form again with an error and changes nothing (row count and
  version unchanged);
- an accepted POST redirects and created exactly one row (create forms), and a known
  valid POST is saved.
Each example runs in a transaction that is rolled back, over the demo loaded once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.db import models, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from samsyn.calls.forms import ApplicationForm, BudgetLineForm, CallForm
from samsyn.calls.models import Application, BudgetLine, Call
from samsyn.demo import load_everything
from samsyn.followup.forms import ParticipantForm
from samsyn.followup.models import Participant
from samsyn.meetings.access import Action, owners_for
from samsyn.meetings.forms import MeetingForm
from samsyn.meetings.models import Meeting
from samsyn.parties.models import Forbund, User
from samsyn.pipeline.forms import IdeaForm, MeasureForm, NeedForm
from samsyn.pipeline.models import Idea, Measure, Need
from tests.auth import log_in

EXAMPLES = 10  # per form: ~80 POSTs in all

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
JUNK = st.one_of(
    TEXT,
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "9999-99-99", "2026-02-30", "\x00"]),
)


def _value(field: forms.Field) -> st.SearchStrategy[Any]:
    """A plausible value for the field, or junk."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        good = st.lists(st.sampled_from(pks), max_size=3) if pks else st.just([])
        # Ids beyond 64 bits too: they match nothing (samsyn.parties.bounds), see the end.
        return st.one_of(good, st.lists(st.one_of(TEXT, st.integers(-(2**70), 2**70).map(str))))
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        return st.one_of(st.sampled_from(pks), JUNK) if pks else JUNK
    if isinstance(field, forms.ChoiceField):
        keys = [str(k) for k, _ in field.choices if not isinstance(_, list | tuple)]
        keys = [k for k in keys if k] or [""]
        return st.one_of(st.sampled_from(keys), st.sampled_from(keys), JUNK)
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "", "true", "false", "unknown", "x"])
    if isinstance(field, forms.DateTimeField):
        good = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2035, 1, 1))
        return st.one_of(good.map(lambda v: v.strftime("%Y-%m-%dT%H:%M")), JUNK)
    if isinstance(field, forms.DateField):
        good = st.dates(dt.date(2000, 1, 1), dt.date(2035, 1, 1)).map(dt.date.isoformat)
        return st.one_of(good, st.dates().map(dt.date.isoformat), JUNK)
    if isinstance(field, forms.IntegerField):
        return st.one_of(
            st.integers(0, 10**7).map(str),
            st.integers(-(10**25), 10**25).map(str),
            st.sampled_from(["1 000 000", "1,5", "12 kr", "1e6"]),
            JUNK,
        )
    return st.one_of(TEXT.filter(str.strip), JUNK)


def _post_data(form: forms.Form) -> st.SearchStrategy[dict[str, Any]]:
    fields = {
        name: _value(field)
        for name, field in form.fields.items()
        if not isinstance(field.widget, forms.HiddenInput)
    }
    return st.fixed_dictionaries(fields)


@dataclass
class Target:
    username: str
    url: str
    form: forms.Form
    model: type[models.Model]
    edits: models.Model | None = None  # an edit form: this row must not change when refused
    page: str = ""  # where the form is shown, when it is not at `url`
    valid: dict[str, Any] | None = None  # a POST that must be saved


def _targets() -> dict[str, Target]:
    forbund = Forbund.objects.get(organisation__name="Sjuhärads samordningsförbund")
    need = Need.objects.filter(forbund=forbund).first()
    application = Application.objects.filter(idea__need__forbund=forbund, status="draft").first()
    running = Participant.objects.filter(idea__isnull=False).first().idea

    anna = User.objects.get(username="anna")
    return {
        "need": Target(
            "anna",
            f"/forbund/{forbund.pk}/behov/nytt/",
            NeedForm(),
            Need,
            valid={"title": "Unga vuxna", "target_group": "Unga", "identified_on": "2026-03-12"},
        ),
        "idea": Target(
            "anna",
            f"/behov/{need.pk}/projektide/ny/",
            IdeaForm(forbund=forbund),
            Idea,
            valid={"title": "Vägar till arbete", "programme_period": "2021-2027"},
        ),
        "measure": Target(
            "anna",
            f"/behov/{need.pk}/insats/ny/",
            MeasureForm(forbund=forbund),
            Measure,
            valid={"title": "Arbetsträning"},
        ),
        "call": Target("nils", "/utlysningar/ny/", CallForm(), Call),
        "application": Target(
            "anna",
            f"/ansokningar/{application.pk}/andra/",
            ApplicationForm(instance=application),
            Application,
            edits=application,
            page=f"/ansokningar/{application.pk}/",
        ),
        "budget line": Target(
            "anna",
            f"/ansokningar/{application.pk}/budget/",
            BudgetLineForm(),
            BudgetLine,
            page=f"/ansokningar/{application.pk}/",
        ),
        "meeting": Target(
            "anna",
            "/moten/nytt/",
            MeetingForm(owners=owners_for(anna, Action.PLAN)),
            Meeting,
        ),
        "participant": Target(
            "bertil",
            f"/projektideer/{running.pk}/deltagare/ny/",
            ParticipantForm(),
            Participant,
        ),
    }


REFUSED_MARKS = ('class="errorlist"', 'class="violations"', 'role="alert"')


@pytest.mark.django_db
def test_the_main_forms_never_break_and_a_refusal_changes_nothing(client, subtests):
    load_everything()
    for name, target in _targets().items():
        with subtests.test(msg=name):
            log_in(client, User.objects.get(username=target.username))
            page = client.get(target.page or target.url)
            assert page.status_code == 200, name  # the user may use the form
            _fuzz_form(client, target)
            if target.valid is not None:
                _saves(client, target)


def _fuzz_form(client, target: Target) -> None:
    outcomes = set()

    @given(data=_post_data(target.form))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: it would cost the budget
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def run(data):
        with transaction.atomic():
            count = target.model.objects.count()
            version = _version(target.edits)
            data["version"] = version if version is not None else ""
            response = client.post(target.url, data)
            assert response.status_code in (200, 302, 400, 403, 409, 422), response.status_code
            if response.status_code == 302:
                outcomes.add("saved")
                if target.edits is None:
                    assert target.model.objects.count() == count + 1
            else:
                outcomes.add("refused")
                page = response.content.decode()
                assert any(mark in page for mark in REFUSED_MARKS), page[:2000]
                assert target.model.objects.count() == count
                assert _version(target.edits) == version
            transaction.set_rollback(True)

    run()
    assert "refused" in outcomes  # junk was sent and turned away at least once


def _saves(client, target: Target) -> None:
    with transaction.atomic():
        count = target.model.objects.count()
        response = client.post(target.url, target.valid)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert target.model.objects.count() == count + 1
        transaction.set_rollback(True)


def _version(record: models.Model | None) -> int | None:
    if record is None:
        return None
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


@pytest.mark.django_db
def test_an_id_beyond_64_bits_in_a_multiple_choice_is_refused(sjuharad):
    """Was a 500 on SQLite: Django's ModelMultipleChoiceField sent the id to the driver. An
    `in` lookup now drops integers beyond the column's range (samsyn.parties.bounds)."""
    form = MeasureForm({"title": "Insats", "parties": ["99999999999999999999"]}, forbund=sjuharad)
    assert not form.is_valid()
    assert "parties" in form.errors
