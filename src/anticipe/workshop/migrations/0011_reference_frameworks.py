# The frameworks of competences a study carries besides those Anticipe ships (study format 1.2)

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workshop', '0010_structural_results'),
    ]

    operations = [
        migrations.AddField(
            model_name='study',
            name='reference_frameworks',
            field=models.JSONField(blank=True, default=list),
        ),
    ]
