"""HTML forms: they validate input (the models' `clean()` runs through the ModelForm) and the views hand
the cleaned data to the services. Region choices are limited to the user's scope."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konflik.models import Region

from . import uploads
from .models import ConflictPotential, ConflictStatus, Incident, IncidentUpdate, PartyKind
from .services import INCIDENT_FIELDS

PARTY_ROWS = 6
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; checked by `uploads.clean_uploads` (type by content, sizes)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            return []
        uploads.clean_uploads(files)  # raises ValidationError with Indonesian messages
        for f in files:
            f.seek(0)
        return files


def regions_for(user, *levels):
    qs = Region.objects.in_scope_of(user).order_by("code")
    return qs.filter(level__in=levels) if levels else qs


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class IncidentForm(forms.ModelForm):
    """Filing and editing a report. Parties are entered as rows of name + kind (at least two)."""

    parties = forms.Field(required=False, widget=forms.HiddenInput, label=_("Pihak yang terlibat"))
    files = MultipleFileField(label=_("Foto dan dokumen"))

    class Meta:
        model = Incident
        # what the service lets a secretariat write, but `reported_at`, which the form does not ask for
        fields = ["region", *(name for name in INCIDENT_FIELDS if name != "reported_at")]
        widgets = {
            "occurred_on": DATE,
            "chronology": forms.Textarea(attrs={"rows": 6}),
            "handling": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        regencies = regions_for(user, Region.Level.REGENCY, Region.Level.CITY)
        if self.instance.pk:
            del self.fields["region"]
        else:
            self.fields["region"] = RegionChoiceField(queryset=regencies, label=_("Kabupaten/kota"))
            if len(regencies) == 1:
                self.fields["region"].initial = regencies[0].pk
        districts = regions_for(user, Region.Level.DISTRICT)
        villages = regions_for(user, Region.Level.VILLAGE)
        if self.instance.pk:
            # the regency is fixed once filed: offer only its own districts and villages
            below = self.instance.region_id + "."
            districts = districts.filter(code__startswith=below)
            villages = villages.filter(code__startswith=below)
        self.fields["district"] = RegionChoiceField(queryset=districts, required=False, label=_("Kecamatan"))
        self.fields["village"] = RegionChoiceField(
            queryset=villages, required=False, label=_("Desa/kelurahan")
        )
        if self.instance.pk:
            self.fields["district"].widget.attrs["data-region"] = self.instance.region_id
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        south, west, north, east = settings.KONFLIK_INCIDENT_BOUNDS
        self.fields["latitude"].widget.attrs.update({"min": south, "max": north, "step": "0.000001"})
        self.fields["longitude"].widget.attrs.update({"min": west, "max": east, "step": "0.000001"})
        existing = list(self.instance.parties or []) if self.instance.pk else []
        for i in range(PARTY_ROWS):
            initial = existing[i] if i < len(existing) and isinstance(existing[i], dict) else {}
            self.fields[f"party_name_{i}"] = forms.CharField(
                required=False, max_length=200, label=_("Nama pihak"), initial=initial.get("name", "")
            )
            self.fields[f"party_kind_{i}"] = forms.ChoiceField(
                required=False,
                choices=[("", "—"), *PartyKind.choices],
                label=_("Jenis pihak"),
                initial=initial.get("kind", ""),
            )

    def party_rows(self):
        return [(self[f"party_name_{i}"], self[f"party_kind_{i}"]) for i in range(PARTY_ROWS)]

    def clean(self):
        cleaned = super().clean()
        parties = []
        for i in range(PARTY_ROWS):
            name = (cleaned.get(f"party_name_{i}") or "").strip()
            kind = cleaned.get(f"party_kind_{i}") or ""
            if name or kind:
                if not name:
                    self.add_error(f"party_name_{i}", _("Isi nama pihak."))
                elif not kind:
                    self.add_error(f"party_kind_{i}", _("Pilih jenis pihak."))
                parties.append({"name": name, "kind": kind})
        cleaned["parties"] = parties
        return cleaned

    def service_data(self):
        """The fields a service writes (region and files travel separately)."""
        from .services import INCIDENT_FIELDS

        return {k: v for k, v in self.cleaned_data.items() if k in INCIDENT_FIELDS}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan pengembalian"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    resolved_on = forms.DateField(label=_("Tanggal penyelesaian"), widget=DATE)
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(forms.Form):
    files = MultipleFileField(label=_("Foto dan dokumen"))

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise ValidationError(_("Pilih sekurang-kurangnya satu berkas."))
        return files


class IncidentUpdateForm(forms.ModelForm):
    files = MultipleFileField(label=_("Foto dan dokumen"))

    class Meta:
        model = IncidentUpdate
        fields = [
            "occurred_on",
            "description",
            "stage",
            "deaths",
            "injured",
            "displaced",
            "buildings_damaged",
            "estimated_loss",
        ]
        widgets = {"occurred_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"deaths": _("Kosongkan bila tidak berubah.")}


class ConflictPotentialForm(forms.ModelForm):
    class Meta:
        model = ConflictPotential
        fields = [
            "region",
            "title",
            "place",
            "latitude",
            "longitude",
            "source_of_conflict",
            "description",
            "indicators",
            "likelihood",
            "impact",
            "recommended_actions",
            "owner",
            "next_review_on",
            "status",
        ]
        widgets = {
            "next_review_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.Textarea(attrs={"rows": 3}),
            "recommended_actions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["region"]
        else:
            self.fields["region"] = RegionChoiceField(queryset=regions_for(user), label=_("Wilayah"))


class ConflictStatusForm(forms.ModelForm):
    class Meta:
        model = ConflictStatus
        fields = [
            "scale",
            "region",
            "decree_number",
            "decree_date",
            "declared_by",
            "dprd_consultation_on",
            "start_date",
            "end_date",
            "notes",
            "incidents",
        ]
        widgets = {
            "decree_date": DATE,
            "dprd_consultation_on": DATE,
            "start_date": DATE,
            "end_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "incidents": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["region"]
            del self.fields["scale"]
        else:
            self.fields["region"] = RegionChoiceField(
                queryset=regions_for(user, Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY),
                label=_("Wilayah"),
            )
        self.fields["incidents"].queryset = (
            Incident.objects.visible_to(user).exclude(status=Incident.Status.DRAFT).order_by("-occurred_on")
        )
        self.fields["incidents"].required = False


class ExtendForm(forms.Form):
    decree_number = forms.CharField(label=_("Nomor keputusan perpanjangan"), max_length=120)
    decree_date = forms.DateField(label=_("Tanggal keputusan"), widget=DATE)


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Tanggal pencabutan"), widget=DATE)
    decree_number = forms.CharField(label=_("Nomor keputusan pencabutan"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
