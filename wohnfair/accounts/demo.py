"""Demo organisations and users for `manage.py load_demo` (idempotent)."""

from django.db import transaction

from wohnfair.accounts.models import Membership, Organisation, Role, User

DEMO_PASSWORD = "wohnfair-demo"  # noqa: S105 (published on purpose: demo only)

ORGANISATIONS = [
    ("PL", "Planerladen Dortmund", Organisation.Kind.OFFICE),
    ("BO", "Beratungsstelle Bochum", Organisation.Kind.OFFICE),
    ("ADA", "ada.nrw Netzwerk", Organisation.Kind.NETWORK),
]

USERS = [
    ("beratung@planerladen.example", "Aylin Demir", "PL", Role.COUNSELLOR),
    ("leitung@planerladen.example", "Jonas Becker", "PL", Role.LEAD),
    ("redaktion@planerladen.example", "Mira Schulte", "PL", Role.EDITOR),
    ("testing@planerladen.example", "Karim Haddad", "PL", Role.TESTING_COORDINATOR),
    ("beratung@bochum.example", "Sofia Nowak", "BO", Role.COUNSELLOR),
    ("netzwerk@wohnfair.example", "Lena Wolff", "ADA", Role.NETWORK_ANALYST),
    ("admin@wohnfair.example", "Admin Wohnfair", "ADA", Role.ADMINISTRATOR),
]


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Create what is missing; return (e-mail, role) of the demo logins."""
    organisations = {}
    for code, name, kind in ORGANISATIONS:
        organisations[code], _ = Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
    network = organisations["ADA"]
    network.member_organisations.add(organisations["PL"], organisations["BO"])

    logins = []
    for email, name, code, role in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            is_admin = role == Role.ADMINISTRATOR
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                display_name=name,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
        Membership.objects.get_or_create(
            user=user, organisation=organisations[code], defaults={"role": role}
        )
        logins.append((email, str(role.label)))
    return logins
