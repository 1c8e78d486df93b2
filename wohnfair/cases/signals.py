"""Signals of the case file for apps that read it (statistics).

Model signals (``post_save``, ``post_delete``, ``m2m_changed``) cover changes
made through the ORM's save and delete. ``cases_changed`` covers the writes
that bypass them: bulk inserts and raw SQL. Every function that writes
statistical case data that way sends it, inside its transaction::

    cases_changed.send(sender=Case, organisation_id=org.pk, months={date(2025, 3, 1)})

``months``: the first-contact months (any day of the month) of the cases whose
statistical data (case fields, incidents, Merkmale, interventions, consents)
changed. The ``QuerySet.update()`` calls of ``services``, ``retention``,
``privacy`` and ``workflow`` only blank texts (narratives, titles) and need
no signal; ``generate_cases`` sends it.
"""

from django.dispatch import Signal

cases_changed = Signal()
