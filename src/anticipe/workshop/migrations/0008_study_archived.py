from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workshop", "0007_study_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="archived on"),
        ),
    ]
