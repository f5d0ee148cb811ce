"""Serializers validate the shape of input; the services decide (scope, workflow, invariants).

Regions are read and written as Kemendagri codes. Fields set by the workflow (`status`, `number`,
`created_by`, `verified_by`, ...) are read-only; `region` is accepted on creation only.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konflik.models import AuditEvent, Region

from ..models import (
    Attachment,
    ConflictPotential,
    ConflictStatus,
    ConflictStatusExtension,
    Incident,
    IncidentUpdate,
    PartyKind,
)
from ..services import INCIDENT_FIELDS


class ScopedRegionField(serializers.SlugRelatedField):
    """A Kemendagri code of a region inside the caller's scope (another region: "does not exist")."""

    def __init__(self, levels=None, **kwargs):
        self.levels = levels
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Region.objects.none()
        qs = Region.objects.in_scope_of(request.user)
        return qs.filter(level__in=self.levels) if self.levels else qs


class IncidentPartySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PartyKind.choices)


class IncidentSerializer(serializers.ModelSerializer):
    region = ScopedRegionField(levels=[Region.Level.REGENCY, Region.Level.CITY])
    district = ScopedRegionField(levels=[Region.Level.DISTRICT], required=False, allow_null=True)
    village = ScopedRegionField(levels=[Region.Level.VILLAGE], required=False, allow_null=True)
    parties = IncidentPartySerializer(many=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    verified_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "status",
            "region",
            *INCIDENT_FIELDS,
            "created_by",
            "submitted_at",
            "verified_by",
            "verified_at",
            "return_note",
            "resolved_on",
            "created",
            "updated",
            "url",
        ]
        read_only_fields = [
            "number",
            "status",
            "created_by",
            "submitted_at",
            "verified_by",
            "verified_at",
            "return_note",
            "resolved_on",
            "created",
            "updated",
        ]
        extra_kwargs = {"reported_at": {"required": False}}

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return obj.get_absolute_url()

    def validate_region(self, value):
        if self.instance is not None and value.code != self.instance.region_id:
            raise serializers.ValidationError(_("Kabupaten/kota laporan tidak dapat diubah setelah dibuat."))
        return value

    def validate_parties(self, value):
        # A PATCH validates nested rows partially, so a row may lack a key: each must still have both.
        parties = []
        for row in value:
            name, kind = (row.get("name") or "").strip(), row.get("kind")
            if not name:
                raise serializers.ValidationError(_("Isi nama pihak."))
            if not kind:
                raise serializers.ValidationError(_("Pilih jenis pihak."))
            parties.append({"name": name, "kind": kind})
        return parties


class IncidentReturnSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class IncidentCloseSerializer(serializers.Serializer):
    resolved_on = serializers.DateField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class IncidentAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    update = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "update", "created", "download_url"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, obj):
        return reverse("incidents:attachment", args=[obj.pk])


class IncidentAttachmentUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class IncidentUpdateSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    attachments = IncidentAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = IncidentUpdate
        fields = [
            "id",
            "occurred_on",
            "description",
            "stage",
            "deaths",
            "injured",
            "displaced",
            "buildings_damaged",
            "estimated_loss",
            "created_by",
            "created",
            "attachments",
        ]
        read_only_fields = ["created_by", "created"]


class IncidentHistoryEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "created", "actor_repr", "action", "changes", "note"]


class ConflictPotentialSerializer(serializers.ModelSerializer):
    region = ScopedRegionField()
    likelihood = serializers.IntegerField(
        min_value=1, max_value=4, help_text="1 (rendah) to 4 (sangat tinggi)"
    )
    impact = serializers.IntegerField(min_value=1, max_value=4, help_text="1 (rendah) to 4 (sangat tinggi)")
    url = serializers.SerializerMethodField()

    class Meta:
        model = ConflictPotential
        fields = [
            "id",
            "region",
            "place",
            "latitude",
            "longitude",
            "title",
            "source_of_conflict",
            "description",
            "indicators",
            "likelihood",
            "impact",
            "risk_level",
            "recommended_actions",
            "owner",
            "next_review_on",
            "status",
            "created",
            "updated",
            "url",
        ]
        read_only_fields = ["risk_level", "created", "updated"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return obj.get_absolute_url()

    def validate_region(self, value):
        if self.instance is not None and value.code != self.instance.region_id:
            raise serializers.ValidationError(_("Wilayah tidak dapat diubah setelah dibuat."))
        return value


class ConflictStatusExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictStatusExtension
        fields = ["id", "decree_number", "decree_date", "previous_end_date", "new_end_date", "created"]
        read_only_fields = ["previous_end_date", "new_end_date", "created"]


class ScopedIncidentsField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return Incident.objects.visible_to(request.user) if request else Incident.objects.none()


class ConflictStatusSerializer(serializers.ModelSerializer):
    region = ScopedRegionField()
    incidents = ScopedIncidentsField(many=True, required=False)
    extensions = ConflictStatusExtensionSerializer(many=True, read_only=True)
    state = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ConflictStatus
        fields = [
            "id",
            "scale",
            "region",
            "decree_number",
            "decree_date",
            "declared_by",
            "dprd_consultation_on",
            "start_date",
            "end_date",
            "original_end_date",
            "revoked_on",
            "revocation_decree_number",
            "revocation_note",
            "notes",
            "incidents",
            "extensions",
            "state",
            "created",
            "updated",
            "url",
        ]
        read_only_fields = [
            "original_end_date",
            "revoked_on",
            "revocation_decree_number",
            "revocation_note",
            "created",
            "updated",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return obj.get_absolute_url()

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("region", "scale"):
                if name in attrs and getattr(attrs[name], "code", attrs[name]) != getattr(
                    getattr(self.instance, name), "code", getattr(self.instance, name)
                ):
                    raise serializers.ValidationError(
                        {name: _("Isian ini tidak dapat diubah setelah dibuat.")}
                    )
        return attrs


class ConflictStatusRevokeSerializer(serializers.Serializer):
    revoked_on = serializers.DateField()
    decree_number = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ConflictStatusExtendSerializer(serializers.Serializer):
    decree_number = serializers.CharField(max_length=120)
    decree_date = serializers.DateField()
