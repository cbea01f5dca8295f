from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key] in a template (dicts of figures keyed by stable names)."""
    if mapping is None:
        return ""
    return mapping.get(key, "") if hasattr(mapping, "get") else getattr(mapping, key, "")


@register.filter
def split(value: str):
    return value.split()


@register.filter
def tal(value):
    """A whole number as Swedes read it (1 900 000, narrow no-break space); anything else, such
    as a suppressed participant figure ("färre än 5"), as its own text."""
    from samsyn.followup.disclosure import number

    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return "" if value is None else str(value)
