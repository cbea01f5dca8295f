"""`{% refusals form as items %}`: a form's problems without a field, each with its link target.

The page names where each rule is put right in its context as `refusal_places`
(samsyn.http.summary_target)."""

from django import template

from samsyn.http import summary_items

register = template.Library()


@register.simple_tag(takes_context=True)
def refusals(context, form):
    return summary_items(form, context.get("refusal_places"))
