# Today's profile of the job and a training catalogue (study format 1.3)

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workshop', '0012_mass_mailing'),
    ]

    operations = [
        migrations.AddField(
            model_name='study',
            name='current_profile',
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='study',
            name='training_catalogue',
            field=models.JSONField(blank=True, null=True),
        ),
    ]
