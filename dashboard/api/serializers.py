from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from konflik.periods import Period

from ..models import PeriodicReport


class DashboardQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    period = serializers.ChoiceField(choices=Period.choices, required=False, allow_blank=True)
    region = serializers.RegexField(r"^[0-9]{2}\.[0-9]{2}$", required=False, allow_blank=True, max_length=5)


class DashboardFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, coerce_to_string=False)
    url = serializers.CharField()


class DashboardSelectionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    plan_period = serializers.CharField()


class DashboardTotalsSerializer(serializers.Serializer):
    incidents = serializers.IntegerField()
    deaths = serializers.IntegerField()
    injured = serializers.IntegerField()
    displaced = serializers.IntegerField()
    resolved = serializers.IntegerField()


class DashboardPotentialRowSerializer(serializers.Serializer):
    risk = serializers.CharField()
    open = serializers.IntegerField()
    escalated = serializers.IntegerField()


class DashboardStrategySerializer(serializers.Serializer):
    strategy = serializers.CharField()
    activities = serializers.IntegerField()
    achievement = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, coerce_to_string=False
    )


class DashboardSubmissionCellSerializer(serializers.Serializer):
    period = serializers.CharField()
    state = serializers.CharField()


class DashboardSubmissionRowSerializer(serializers.Serializer):
    region = serializers.CharField()
    team = serializers.CharField()
    cells = DashboardSubmissionCellSerializer(many=True)


class DashboardMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    start = serializers.DateTimeField()
    team = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    """The leadership dashboard's figures, each with the URL of the list behind it."""

    selection = DashboardSelectionSerializer()
    scope = serializers.CharField()
    totals = DashboardTotalsSerializer()
    resolution_rate = serializers.FloatField(allow_null=True)
    by_month = DashboardFigureSerializer(many=True)
    by_area = DashboardFigureSerializer(many=True)
    by_source = DashboardFigureSerializer(many=True)
    by_stage = DashboardFigureSerializer(many=True)
    open_potentials = DashboardPotentialRowSerializer(many=True)
    active_conflict_statuses = serializers.IntegerField()
    achievement_by_strategy = DashboardStrategySerializer(many=True)
    achievement_by_regency = DashboardFigureSerializer(many=True)
    submissions = DashboardSubmissionRowSerializer(many=True)
    upcoming_meetings = DashboardMeetingSerializer(many=True)
    overdue_followups = serializers.IntegerField()

    @staticmethod
    def from_dashboard(data):
        selection = data.selection
        return {
            "selection": {
                "year": selection.year,
                "period": selection.period,
                "region": selection.region,
                "plan_period": selection.plan_period,
            },
            "scope": data.scope_label,
            "totals": {key: figure.value for key, figure in data.totals.items()},
            "resolution_rate": data.resolution_rate,
            "by_month": data.by_month,
            "by_area": data.by_area,
            "by_source": data.by_source,
            "by_stage": data.by_stage,
            "open_potentials": [
                {"risk": row["risk"], "open": row["cells"][0].value, "escalated": row["cells"][1].value}
                for row in data.potentials
            ],
            "active_conflict_statuses": len(data.active_statuses),
            "achievement_by_strategy": data.achievement_by_strategy,
            "achievement_by_regency": data.achievement_by_regency,
            "submissions": [
                {
                    "region": row.team.region_id,
                    "team": row.team.name,
                    "cells": [{"period": c.period, "state": c.state} for c in row.cells],
                }
                for row in data.submissions
            ],
            "upcoming_meetings": [
                {"id": m.pk, "title": m.title, "start": m.start, "team": m.team.name}
                for m in data.upcoming_meetings
            ],
            "overdue_followups": data.overdue_followups_count.value,
        }


class PeriodicReportSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="team.region_id", read_only=True)
    title = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = PeriodicReport
        fields = [
            "id",
            "team",
            "region",
            "year",
            "period",
            "title",
            "status",
            "progress",
            "step",
            "automatic",
            "created",
            "finished_at",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = ["status", "progress", "step", "automatic", "created", "finished_at"]
        extra_kwargs = {"year": {"min_value": 2000, "max_value": 2100}}

    def _download(self, obj, fmt) -> str | None:
        if obj.status != PeriodicReport.Status.DONE:
            return None
        return reverse("dashboard:report_download", args=[obj.pk, fmt])

    def get_pdf_url(self, obj) -> str | None:
        return self._download(obj, "pdf")

    def get_xlsx_url(self, obj) -> str | None:
        return self._download(obj, "xlsx")

    def validate_team(self, team):
        request = self.context["request"]
        if not type(team).objects.visible_to(request.user).filter(pk=team.pk).exists():
            raise serializers.ValidationError(_("Tim tidak dikenal."))
        return team
