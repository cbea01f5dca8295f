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
def sees_participants_of(user, project) -> bool:
    """Whether the user may open the project's participants (its staff only): no link else."""
    from samsyn.followup.access import is_staff

    return bool(is_staff(user, project))
