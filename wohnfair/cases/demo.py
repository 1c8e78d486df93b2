"""Demo case files for `manage.py load_demo` (idempotent).

Creates the districts of both demo offices, their usual respondents and about
sixty realistic, invented cases: 40 for the Planerladen Dortmund (PL) and 20
for the Beratungsstelle Bochum (BO). Everything goes through ``cases.services``
so that names and narratives are encrypted and every step is audited as in
real use. The content is chosen by a seeded random generator, so that two
fresh installations look alike; first contacts lie within the two years
before today. An organisation that has cases already gets none added.

All people, companies and landlords are invented; any likeness to real ones
is unintended.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from wohnfair.accounts.models import Organisation, User
from wohnfair.cases import services
from wohnfair.cases.models import (
    Case,
    CaseStatus,
    CaseType,
    District,
    PersonRole,
    Respondent,
    Term,
    WhoCame,
)

DISTRICTS = {
    "PL": [
        "Innenstadt-West",
        "Innenstadt-Nord",
        "Innenstadt-Ost",
        "Eving",
        "Scharnhorst",
        "Brackel",
        "Aplerbeck",
        "Hörde",
        "Hombruch",
        "Lütgendortmund",
        "Huckarde",
        "Mengede",
    ],
    "BO": [
        "Bochum-Mitte",
        "Wattenscheid",
        "Bochum-Nord",
        "Bochum-Ost",
        "Bochum-Süd",
        "Bochum-Südwest",
    ],
}

CASE_COUNTS = {"PL": 40, "BO": 20}

# (e-mail of the counsellor who opens most cases, e-mail of a lead who helps, if any)
STAFF = {
    "PL": ("beratung@planerladen.example", "leitung@planerladen.example"),
    "BO": ("beratung@bochum.example", None),
}


@dataclass(frozen=True)
class RespondentSpec:
    kind: str  # code in the "verursachende" vocabulary
    name: str
    address: str = ""
    flats_count: int | None = None
    weight: int = 1  # how often a scenario of this group picks this one


# Respondents by group; scenarios name a group ("agent" and "private" take any of
# theirs). The large housing company and the letting agents come up again and
# again, as they do in practice. Neighbours are made per case (see ``_neighbour``).
RESPONDENTS: dict[str, dict[str, list[RespondentSpec]]] = {
    "PL": {
        "company": [
            RespondentSpec(
                "housing_company",
                "Hellwegtal Wohnbau AG",
                "Bestände in allen Stadtbezirken, Kundencenter Innenstadt-Nord",
                21400,
                weight=4,
            ),
            RespondentSpec(
                "housing_company",
                "Wohnungsgenossenschaft Emschergrund eG",
                "Siedlungen in Eving und Scharnhorst",
                1850,
            ),
        ],
        "makler": [RespondentSpec("agent", "Maklerbüro Severin Immobilien", "Hörde")],
        "verwaltung": [
            RespondentSpec("agent", "Hausverwaltung Brackmann & Söhne", "Innenstadt-Ost", 640)
        ],
        "portal": [RespondentSpec("portal", "Mietfinder Ruhr (Online-Portal)")],
        "authority": [RespondentSpec("authority", "Jobcenter – Standort Nordstadt")],
        "landlord": [
            RespondentSpec("private_landlord", "Privatvermieter Herr Overbeck", "Hörde", 6),
            RespondentSpec(
                "private_landlord", "Privatvermieter Herr Schulze-Brink", "Aplerbeck", 11
            ),
        ],
        "landlady": [
            RespondentSpec("private_landlord", "Privatvermieterin Frau Landwehr", "Hombruch", 2)
        ],
    },
    "BO": {
        "company": [
            RespondentSpec(
                "housing_company",
                "Hellwegtal Wohnbau AG",
                "Bestände in Bochum-Mitte, Wattenscheid und Bochum-Nord",
                21400,
                weight=3,
            ),
            RespondentSpec(
                "housing_company", "Ruhrbogen Wohnen GmbH", "Bochum-Ost und Bochum-Süd", 2300
            ),
        ],
        "makler": [RespondentSpec("agent", "Maklerbüro Kettler & Vogt", "Bochum-Mitte")],
        "verwaltung": [
            RespondentSpec("agent", "Hausverwaltung Ostermann", "Wattenscheid", 380),
        ],
        "portal": [RespondentSpec("portal", "Mietfinder Ruhr (Online-Portal)")],
        "authority": [RespondentSpec("authority", "Jobcenter – Geschäftsstelle Wattenscheid")],
        "landlord": [
            RespondentSpec("private_landlord", "Privatvermieter Herr Dahlmann", "Wattenscheid", 4)
        ],
        "landlady": [
            RespondentSpec("private_landlord", "Privatvermieterin Frau Kösters", "Bochum-Süd", 1)
        ],
    },
}
GROUP_ALIASES = {"agent": ("makler", "verwaltung"), "private": ("landlord", "landlady")}
NEIGHBOUR_SURNAMES = ["Kramer", "Wessel", "Pohl", "Schröder", "Brinkmann", "Hülsmann", "Tenhagen"]


@dataclass(frozen=True)
class Scenario:
    """One kind of incident. ``{bezirk}``, ``{nachname}`` and ``{verursacher}`` are filled in.

    ``who`` lists tags a fitting advice seeker has (see ``PEOPLE``); ``neighbour``
    ("Nachbar" or "Nachbarin") makes a new neighbour respondent for the case.
    """

    text: str
    merkmale: tuple[str, ...]
    who: tuple[str, ...] = ()
    lebensbereich: str = "flat_search"
    form: str = "direct"
    ebene: str = "individual"
    respondent: str | None = "company"  # group in RESPONDENTS or GROUP_ALIASES
    neighbour: str = ""
    evidence: tuple[str, ...] = ()
    case_type: str = CaseType.COUNSELLING
    restricted: bool = False
    follow_up: str = ""  # a second incident, some weeks later
    party: str = ""  # mediation: the other party's role
    closing: str = ""  # closing reason when the case is closed, if it follows from the story
    days_before: tuple[int, int] = (1, 40)  # how long before the first contact it happened


SCENARIOS = [
    Scenario(
        "Eine Anzeige für eine 3-Zimmer-Wohnung in {bezirk} enthielt den Satz „Nur an deutsche "
        "Mieter“. Auf die schriftliche Bewerbung kam keine Antwort.",
        ("ethnic_origin", "nationality"),
        who=("migrant",),
        respondent="private",
        evidence=("ad", "photos"),
    ),
    Scenario(
        "Am Telefon hieß es zunächst, die Wohnung sei frei. Nachdem der Name „{nachname}“ "
        "gefallen war, war sie plötzlich vergeben; eine Bekannte mit deutsch klingendem Namen "
        "bekam eine Stunde später einen Besichtigungstermin.",
        ("ethnic_origin",),
        who=("migrant",),
        respondent="company",
        evidence=("witnesses", "memory_protocol"),
    ),
    Scenario(
        "Die Beratungsstelle hat ein Testing durchgeführt: Auf dieselbe Anzeige bewarben sich "
        "zwei vergleichbare Testpersonen. Die Testperson mit dem Namen „{nachname}“ erhielt eine "
        "Absage, die Vergleichsperson eine Einladung zur Besichtigung.",
        ("ethnic_origin",),
        who=("migrant",),
        respondent="agent",
        evidence=("testing", "emails"),
    ),
    Scenario(
        "Bei der Besichtigung in {bezirk} sagte der Vermieter beim Anblick des Kopftuchs, er "
        "wolle „keine Probleme im Haus“. Die Wohnung wurde danach weiter inseriert.",
        ("religion", "ethnic_origin"),
        who=("f", "muslim"),
        respondent="landlord",
        evidence=("ad", "memory_protocol"),
    ),
    Scenario(
        "Die Hausverwaltung verlangte von der Familie drei Monatsmieten Kaution und zusätzlich "
        "eine Bürgschaft. Ein Bewerber mit deutschem Pass musste nach eigener Aussage nur die "
        "übliche Kaution zahlen.",
        ("nationality", "ethnic_origin"),
        who=("migrant", "family"),
        respondent="verwaltung",
        evidence=("emails",),
    ),
    Scenario(
        "Der Makler erklärte, man vermiete grundsätzlich nicht an Menschen, die Bürgergeld "
        "beziehen. Die Mietübernahmebescheinigung des Jobcenters sah er sich nicht an.",
        ("social_status",),
        respondent="makler",
        evidence=("memory_protocol",),
    ),
    Scenario(
        "Das Jobcenter verweigerte die Zusicherung für den Umzug in eine angemessene Wohnung in "
        "{bezirk}. Am Schalter wurde die Person aufgefordert, „erst einmal richtig Deutsch zu "
        "lernen“.",
        ("language", "ethnic_origin"),
        who=("migrant",),
        lebensbereich="allocation",
        form="harassment",
        ebene="institutional",
        respondent="authority",
        evidence=("memory_protocol", "emails"),
    ),
    Scenario(
        "Seit Monaten beschimpft ein Nachbar die Familie im Treppenhaus rassistisch und hat einen "
        "Zettel mit „Ausländer raus“ an die Wohnungstür geklebt. Die Hausverwaltung reagiert "
        "auf Beschwerden nicht.",
        ("ethnic_origin",),
        who=("migrant", "family"),
        lebensbereich="neighbourhood",
        form="harassment",
        respondent=None,
        neighbour="Nachbar",
        evidence=("photos", "witnesses"),
        case_type=CaseType.MEDIATION,
        follow_up="Erneuter Vorfall: Der Kinderwagen der Familie wurde im Hausflur beschädigt, "
        "daneben lag ein beleidigender Zettel.",
        party="Nachbarhaushalt 2. OG",
    ),
    Scenario(
        "Die Wohnungsgesellschaft lehnte eine Rampe am Hauseingang ab, obwohl die Mieterin die "
        "Kosten selbst tragen würde. Begründung: Das Erscheinungsbild des Hauses würde leiden.",
        ("disability",),
        who=("f",),
        lebensbereich="tenancy",
        form="indirect",
        respondent="company",
        evidence=("emails",),
    ),
    Scenario(
        "Der Vermieter sagte dem {alter}-jährigen Interessenten, er vermiete die "
        "Dachgeschosswohnung „lieber an jemand Jüngeres, der länger bleibt“.",
        ("age",),
        who=("m", "older"),
        respondent="landlord",
        evidence=("memory_protocol",),
    ),
    Scenario(
        "Die alleinerziehende Mutter von drei Kindern erhielt die Auskunft, große Familien würden "
        "„aus Rücksicht auf die Hausgemeinschaft“ nicht berücksichtigt.",
        ("family_size", "gender"),
        who=("f", "family"),
        lebensbereich="allocation",
        ebene="institutional",
        respondent="company",
        evidence=("memory_protocol",),
    ),
    Scenario(
        "Ein Männerpaar wurde nach der Besichtigung abgelehnt; der Vermieter schrieb per E-Mail, "
        "er suche „eine richtige Familie“.",
        ("sexual_identity",),
        who=("m",),
        respondent="landlord",
        evidence=("emails",),
        restricted=True,
    ),
    Scenario(
        "Die Hausverwaltung weigert sich, nach der Namensänderung Mietvertrag und Klingelschild "
        "anzupassen, und spricht die Mieterin weiterhin mit dem alten Namen an.",
        ("gender",),
        who=("f",),
        lebensbereich="tenancy",
        form="harassment",
        respondent="verwaltung",
        evidence=("emails",),
        restricted=True,
    ),
    Scenario(
        "Auf {verursacher} konnten Vermietende Bewerbungen nach Staatsangehörigkeit filtern. "
        "Bewerbungen ohne deutschen Pass wurden nach Aussage der Person gar nicht angezeigt.",
        ("nationality",),
        who=("migrant",),
        form="indirect",
        ebene="structural",
        respondent="portal",
        evidence=("photos",),
    ),
    Scenario(
        "Die Bewerbung wurde abgelehnt, weil die Aufenthaltserlaubnis nur noch 14 Monate gültig "
        "ist. Der Makler verlangte eine unbefristete Niederlassungserlaubnis.",
        ("residence_status",),
        who=("migrant",),
        form="indirect",
        respondent="makler",
        evidence=("emails",),
    ),
    Scenario(
        "Zusätzlich zur Schufa-Auskunft verlangte die Vermietungsabteilung eine Passkopie und "
        "einen Nachweis über den Integrationskurs, von anderen Bewerbenden nicht.",
        ("ethnic_origin", "nationality"),
        who=("migrant",),
        respondent="company",
        evidence=("emails",),
    ),
    Scenario(
        "Der Schimmel in der Wohnung in {bezirk} wird seit über einem Jahr nicht beseitigt. In "
        "Wohnungen desselben Hauses, in denen deutsche Familien wohnen, wurden Mängel innerhalb "
        "weniger Wochen behoben.",
        ("ethnic_origin",),
        who=("migrant",),
        lebensbereich="tenancy",
        respondent="company",
        evidence=("photos", "emails", "witnesses"),
    ),
    Scenario(
        "Nach dem Eigentümerwechsel erhielten fast nur Haushalte mit Migrationsgeschichte "
        "Abmahnungen wegen angeblicher Ruhestörung; andere Mietparteien nicht.",
        ("ethnic_origin",),
        who=("migrant",),
        lebensbereich="tenancy",
        ebene="institutional",
        respondent="company",
        evidence=("emails", "witnesses"),
    ),
    Scenario(
        "Die Wohnungsgesellschaft teilte mit, in dem Haus sei die „Ausländerquote“ bereits "
        "erreicht; man wolle eine ausgewogene Mischung erhalten.",
        ("ethnic_origin",),
        who=("migrant",),
        lebensbereich="allocation",
        ebene="institutional",
        respondent="company",
        evidence=("memory_protocol",),
    ),
    Scenario(
        "In der Notunterkunft wurde der Familie ein Zimmer im Keller zugewiesen, während andere "
        "Familien oben untergebracht wurden. Das Personal sprach abfällig über „die Roma“.",
        ("ethnic_origin",),
        who=("roma", "family"),
        lebensbereich="shelter",
        form="harassment",
        ebene="institutional",
        respondent=None,
        evidence=("witnesses",),
    ),
    Scenario(
        "Der Vermieter beendete das Telefonat, als die Person mit Akzent sprach, und sagte, er "
        "brauche Mieter, „mit denen man reden kann“.",
        ("language", "ethnic_origin"),
        who=("migrant",),
        respondent="landlord",
        evidence=("memory_protocol",),
    ),
    Scenario(
        "Eine blinde Interessentin wurde wegen ihres Blindenführhunds abgelehnt, obwohl die "
        "Anzeige Haustiere ausdrücklich erlaubte.",
        ("disability",),
        who=("f",),
        respondent="private",
        evidence=("ad", "emails"),
    ),
    Scenario(
        "Nachdem die Hausverwaltung von der psychischen Erkrankung des Mieters erfahren hatte, "
        "drohte sie mit Kündigung und informierte Nachbarn über seine Diagnose.",
        ("disability",),
        who=("m",),
        lebensbereich="tenancy",
        form="harassment",
        respondent="verwaltung",
        evidence=("emails", "witnesses"),
        restricted=True,
    ),
    Scenario(
        "Weil die Meldeadresse eine Obdachlosenunterkunft ist, wurde die Bewerbung ohne Prüfung "
        "aussortiert.",
        ("homelessness", "social_status"),
        form="indirect",
        respondent="company",
        evidence=("emails",),
    ),
    Scenario(
        "Auf zwölf Anfragen auf Englisch über {verursacher} erhielt die internationale Studentin "
        "keine Antwort; auf dieselben Anfragen auf Deutsch und mit deutschem Namen antworteten "
        "fünf Vermietende.",
        ("language", "ethnic_origin"),
        who=("f", "student"),
        respondent="portal",
        evidence=("testing", "photos"),
    ),
    Scenario(
        "Eine Nachbarin beschwert sich regelmäßig über „Essensgerüche“ und das Gebet der Familie "
        "und hat angekündigt, „dafür zu sorgen, dass die ausziehen“.",
        ("religion", "ethnic_origin"),
        who=("muslim", "family"),
        lebensbereich="neighbourhood",
        form="harassment",
        respondent=None,
        neighbour="Nachbarin",
        evidence=("witnesses",),
        case_type=CaseType.MEDIATION,
        party="Nachbarin Erdgeschoss",
    ),
    Scenario(
        "Der Makler fragte bei der Besichtigung in {bezirk}, ob „noch mehr Leute aus Afrika“ "
        "einziehen würden, und beendete den Termin nach fünf Minuten.",
        ("ethnic_origin",),
        who=("black",),
        respondent="makler",
        evidence=("memory_protocol",),
    ),
    Scenario(
        "Die Person fragte, ob Vermietende nach der Staatsangehörigkeit fragen dürfen. Sie wurde "
        "über das AGG und die Frist von zwei Monaten informiert.",
        ("nationality",),
        who=("migrant",),
        respondent=None,
        case_type=CaseType.SHORT,
    ),
    Scenario(
        "Absage nach Angabe des Herkunftslandes in der Online-Bewerbung. Die Person meldete sich "
        "erst nach Ablauf der Zweimonatsfrist.",
        ("ethnic_origin",),
        who=("migrant",),
        respondent="portal",
        evidence=("photos",),
        case_type=CaseType.SHORT,
        closing="deadline_passed",
        days_before=(75, 150),
    ),
    Scenario(
        "Der Vermieter sagte, er vermiete gern an Geflüchtete aus der Ukraine, „aber nicht an "
        "Roma“, und lehnte die Familie nach der Besichtigung ab.",
        ("ethnic_origin",),
        who=("roma", "family"),
        respondent="landlord",
        evidence=("memory_protocol", "witnesses"),
    ),
    Scenario(
        "Trotz Wohnberechtigungsschein wurde die Familie bei der Vergabe geförderter Wohnungen "
        "mehrfach übergangen; nachrangige Bewerbende ohne Migrationsgeschichte erhielten Zusagen.",
        ("ethnic_origin",),
        who=("migrant", "family"),
        lebensbereich="allocation",
        ebene="institutional",
        respondent="company",
        evidence=("emails",),
    ),
    Scenario(
        "Der Hausmeister spricht die Mieterin wiederholt abfällig auf ihr Kopftuch an und "
        "betritt die Wohnung ohne Ankündigung.",
        ("religion", "gender"),
        who=("f", "muslim"),
        lebensbereich="tenancy",
        form="harassment",
        respondent="company",
        evidence=("memory_protocol",),
        follow_up="Der Hausmeister stand erneut unangekündigt in der Wohnung und drohte mit "
        "„Konsequenzen“, falls sie sich weiter beschwere.",
    ),
    Scenario(
        "Die Vermieterin kündigte der Familie wegen „Kinderlärms“ und schrieb, sie hätte „bei "
        "fünf Kindern gleich wissen müssen, wie das wird“.",
        ("family_size",),
        who=("large_family",),
        lebensbereich="tenancy",
        respondent="landlady",
        evidence=("emails",),
    ),
    Scenario(
        "Ein Nachbar macht Affenlaute, wenn der Sohn der Familie im Hof spielt, und hat die "
        "Familie beim Vermieter wegen angeblichen Lärms angeschwärzt.",
        ("ethnic_origin",),
        who=("black", "family"),
        lebensbereich="neighbourhood",
        form="harassment",
        respondent=None,
        neighbour="Nachbar",
        evidence=("witnesses", "memory_protocol"),
        case_type=CaseType.MEDIATION,
        party="Nachbarhaushalt Nebenhaus",
    ),
    Scenario(
        "Die Vermieterin untersagt der Familie, Verwandte zu Besuch zu haben, und droht mit "
        "Abmahnung, weil „ständig fremde Leute“ im Haus seien.",
        ("ethnic_origin", "family_size"),
        who=("migrant", "family"),
        lebensbereich="tenancy",
        form="harassment",
        respondent="landlady",
        evidence=("emails",),
        case_type=CaseType.MEDIATION,
        party="Vermieterin",
    ),
    Scenario(
        "Die Person wollte wissen, ob ein Vermieter ein Foto zur Bewerbung verlangen darf. "
        "Beratung zur Rechtslage; Hinweis auf die Möglichkeit eines Testings.",
        ("ethnic_origin",),
        who=("migrant",),
        respondent=None,
        case_type=CaseType.SHORT,
    ),
]


@dataclass(frozen=True)
class PersonSpec:
    first: str
    last: str
    tags: str  # "f"/"m", "german" or "migrant", and "muslim", "black", "roma", "student"
    language: str = ""  # preferred language, if not German
    household: int | None = None
    age: int | None = None

    def has(self, tags: tuple[str, ...]) -> bool:
        own = set(self.tags.split())
        if self.household and self.household >= 3:
            own.add("family")
        if self.household and self.household >= 5:
            own.add("large_family")
        if self.age and self.age >= 65:
            own.add("older")
        return own.issuperset(tags)


PEOPLE = [
    PersonSpec("Ayşe", "Yılmaz", "f migrant muslim", "tr", 4),
    PersonSpec("Mehmet", "Kaya", "m migrant muslim", "", 3),
    PersonSpec("Fatima", "El-Amrani", "f migrant muslim", "ar", 5),
    PersonSpec("Kwame", "Mensah", "m migrant black", "en", 2),
    PersonSpec("Olena", "Kovalenko", "f migrant", "uk", 3),
    PersonSpec("Dragan", "Petrović", "m migrant", "", 2),
    PersonSpec("Amina", "Hassan", "f migrant muslim black", "so", 6),
    PersonSpec("Thi Lan", "Nguyen", "f migrant", "", 3),
    PersonSpec("Giorgos", "Papadopoulos", "m migrant", "", 1),
    PersonSpec("Ana-Maria", "Popescu", "f migrant roma", "ro", 4),
    PersonSpec("Tomasz", "Wiśniewski", "m migrant", "pl", 2),
    PersonSpec("Chidi", "Okafor", "m migrant black student", "en", 1),
    PersonSpec("Leyla", "Aslan", "f migrant muslim", "", 3),
    PersonSpec("Raúl", "Fernández", "m migrant", "es", 2),
    PersonSpec("Sandra", "Möller", "f german", "", 1),
    PersonSpec("Peter", "Krause", "m german", "", 1, 71),
    PersonSpec("Reza", "Ahmadi", "m migrant muslim", "fa", 4),
    PersonSpec("Zeynep", "Öztürk", "f migrant muslim", "", 2),
    PersonSpec("Yusuf", "Demirci", "m migrant muslim", "tr", 5),
    PersonSpec("Mariam", "Touré", "f migrant black muslim student", "fr", 1),
    PersonSpec("Svetlana", "Ivanova", "f migrant", "ru", 2),
    PersonSpec("Ahmad", "Rahimi", "m migrant muslim", "fa", 1),
    PersonSpec("Nadia", "Benali", "f migrant muslim", "", 4),
    PersonSpec("Emre", "Şahin", "m migrant", "", 2),
    PersonSpec("Julia", "Brandt", "f german", "", 1),
    PersonSpec("Aisha", "Mohammed", "f migrant black muslim", "so", 7),
    PersonSpec("Bogdan", "Lungu", "m migrant roma", "ro", 3),
    PersonSpec("Elif", "Koç", "f migrant muslim", "", 2),
    PersonSpec("Hassan", "Barakat", "m migrant muslim", "ar", 5),
    PersonSpec("Grace", "Boateng", "f migrant black", "en", 3),
    PersonSpec("Milica", "Jovanović", "f migrant", "", 2),
    PersonSpec("Kofi", "Asante", "m migrant black", "en", 1),
    PersonSpec("Hanna", "Berisha", "f migrant muslim", "sq", 4),
    PersonSpec("Samuel", "Tesfaye", "m migrant black", "ti", 2),
    PersonSpec("Dilan", "Aydın", "f migrant", "ku", 3),
    PersonSpec("Marek", "Nowicki", "m migrant", "pl", 1),
    PersonSpec("Linh", "Tran", "f migrant student", "vi", 1),
    PersonSpec("Ibrahim", "Diallo", "m migrant black muslim", "fr", 6),
    PersonSpec("Katarina", "Horvat", "f migrant", "", 2),
    PersonSpec("Omar", "Haidari", "m migrant muslim", "fa", 4),
    PersonSpec("Rosa", "Moreno", "f migrant", "es", 3),
    PersonSpec("Jonas", "Hartmann", "m german", "", 2),
    PersonSpec("Esra", "Güneş", "f migrant muslim", "", 3),
    PersonSpec("Viktor", "Bondarenko", "m migrant", "uk", 2),
    PersonSpec("Fadumo", "Ali", "f migrant black muslim", "so", 5),
    PersonSpec("Deniz", "Arslan", "m migrant", "", 1),
    PersonSpec("Ngozi", "Eze", "f migrant black student", "en", 1),
    PersonSpec("Bilal", "Yousef", "m migrant muslim", "ar", 3),
    PersonSpec("Irina", "Popa", "f migrant roma", "ro", 5),
    PersonSpec("Stefan", "Lange", "m german", "", 1),
    PersonSpec("Selin", "Çelik", "f migrant muslim", "", 2),
    PersonSpec("Abdi", "Warsame", "m migrant black muslim", "so", 5),
    PersonSpec("Maja", "Kowalska", "f migrant", "pl", 3),
    PersonSpec("Tariq", "Nasser", "m migrant muslim", "ar", 4),
    PersonSpec("Helga", "Winkler", "f german", "", 1, 68),
    PersonSpec("Arben", "Krasniqi", "m migrant muslim", "sq", 6),
    PersonSpec("Lucía", "Ortega", "f migrant student", "es", 1),
    PersonSpec("Can", "Yıldız", "m migrant", "", 3),
    PersonSpec("Merve", "Doğan", "f migrant muslim", "tr", 4),
    PersonSpec("Yaw", "Owusu", "m migrant black", "en", 2),
    PersonSpec("Günter", "Schäfer", "m german", "", 2, 74),
    PersonSpec("Hüseyin", "Aydemir", "m migrant muslim", "tr", 2, 69),
    PersonSpec("Ruslan", "Balog", "m migrant roma", "uk", 5),
    PersonSpec("Marija", "Stojanović", "f migrant roma", "sr", 6),
]

# Languages in which the office counsels itself; others need interpreting.
COUNSELLED_LANGUAGES = {"de", "en", "tr"}

NOTES = [
    "Gedächtnisprotokoll mit der ratsuchenden Person erstellt; Screenshots der Anzeige gesichert.",
    "Beschwerdebrief an die Verursachenden versandt, Frist zur Stellungnahme zwei Wochen.",
    "Rückruf vereinbart. Die Person möchte zunächst überlegen, ob sie weitere Schritte geht.",
    "Stellungnahme eingegangen: Die Vorwürfe werden bestritten, ein Gespräch wird angeboten.",
    "Gemeinsames Gespräch mit der Hausverwaltung und der Mieterin geführt; Protokoll abgelegt.",
    "Kontakt zu einer Fachanwältin hergestellt, Beratungshilfeschein beantragt.",
    "Person telefonisch nicht erreichbar; Brief mit der Bitte um Rückmeldung versandt.",
    "Testing mit zwei Testpersonen vorbereitet, Profile und Anschreiben abgestimmt.",
    "Dolmetscherin für das nächste Gespräch angefragt.",
]

CHANNELS = [
    ("walk_in", 5),
    ("telephone", 5),
    ("email", 3),
    ("web_report", 2),
    ("referral", 2),
    ("outreach", 1),
]

# (closing reason, outcome or None, weight); counselling and mediation cases
CLOSINGS = [
    ("resolved", "apology", 3),
    ("resolved", "flat_obtained", 2),
    ("resolved", "statement_received", 4),
    ("resolved", "settlement", 2),
    ("resolved", "compensation", 1),
    ("person_ended", "no_result", 2),
    ("no_contact", "dropped", 2),
    ("referred", None, 1),
    ("deadline_passed", "no_result", 1),
    ("not_discrimination", "no_result", 1),
]
SHORT_CLOSINGS = [("resolved", None, 3), ("referred", None, 1), ("deadline_passed", None, 1)]


@dataclass
class _Context:
    organisation: Organisation
    counsellor: User
    lead: User | None
    rng: random.Random
    today: date
    districts: list[District]
    used_people: set[PersonSpec]  # shared by both offices, so that names rarely repeat
    respondents: dict[str, list[tuple[Respondent, int]]] = field(default_factory=dict)
    terms: dict[tuple[str, str], Term] = field(default_factory=dict)

    def term(self, vocabulary: str, code: str) -> Term:
        key = (vocabulary, code)
        if key not in self.terms:
            self.terms[key] = Term.objects.get(vocabulary=vocabulary, code=code)
        return self.terms[key]


def load() -> None:
    """Create the demo case files of PL and BO unless those offices have cases already."""
    used_people: set[PersonSpec] = set()
    for code in ("PL", "BO"):
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            continue
        with transaction.atomic():
            districts = _ensure_districts(organisation, DISTRICTS[code])
            if Case.objects.of_organisation(organisation).exists():
                continue
            counsellor_email, lead_email = STAFF[code]
            counsellor = User.objects.filter(email=counsellor_email).first()
            if counsellor is None:
                continue
            lead = User.objects.filter(email=lead_email).first() if lead_email else None
            context = _Context(
                organisation=organisation,
                counsellor=counsellor,
                lead=lead,
                rng=random.Random(f"wohnfair-demo-{code}"),  # noqa: S311 (demo content)
                today=timezone.localdate(),
                districts=districts,
                used_people=used_people,
            )
            _ensure_respondents(context, RESPONDENTS[code])
            _create_cases(context, CASE_COUNTS[code])


def _ensure_districts(organisation: Organisation, names: list[str]) -> list[District]:
    return [
        District.objects.get_or_create(organisation=organisation, name=name)[0] for name in names
    ]


def _ensure_respondents(context: _Context, groups: dict[str, list[RespondentSpec]]) -> None:
    existing = {
        respondent.name: respondent
        for respondent in Respondent.objects.of_organisation(context.organisation)
    }
    for group, specs in groups.items():
        for spec in specs:
            respondent = existing.get(spec.name)
            if respondent is None:
                respondent = services.create_respondent(
                    context.organisation,
                    by=context.counsellor,
                    kind=context.term("verursachende", spec.kind),
                    name=spec.name,
                    address=spec.address,
                    flats_count=spec.flats_count,
                )
            context.respondents.setdefault(group, []).append((respondent, spec.weight))


def _pick_respondent(context: _Context, group: str | None) -> Respondent | None:
    if group is None:
        return None
    candidates = [
        candidate
        for name in GROUP_ALIASES.get(group, (group,))
        for candidate in context.respondents.get(name, [])
    ] or context.respondents["company"]
    respondents, weights = zip(*candidates, strict=True)
    return context.rng.choices(respondents, weights=weights)[0]


def _neighbour(context: _Context, label: str, district: District) -> tuple[Respondent, str]:
    """A neighbour is a new respondent in each case: (respondent, surname)."""
    surname = context.rng.choice(NEIGHBOUR_SURNAMES)
    title = "Frau" if label.endswith("in") else "Herr"
    respondent = services.create_respondent(
        context.organisation,
        by=context.counsellor,
        kind=context.term("verursachende", "neighbour"),
        name=f"{label} {title} {surname} ({district.name})",
        address=district.name,
    )
    return respondent, surname


def _pick_person(context: _Context, scenario: Scenario) -> PersonSpec:
    """A person who fits the scenario, preferably one not used yet."""
    fitting = [person for person in PEOPLE if person.has(scenario.who)] or PEOPLE
    fresh = [person for person in fitting if person not in context.used_people]
    person = context.rng.choice(fresh or fitting)
    context.used_people.add(person)
    return person


TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(TRANSLITERATION))
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def _contact(person: PersonSpec, rng: random.Random) -> tuple[str, str]:
    email = ""
    if rng.random() < 0.75:
        email = f"{_ascii(person.first.split()[0])}.{_ascii(person.last)}@post.example"
    # Only "drama numbers", which the Bundesnetzagentur never assigns to anyone.
    phone = ""
    if not email or rng.random() < 0.6:
        prefix = rng.choice(["0221 4710", "0221 4710", "030 23125", "069 90009", "040 66969"])
        phone = f"{prefix} {rng.randrange(0, 1000):03d}"
    return email, phone


def _create_cases(context: _Context, count: int) -> None:
    rng = context.rng
    scenarios = SCENARIOS.copy()
    rng.shuffle(scenarios)
    plan = (scenarios * (count // len(scenarios) + 1))[:count]
    rng.shuffle(plan)
    # First contacts across the last two years, numbered in date order.
    # Offices grow: recent months bring more cases than the first ones.
    days = sorted(int(730 * rng.random() ** 1.3) for _ in range(count))
    contacts = [context.today - timedelta(days=ago) for ago in reversed(days)]
    for scenario, first_contact in zip(plan, contacts, strict=True):
        _create_case(context, scenario, _pick_person(context, scenario), first_contact)


def _create_case(
    context: _Context, scenario: Scenario, person: PersonSpec, first_contact: date
) -> Case:
    rng, today = context.rng, context.today
    channels, weights = zip(*CHANNELS, strict=True)
    channel = rng.choices(channels, weights=weights)[0]
    language = person.language or "de"
    interpreter = language not in COUNSELLED_LANGUAGES and rng.random() < 0.7
    case_type = scenario.case_type
    if case_type == CaseType.COUNSELLING and rng.random() < 0.1:
        case_type = CaseType.SHORT
    elif (
        case_type == CaseType.COUNSELLING
        and scenario.lebensbereich == "tenancy"
        and rng.random() < 0.3
    ):
        case_type = CaseType.MEDIATION
    restricted = scenario.restricted or rng.random() < 0.02
    opened_by = context.counsellor
    counsellors = [context.counsellor]
    if context.lead is not None and not restricted and rng.random() < 0.2:
        if rng.random() < 0.5:
            opened_by = context.lead
            counsellors = [context.lead]
        else:
            counsellors.append(context.lead)
    who_came = WhoCame.AFFECTED
    if rng.random() < 0.12:
        who_came = rng.choice([WhoCame.PROXY, WhoCame.WITNESS])

    district = rng.choice(context.districts)
    party_name = ""
    if scenario.neighbour:
        respondent, surname = _neighbour(context, scenario.neighbour, district)
        party_name = f"Haushalt {surname}"
    else:
        respondent = _pick_respondent(context, scenario.respondent)
        party_name = respondent.name if respondent else ""
    description = scenario.text.format(
        bezirk=district.name,
        nachname=person.last,
        verursacher=respondent.name if respondent else "",
        alter=person.age or 70,
    )
    incident_date = first_contact - timedelta(days=rng.randint(*scenario.days_before))
    email, phone = _contact(person, rng)
    consents = ["counselling"]
    if rng.random() < 0.85:
        consents.append("statistics")
    if rng.random() < 0.1:
        consents.append("publication")

    case = services.open_case(
        organisation=context.organisation,
        opened_by=opened_by,
        case_type=case_type,
        first_contact=first_contact,
        channel=context.term("channel", channel),
        language=language,
        interpreter_needed=interpreter,
        who_came=who_came,
        restricted=restricted,
        counsellors=counsellors,
        person=services.PersonData(
            name=f"{person.first} {person.last}",
            email=email,
            phone=phone,
            preferred_language=language if language != "de" else "",
            household_size=person.household,
        ),
        incident=services.IncidentData(
            date=incident_date,
            date_is_approximate=rng.random() < 0.15,
            lebensbereich=context.term("lebensbereich", scenario.lebensbereich),
            merkmale=[context.term("merkmal", code) for code in scenario.merkmale],
            description=description,
            district=district,
            form=context.term("form", scenario.form),
            ebene=context.term("ebene", scenario.ebene),
            respondent=respondent,
            evidence=[context.term("evidence", code) for code in scenario.evidence],
        ),
        consents=consents,
    )
    if case_type == CaseType.MEDIATION and party_name:
        services.add_person(
            case,
            services.PersonData(
                name=party_name,
                role=PersonRole.PARTY,
                party_role=scenario.party or "Vermieterseite",
            ),
            by=opened_by,
        )
    age = (today - first_contact).days
    if scenario.follow_up and age > 30:
        services.add_incident(
            case,
            services.IncidentData(
                date=min(first_contact + timedelta(days=rng.randint(10, 30)), today),
                lebensbereich=context.term("lebensbereich", scenario.lebensbereich),
                merkmale=[context.term("merkmal", code) for code in scenario.merkmale],
                description=scenario.follow_up,
                district=district,
                form=context.term("form", scenario.form),
                ebene=context.term("ebene", scenario.ebene),
                respondent=respondent,
            ),
            by=opened_by,
        )
    if case_type != CaseType.SHORT and rng.random() < 0.4:
        for text in rng.sample(NOTES, rng.randint(1, 2)):
            services.add_note(case, text, by=opened_by)
    _advance(context, case, age, opened_by, scenario.closing)
    return case


def _advance(context: _Context, case: Case, age: int, by: User, closing: str) -> None:
    """Move the case on as its age suggests: short ones close at once, old ones mostly too."""
    rng = context.rng
    if case.case_type == CaseType.SHORT:
        if age >= 3:
            _close(context, case, SHORT_CLOSINGS, rng.randint(0, min(age, 7)), by, closing)
        return
    roll = rng.random()
    if age > 365:
        target = CaseStatus.CLOSED if roll < 0.9 else CaseStatus.WAITING
    elif age > 180:
        target = CaseStatus.CLOSED if roll < 0.6 else CaseStatus.IN_PROGRESS
    elif age > 60:
        target = (
            CaseStatus.CLOSED
            if roll < 0.25
            else CaseStatus.IN_PROGRESS
            if roll < 0.7
            else CaseStatus.WAITING
        )
    elif age > 30:
        target = CaseStatus.IN_PROGRESS if roll < 0.7 else CaseStatus.WAITING
    else:
        target = CaseStatus.OPEN if roll < 0.7 else CaseStatus.IN_PROGRESS
    if target == CaseStatus.OPEN:
        return
    services.change_status(case, CaseStatus.IN_PROGRESS, by=by)
    if target == CaseStatus.WAITING:
        services.change_status(case, CaseStatus.WAITING, by=by)
    elif target == CaseStatus.CLOSED:
        _close(context, case, CLOSINGS, rng.randint(21, min(age, 240)), by, closing)


def _close(
    context: _Context,
    case: Case,
    closings: list[tuple[str, str | None, int]],
    after_days: int,
    by: User,
    closing: str = "",
) -> None:
    rng = context.rng
    reason, outcome, _ = rng.choices(closings, weights=[weight for *_, weight in closings])[0]
    if closing:
        reason = closing
        outcome = "no_result" if case.case_type != CaseType.SHORT else None
    services.close_case(
        case,
        closing_reason=context.term("closing_reason", reason),
        outcome=context.term("outcome", outcome) if outcome else None,
        closed_on=min(case.first_contact + timedelta(days=after_days), context.today),
        satisfaction=rng.randint(3, 5) if rng.random() < 0.5 else None,
        by=by,
    )
