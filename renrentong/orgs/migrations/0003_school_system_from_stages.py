"""A school's recorded system (School.system) follows its stages where they all agree on another one.

The demo created 九年一贯制 schools with 五四制 stages under the default 六三制 school system, so the
school header contradicted every grade derived from the stages (issue 10). Grades are computed from
the stages, so they are what the school really runs; the header is corrected to match.
"""

from django.db import migrations


def align(apps, schema_editor):
    School = apps.get_model("orgs", "School")
    Stage = apps.get_model("orgs", "Stage")
    systems: dict[int, set[str]] = {}
    for school_id, system in Stage.objects.values_list("campus__school_id", "system"):
        systems.setdefault(school_id, set()).add(system)
    for school_id, found in systems.items():
        if len(found) == 1:
            School.objects.filter(pk=school_id).exclude(system=next(iter(found))).update(system=next(iter(found)))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_structure_tenants_admin_roles")]
    operations = [migrations.RunPython(align, migrations.RunPython.noop)]
