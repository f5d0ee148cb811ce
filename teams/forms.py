"""HTML forms of the teams app: they validate input and hand it to a service. Every choice of a
related row is limited to what the user may see (and, for writes, manage)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from konflik.models import Region
from konflik.scoping import scope_q

from . import selectors, services
from .models import FollowUp, Institution, Invitation, Meeting, Member, Position, Team

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def manageable_teams(user):
    return [
        t
        for t in Team.objects.visible_to(user).select_related("region")
        if selectors.can_manage_team(user, t)
    ]


class TeamCreateForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["region", "name", "secretariat_unit"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.in_scope_of(user).filter(
            level__in=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY], team__isnull=True
        )
        self.fields["region"].to_field_name = "code"


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "secretariat_unit"]


class DecreeForm(forms.Form):
    number = forms.CharField(label=_("Nomor SK"), max_length=120)
    date = forms.DateField(label=_("Tanggal SK"), widget=DateInput())
    valid_from = forms.DateField(label=_("Berlaku mulai"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DateInput())
    copy_members = forms.BooleanField(
        label=_("Salin anggota dari SK sebelumnya"), required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("Tanggal akhir harus sesudah tanggal mulai."))
        return data


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["region", "name", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.in_scope_of(user).filter(
            level__in=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY]
        )
        if self.instance.pk:
            self.fields["region"].disabled = True


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "office",
            "institution",
            "position",
            "phone",
            "email",
            "user",
            "active_from",
            "active_until",
        ]
        widgets = {"active_from": DateInput(), "active_until": DateInput()}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(region_id=team.region_id)
        self.fields["position"].queryset = Position.objects.all()
        self.fields["user"].queryset = get_user_model().objects.filter(
            scope_q("region", team.region_id), is_active=True
        )


class MemberImportForm(forms.Form):
    sheet = forms.FileField(
        label=_("Berkas Excel (.xlsx) atau CSV"),
        help_text=_("Kolom: nama, jabatan, instansi, kedudukan, telepon, email, aktif_mulai, aktif_sampai."),
    )


class MeetingForm(forms.ModelForm):
    online_link = forms.URLField(
        label=_("Tautan daring"), required=False, max_length=500, assume_scheme="https"
    )
    reminder_offsets_text = forms.CharField(
        label=_("Pengingat (menit sebelum mulai)"),
        required=False,
        help_text=_("Dipisah koma, mis. 10080, 1440, 120 (7 hari, 1 hari, 2 jam). Kosong = bawaan."),
    )
    invited_members = forms.ModelMultipleChoiceField(
        label=_("Anggota yang diundang"), queryset=Member.objects.none(), required=False
    )
    invited_institutions = forms.ModelMultipleChoiceField(
        label=_("Instansi yang diundang"), queryset=Institution.objects.none(), required=False
    )
    invited_teams = forms.ModelMultipleChoiceField(
        label=_("Tim lain yang diundang"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["team", "kind", "period", "title", "start", "end", "place", "online_link", "agenda"]
        widgets = {
            "start": DateTimeInput(),
            "end": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = manageable_teams(user)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        self.fields["start"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["end"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["invited_members"].queryset = (
            Member.objects.visible_to(user).filter(selectors.current_members_q()).select_related("team")
        )
        self.fields["invited_members"].label_from_instance = lambda m: f"{m.name} · {m.team.name}"
        self.fields["invited_institutions"].queryset = Institution.objects.visible_to(user)
        self.fields["invited_teams"].queryset = Team.objects.visible_to(user)
        if self.instance.pk:
            self.fields["team"].disabled = True
            invitations = list(self.instance.invitations.all())
            self.initial["invited_members"] = [i.member_id for i in invitations if i.member_id]
            self.initial["invited_institutions"] = [i.institution_id for i in invitations if i.institution_id]
            self.initial["invited_teams"] = [i.team_id for i in invitations if i.team_id]
            self.initial["reminder_offsets_text"] = ", ".join(str(o) for o in self.instance.reminder_offsets)
        elif len(teams) == 1:
            self.initial["team"] = teams[0].pk

    def clean(self):
        data = super().clean()
        start, end, kind, period = (data.get(k) for k in ("start", "end", "kind", "period"))
        if start and end and end <= start:
            self.add_error("end", _("Waktu selesai harus setelah waktu mulai."))
        if kind == Meeting.Kind.PERIOD_EVALUATION and not period:
            self.add_error("period", _("Rapat evaluasi periode memerlukan periode (B04, B08 atau B12)."))
        if kind and kind != Meeting.Kind.PERIOD_EVALUATION and period:
            self.add_error("period", _("Periode hanya untuk rapat evaluasi periode."))
        return data

    def _get_validation_exclusions(self):
        # The constraints on these fields are checked in `clean()` with field messages (and again by
        # the service); the model's own check would add a second, generic message.
        return super()._get_validation_exclusions() | {"end", "period"}

    def clean_reminder_offsets_text(self):
        text = self.cleaned_data["reminder_offsets_text"].strip()
        if not text:
            return None
        try:
            values = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Tulis angka menit dipisah koma."))
        try:
            return services.clean_offsets(values)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["reminder_offsets"])

    def service_fields(self):
        data = {key: self.cleaned_data[key] for key in self._meta.fields if key != "team"}
        offsets = self.cleaned_data.get("reminder_offsets_text")
        if offsets is not None:
            data["reminder_offsets"] = offsets
        return data


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in Meeting.Status.choices if s != Meeting.Status.CANCELLED],
    )


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan pembatalan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Notulen"), required=False, widget=forms.Textarea(attrs={"rows": 8}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Lampiran notulen (PDF, DOCX, XLSX, JPEG, PNG)"))


class AttendanceForm(forms.Form):
    """One pair of fields per invitation: attendance and who actually came."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for inv in invitations:
            self.fields[f"att_{inv.pk}"] = forms.ChoiceField(
                label=str(inv), choices=Invitation.Attendance.choices, initial=inv.attendance
            )
            self.fields[f"name_{inv.pk}"] = forms.CharField(
                label=_("Nama yang hadir"), required=False, max_length=200, initial=inv.attendee_name
            )

    def rows(self):
        return [(inv, self[f"att_{inv.pk}"], self[f"name_{inv.pk}"]) for inv in self.invitations]

    def attendance(self):
        return {
            inv.pk: (self.cleaned_data[f"att_{inv.pk}"], self.cleaned_data[f"name_{inv.pk}"])
            for inv in self.invitations
        }


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            Member.objects.visible_to(user)
            .filter(scope_q("team__region", meeting.team.region_id))
            .filter(selectors.current_members_q())
            .select_related("team")
        )
        self.fields["owner"].label_from_instance = lambda m: f"{m.name} · {m.team.name}"
