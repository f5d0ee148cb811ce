"""The dashboard's query (year, period, regency) and the report request form."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konflik.periods import Period

from .selectors import Selection

REGENCY_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}$")


class DashboardQueryForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    period = forms.ChoiceField(label=_("Periode"), required=False)
    region = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("Setahun penuh")), *Period.choices]
        self.fields["region"].choices = [("", _("Seluruh wilayah")), *regions]

    def selection(self) -> Selection:
        """The valid selection (an invalid value falls back to its default)."""
        data = {}
        if self.is_bound:
            self.is_valid()  # invalid fields are left out of cleaned_data and fall back to their defaults
            data = self.cleaned_data
        return Selection(
            year=data.get("year") or timezone.localdate().year,
            period=data.get("period") or "",
            region=data.get("region") or "",
        )


class ReportRequestForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Tim terpadu"), queryset=None)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Periode"), choices=Period.choices)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["year"].initial = timezone.localdate().year
