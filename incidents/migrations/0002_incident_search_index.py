"""The full-text search index over `search_text` (title, chronology, party names), on PostgreSQL only.

A GIN index is PostgreSQL's; the embedded SQLite default has none and searches with `icontains`. The
expression is exactly the one `incidents.selectors.search_incidents` filters on, so the planner uses it.
"""

from django.db import migrations

INDEX = "incident_search_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON incidents_incident "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
