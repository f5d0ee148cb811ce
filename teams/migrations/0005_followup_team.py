"""A follow-up item carries its meeting's organising team, so scope is a column of the item.

Added nullable, filled from each item's meeting, then made required.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_team(apps, schema_editor):
    FollowUp = apps.get_model("teams", "FollowUp")
    Meeting = apps.get_model("teams", "Meeting")
    FollowUp.objects.update(
        team_id=models.Subquery(Meeting.objects.filter(pk=models.OuterRef("meeting_id")).values("team_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_meeting_open_end_index")]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="team",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="teams.team",
                verbose_name="tim penyelenggara",
            ),
        ),
        migrations.RunPython(copy_team, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="followup",
            name="team",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="teams.team",
                verbose_name="tim penyelenggara",
            ),
        ),
    ]
