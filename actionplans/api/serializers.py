"""Serializers validate the body and hand it to a service. Field-level protection: `status`, the
review and submission stamps and `achievement` are read-only; `team`/`year` of a plan and `plan` of
an activity, `activity`/`period` of a realisation are set on creation only; every foreign key is
looked up among the objects the caller can see (another region's team or institution is "not found")."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konflik.models import Region
from teams.models import Institution, Team

from ..models import ACTIVITY_FIELDS, ActionPlan, Activity, Evidence, Realisation


def _user(serializer):
    """The signed-in caller, or None (schema generation runs without one)."""
    request = serializer.context.get("request")
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


class CreateOnlyMixin:
    """Fields in `Meta.create_only_fields` become read-only when updating an existing object; a request
    that tries to change one is refused (400) rather than silently half-applied."""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in getattr(self.Meta, "create_only_fields", ()):
                fields[name].read_only = True
        return fields

    def validate(self, attrs):
        if self.instance is not None and hasattr(self, "initial_data"):
            for name in getattr(self.Meta, "create_only_fields", ()):
                if name not in self.initial_data:
                    continue
                current = getattr(self.instance, self.instance._meta.get_field(name).attname)
                if str(self.initial_data[name]) != str(current):
                    raise serializers.ValidationError(
                        {name: _("Isian ini tidak dapat diubah setelah dibuat.")}
                    )
        return super().validate(attrs)


class ActionPlanSerializer(CreateOnlyMixin, serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    region = serializers.CharField(source="team.region_id", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "team",
            "team_name",
            "region",
            "year",
            "status",
            "approved_on",
            "approval_reference",
            "notes",
            "copied_from",
            "created",
            "updated",
        ]
        read_only_fields = [
            "status",
            "approved_on",
            "approval_reference",
            "copied_from",
            "created",
            "updated",
        ]
        create_only_fields = ["team", "year"]
        # The (team, year) uniqueness is the service's to check (a 400 with its message).
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if _user(self) and not fields["team"].read_only:
            fields["team"].queryset = Team.objects.visible_to(_user(self))
        return fields


class PlanApproveSerializer(serializers.Serializer):
    approved_on = serializers.DateField()
    approval_reference = serializers.CharField(max_length=200)


class PlanReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class PlanCopySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class ActivitySerializer(CreateOnlyMixin, serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=ActionPlan.objects.none())
    region = serializers.CharField(source="plan.team.region_id", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    responsible_institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.none(), allow_null=True, required=False
    )
    related_institutions = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.none(), many=True, required=False
    )
    place = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "plan",
            "region",
            "year",
            *ACTIVITY_FIELDS,
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]
        create_only_fields = ["plan"]
        extra_kwargs = {"position": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user:
            if not fields["plan"].read_only:
                fields["plan"].queryset = ActionPlan.objects.visible_to(user)
            institutions = Institution.objects.visible_to(user)
            fields["responsible_institution"].queryset = institutions
            fields["related_institutions"].child_relation.queryset = institutions
            fields["place"].queryset = Region.objects.in_scope_of(user)
        return fields


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "created", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("actionplans:evidence_download", args=[obj.pk])


class RealisationSerializer(CreateOnlyMixin, serializers.ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.none())
    region = serializers.CharField(source="activity.plan.team.region_id", read_only=True)
    team = serializers.IntegerField(source="activity.plan.team_id", read_only=True)
    year = serializers.IntegerField(source="activity.plan.year", read_only=True)
    strategy = serializers.CharField(source="activity.strategy", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    submitted_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    reviewed_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Realisation
        fields = [
            "id",
            "activity",
            "period",
            "region",
            "team",
            "year",
            "strategy",
            "value",
            "achievement",
            "narrative",
            "obstacles",
            "next_steps",
            "status",
            "submitted_at",
            "first_submitted_at",
            "on_time",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_note",
            "evidence",
            "created",
            "updated",
        ]
        read_only_fields = [
            "achievement",
            "status",
            "submitted_at",
            "first_submitted_at",
            "on_time",
            "reviewed_at",
            "review_note",
            "created",
            "updated",
        ]
        create_only_fields = ["activity", "period"]
        validators = []  # (activity, period) uniqueness: the service's full_clean answers it

    def get_fields(self):
        fields = super().get_fields()
        if _user(self) and not fields["activity"].read_only:
            fields["activity"].queryset = Activity.objects.visible_to(_user(self))
        return fields


class ReturnSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class EvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)
