"""API shapes of the teams app. Every foreign key in a body is looked up among the rows the caller may
see (`visible_to`), so an id from another region is "does not exist" (400); `region`/`team`/`meeting`
are fixed after creation; status and bookkeeping fields are read-only or go through services."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konflik.models import Region
from konflik.scoping import scope_q

from ..models import FollowUp, Institution, Invitation, Meeting, Member, MinutesAttachment, Position, Team
from ..services import MAX_OFFSET_MINUTES, MAX_OFFSETS


def _user(serializer):
    """The signed-in caller, or None (e.g. while the OpenAPI schema is generated)."""
    request = serializer.context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class FixedAfterCreateMixin:
    """Fields that may be given on create only; a different value on update is a 400."""

    fixed_after_create = ()

    def validate(self, attrs):
        if self.instance is not None:
            for name in self.fixed_after_create:
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: _("Isian ini tidak dapat diubah setelah dibuat.")}
                    )
                attrs.pop(name, None)
        return super().validate(attrs)


class TeamSerializer(FixedAfterCreateMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    member_count = serializers.IntegerField(read_only=True)
    fixed_after_create = ("region",)

    class Meta:
        model = Team
        fields = [
            "id",
            "region",
            "name",
            "secretariat_unit",
            "decree_number",
            "decree_date",
            "valid_from",
            "valid_until",
            "current_decree",
            "member_count",
        ]
        read_only_fields = ["decree_number", "decree_date", "valid_from", "valid_until", "current_decree"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if _user(self) is not None:
            self.fields["region"].queryset = Region.objects.in_scope_of(_user(self))


class DecreeStartSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=120)
    date = serializers.DateField()
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    copy_members = serializers.BooleanField(default=True)


class DecreeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class InstitutionSerializer(FixedAfterCreateMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    fixed_after_create = ("region",)

    class Meta:
        model = Institution
        fields = ["id", "region", "name", "kind"]
        validators = []  # uniqueness per region is checked by full_clean() in the service

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if _user(self) is not None:
            self.fields["region"].queryset = Region.objects.in_scope_of(_user(self))


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "name", "order"]


class MemberSerializer(FixedAfterCreateMixin, serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.none(), allow_null=True, required=False
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(), allow_null=True, required=False
    )
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())
    position_name = serializers.CharField(source="position.name", read_only=True)
    # a method, not `source="institution.name"` with a default: DRF drops such a field from PATCH answers
    institution_name = serializers.SerializerMethodField()
    region = serializers.CharField(source="team.region_id", read_only=True)
    fixed_after_create = ("team",)

    class Meta:
        model = Member
        fields = [
            "id",
            "team",
            "region",
            "decree",
            "name",
            "office",
            "institution",
            "institution_name",
            "position",
            "position_name",
            "phone",
            "email",
            "user",
            "active_from",
            "active_until",
        ]
        read_only_fields = ["decree"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["team"].queryset = Team.objects.visible_to(user)
            self.fields["institution"].queryset = Institution.objects.visible_to(user)
            users = get_user_model().objects.filter(is_active=True)
            if not user.is_admin_role:
                users = users.filter(scope_q("region", user.region_id or "-"))
            self.fields["user"].queryset = users

    @extend_schema_field(serializers.CharField())
    def get_institution_name(self, obj) -> str:
        return obj.institution.name if obj.institution_id else ""


class InvitationSerializer(serializers.ModelSerializer):
    invitee = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "member", "institution", "team", "invitee", "attendance", "attendee_name"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = MinutesAttachment
        fields = ["id", "original_name", "content_type", "size", "created", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        return reverse("teams:attachment_download", args=[obj.meeting_id, obj.pk])


class MinutesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, JPEG or PNG; checked by content")


class MeetingSerializer(FixedAfterCreateMixin, serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    team_name = serializers.CharField(source="team.name", read_only=True)
    region = serializers.CharField(source="team.region_id", read_only=True)
    # Every status can be read (a cancelled meeting is listed as such); cancelling is not a field write.
    status = serializers.ChoiceField(
        choices=Meeting.Status.choices,
        required=False,
        help_text=_("Pembatalan lewat POST {id}/cancel/."),
    )
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_OFFSET_MINUTES),
        max_length=MAX_OFFSETS,
        required=False,
        help_text=_("Menit sebelum mulai; bawaan [10080, 1440, 120]."),
    )
    invited_members = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Member.objects.none(), required=False
    )
    invited_institutions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Institution.objects.none(), required=False
    )
    invited_teams = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Team.objects.none(), required=False
    )
    invitations = InvitationSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    ics_url = serializers.SerializerMethodField()
    fixed_after_create = ("team",)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "team",
            "team_name",
            "region",
            "kind",
            "period",
            "title",
            "start",
            "end",
            "place",
            "online_link",
            "agenda",
            "status",
            "minutes",
            "reminder_offsets",
            "invited_members",
            "invited_institutions",
            "invited_teams",
            "invitations",
            "attachments",
            "sequence",
            "ics_url",
        ]
        read_only_fields = ["sequence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["team"].queryset = Team.objects.visible_to(user)
            self.fields["invited_members"].child_relation.queryset = Member.objects.visible_to(user)
            self.fields["invited_institutions"].child_relation.queryset = Institution.objects.visible_to(user)
            self.fields["invited_teams"].child_relation.queryset = Team.objects.visible_to(user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        invitations = list(instance.invitations.all())  # prefetched
        data["invited_members"] = [i.member_id for i in invitations if i.member_id]
        data["invited_institutions"] = [i.institution_id for i in invitations if i.institution_id]
        data["invited_teams"] = [i.team_id for i in invitations if i.team_id]
        return data

    @extend_schema_field(serializers.CharField())
    def get_ics_url(self, obj) -> str:
        return reverse("teams:meeting_ics", args=[obj.pk])

    def validate_status(self, value):
        if value == Meeting.Status.CANCELLED:
            raise serializers.ValidationError(_("Pembatalan lewat POST {id}/cancel/."))
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end": _("Waktu selesai harus setelah waktu mulai.")})
        return attrs


class CancelSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FollowUpSerializer(FixedAfterCreateMixin, serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.none())
    owner = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)
    region = serializers.CharField(source="meeting.team.region_id", read_only=True)
    overdue = serializers.SerializerMethodField()
    fixed_after_create = ("meeting",)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "meeting",
            "meeting_title",
            "region",
            "description",
            "owner",
            "owner_name",
            "due_date",
            "status",
            "done_at",
            "overdue",
        ]
        read_only_fields = ["done_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["meeting"].queryset = Meeting.objects.visible_to(user)
            self.fields["owner"].queryset = Member.objects.visible_to(user)

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(timezone.localdate())
