from django import template

from incidents.models import PartyKind

register = template.Library()


@register.filter
def party_kind(value):
    """The Indonesian label of a party kind (`community` -> `Kelompok masyarakat`)."""
    try:
        return PartyKind(value).label
    except ValueError:
        return value
