"""A status + region-prefix index, on PostgreSQL only.

The lists filter by status within a scope (`region_id LIKE '61.%'` for a province); with both columns
under `varchar_pattern_ops` the count becomes an index-only scan and the page reads only its rows
(national scale, province `status=closed`: count 116 ms -> 1 ms, page 61 ms -> 33 ms). `deaths` is
included for the casualty ordering. SQLite, the first-run default, keeps its plain indexes.
"""

from django.db import migrations

INDEX = "incident_status_region_like_idx"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON incidents_incident "
    "(status varchar_pattern_ops, region_id varchar_pattern_ops, deaths)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_incident_search_index")]
    operations = [migrations.RunPython(create_index, drop_index)]
