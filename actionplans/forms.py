"""Forms validate input and hand it to a service; the choices they offer are scoped to the user."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konflik.models import Region
from konflik.scoping import scope_q
from teams.models import Institution

from .models import ACTIVITY_FIELDS, ActionPlan, Activity, Realisation
from .selectors import team_choices


class PlanCreateForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Tim terpadu"), queryset=ActionPlan.objects.none())
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_choices(user=user)
        self.fields["year"].initial = timezone.localdate().year
        if user.region_id and not user.is_admin_role:
            self.fields["team"].initial = (
                self.fields["team"].queryset.filter(region_id=user.region_id).first()
            )


class PlanNotesForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class PlanApproveForm(forms.Form):
    approved_on = forms.DateField(
        label=_("Tanggal persetujuan"), widget=forms.DateInput(attrs={"type": "date"})
    )
    approval_reference = forms.CharField(label=_("Nomor/dasar persetujuan"), max_length=200)


class PlanReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan revisi"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun rencana baru"), min_value=2000, max_value=2100)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ACTIVITY_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "related_institutions": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        region = plan.team.region_id
        institutions = Institution.objects.visible_to(user).filter(scope_q("region", region)).order_by("name")
        self.fields["responsible_institution"].queryset = institutions
        self.fields["related_institutions"].queryset = institutions
        self.fields["place"].queryset = Region.objects.in_scope_of(user).filter(scope_q("", region))
        self.fields["position"].required = False


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RealisationForm(forms.ModelForm):
    evidence_files = MultipleFileField(
        label=_("Data dukung (PDF, JPG/PNG, Word, Excel)"),
        required=False,
        help_text=_("Beberapa berkas boleh dipilih sekaligus."),
    )

    class Meta:
        model = Realisation
        fields = ["value", "narrative", "obstacles", "next_steps"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Catatan pengembalian"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas Excel (.xlsx) dalam format matriks rencana aksi"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.KONFLIK_ACTIONPLAN_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar."))
        return uploaded
