from django.db import migrations


def seed_taxonomy(apps, schema_editor):
    from dangjian.appeals.taxonomy import seed

    seed(apps.get_model("appeals", "Category"))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_cases_workflow_stats")]
    operations = [migrations.RunPython(seed_taxonomy, migrations.RunPython.noop)]
