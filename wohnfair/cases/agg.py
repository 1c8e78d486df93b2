"""The guided AGG check: a pure function from a counsellor's answers to an assessment.

An aid for qualified anti-discrimination counselling, not legal advice. The
rules follow the Allgemeines Gleichbehandlungsgesetz (AGG) for private-law
housing:

- The AGG binds private parties only. State bodies are bound by Art. 3 GG and,
  where it exists, by a state anti-discrimination law (Berlin: LADG); other
  routes apply (complaint to the supervisory authority, petition,
  administrative court).
- § 19 Abs. 2: race and ethnic origin are protected against every landlord,
  whatever the number of flats (with § 2 Abs. 1 Nr. 8).
- § 19 Abs. 1 Nr. 1 with Abs. 5 Satz 3: for the other grounds of § 1 (sex,
  religion, disability, age, sexual identity) letting is usually a mass
  business only for landlords with more than 50 flats.
- § 19 Abs. 5 Satz 1 and 2: no protection for those other grounds where a
  special close relationship exists, for example on the same plot.
- § 19 Abs. 3 (socially stable resident structures) and § 20 (objective
  justification; never for ethnic origin) are objections the other side may
  raise; they are recorded as notes, not decided here.
- § 21: removal and injunction (Abs. 1), damages (Abs. 2 Satz 1), compensation
  for non-material harm (Abs. 2 Satz 3); asserted within two months (Abs. 5).
- § 22: circumstantial evidence shifts the burden of proof.

``assess`` has no side effects and needs no database. Every text it returns is
a German msgid marked for translation: ``to_dict`` stores the msgids, and
templates translate them when they show a stored result, so that an
assessment reads in the viewer's language and never changes after it was saved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from wohnfair.cases.vocabularies import SEED

RULES_VERSION = 1

YES, NO, UNKNOWN = "yes", "no", "unknown"
TRISTATE = (YES, NO, UNKNOWN)

# Overall and per-ground status.
APPLIES = "applies"
NOT_APPLICABLE = "not_applicable"
UNCLEAR = "unclear"
STATE_BODY = "state_body"

# Claim status: "possible" when a ground applies, "open" when it depends on open questions.
POSSIBLE = "possible"
OPEN = "open"

ETHNIC_ORIGIN = "ethnic_origin"
# The grounds of § 1 AGG as codes of the Merkmal vocabulary.
AGG_GROUNDS = frozenset(
    {ETHNIC_ORIGIN, "religion", "disability", "age", "gender", "sexual_identity"}
)
# § 20 Abs. 1 AGG: an objective reason may justify a difference in treatment on these grounds.
JUSTIFIABLE_GROUNDS = frozenset({"religion", "disability", "age", "gender", "sexual_identity"})
# Not grounds of the AGG, but a difference by them may be indirect ethnic discrimination.
INDIRECT_ETHNIC_GROUNDS = frozenset({"nationality", "residence_status", "language"})

GROUND_LABELS: dict[str, str] = {code: label for code, label, _ in SEED["merkmal"]}
EVIDENCE_LABELS: dict[str, str] = {code: label for code, label, _ in SEED["evidence"]}

ANSWER_KEYS = (
    "state_body",
    "grounds",
    "mass_business",
    "close_relationship",
    "objection_19_3",
    "objection_20",
    "evidence",
)


@dataclass(frozen=True)
class Note:
    code: str
    legal_basis: str
    text: str


@dataclass(frozen=True)
class GroundResult:
    code: str
    label: str
    is_agg_ground: bool
    status: str
    legal_basis: str
    reason: str
    justification_possible: bool


@dataclass(frozen=True)
class Claim:
    code: str
    label: str
    legal_basis: str
    note: str
    status: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceItem:
    code: str
    label: str
    note: str


@dataclass(frozen=True)
class AggAnswers:
    """The answers of the guided check, validated and normalised."""

    state_body: bool = False
    grounds: tuple[str, ...] = ()
    mass_business: str = UNKNOWN
    close_relationship: str = NO
    objection_19_3: bool = False
    objection_20: bool = False
    evidence: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, answers: dict[str, Any]) -> AggAnswers:
        """Validate ``answers``; unknown keys or values raise ``ValueError``."""
        if not isinstance(answers, dict):
            raise ValueError("answers must be a dict")
        unknown = set(answers) - set(ANSWER_KEYS)
        if unknown:
            raise ValueError(f"unknown answers: {sorted(unknown)}")
        return cls(
            state_body=_boolean(answers.get("state_body", False), "state_body"),
            grounds=_codes(answers.get("grounds", ()), "grounds"),
            mass_business=_tristate(answers.get("mass_business", UNKNOWN), "mass_business"),
            close_relationship=_tristate(
                answers.get("close_relationship", NO), "close_relationship"
            ),
            objection_19_3=_boolean(answers.get("objection_19_3", False), "objection_19_3"),
            objection_20=_boolean(answers.get("objection_20", False), "objection_20"),
            evidence=_codes(answers.get("evidence", ()), "evidence"),
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["grounds"] = list(self.grounds)
        data["evidence"] = list(self.evidence)
        return data


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"{name} must be true or false")


def _tristate(value: Any, name: str) -> str:
    if value is True:
        return YES
    if value is False:
        return NO
    if value is None:
        return UNKNOWN
    if value in TRISTATE:
        return str(value)
    raise ValueError(f"{name} must be one of {TRISTATE}")


def _codes(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(f"{name} must be a list of codes")
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or not code:
            raise ValueError(f"{name} must be a list of codes")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


@dataclass(frozen=True)
class AggResult:
    """What the answers mean under the AGG; texts are German msgids (see module docstring)."""

    status: str
    summary: str
    grounds: tuple[GroundResult, ...]
    claims: tuple[Claim, ...]
    evidence: tuple[EvidenceItem, ...]
    burden_of_proof_shift: bool
    evidence_note: str
    objections: tuple[Note, ...]
    other_routes: tuple[Note, ...]
    hints: tuple[Note, ...]
    deadline: Note | None
    answers: AggAnswers = field(default_factory=AggAnswers)
    version: int = RULES_VERSION

    @property
    def applies(self) -> bool:
        return self.status == APPLIES

    def ground(self, code: str) -> GroundResult | None:
        return next((ground for ground in self.grounds if ground.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (lists instead of tuples), stored with the assessment."""
        return _plain(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AggResult:
        deadline = data.get("deadline")
        return cls(
            status=data["status"],
            summary=data["summary"],
            grounds=tuple(GroundResult(**ground) for ground in data.get("grounds", [])),
            claims=tuple(
                Claim(**{**claim, "evidence": tuple(claim.get("evidence", ()))})
                for claim in data.get("claims", [])
            ),
            evidence=tuple(EvidenceItem(**item) for item in data.get("evidence", [])),
            burden_of_proof_shift=data["burden_of_proof_shift"],
            evidence_note=data["evidence_note"],
            objections=tuple(Note(**note) for note in data.get("objections", [])),
            other_routes=tuple(Note(**note) for note in data.get("other_routes", [])),
            hints=tuple(Note(**note) for note in data.get("hints", [])),
            deadline=Note(**deadline) if deadline else None,
            answers=AggAnswers.from_dict(data.get("answers", {})),
            version=data.get("version", RULES_VERSION),
        )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# Texts ---------------------------------------------------------------------------------

SUMMARIES = {
    STATE_BODY: gettext_noop(
        "Staatliche Stelle: Das AGG gilt nicht. Andere Wege kommen in Betracht; "
        "der Vorfall wird trotzdem dokumentiert."
    ),
    APPLIES: gettext_noop(
        "Das AGG ist für mindestens ein Merkmal anwendbar. Ansprüche nach § 21 AGG "
        "kommen in Betracht."
    ),
    UNCLEAR: gettext_noop(
        "Ob das AGG anwendbar ist, hängt von offenen Fragen ab (siehe Merkmale). "
        "Ansprüche kommen in Betracht, wenn sie geklärt sind."
    ),
    NOT_APPLICABLE: gettext_noop(
        "Nach diesen Angaben greift der zivilrechtliche Schutz des AGG nicht. Andere "
        "Wege wie Beschwerde, Vermittlung oder Öffentlichkeitsarbeit bleiben möglich."
    ),
}

NO_GROUND_HINT = Note(
    "no_ground",
    "§ 1 AGG",
    gettext_noop(
        "Es ist kein Merkmal angegeben. Bitte klären, woran die Benachteiligung anknüpft."
    ),
)

REASON_STATE_BODY = gettext_noop(
    "Das AGG gilt nur zwischen Privaten; staatliche Stellen sind an Art. 3 GG und, wo es "
    "eines gibt, an ein Landesantidiskriminierungsgesetz gebunden."
)
REASON_NOT_AGG = gettext_noop(
    "Kein Merkmal des § 1 AGG. Der Vorfall wird dokumentiert; das AGG schützt davor "
    "nicht unmittelbar."
)
REASON_NOT_AGG_INDIRECT = gettext_noop(
    "Kein Merkmal des § 1 AGG. Eine Benachteiligung daran kann aber eine mittelbare "
    "Benachteiligung wegen der ethnischen Herkunft sein (§ 3 Abs. 2 AGG); dann diese "
    "zusätzlich angeben."
)
REASON_ETHNIC = gettext_noop(
    "Schutz vor rassistischer Benachteiligung und Benachteiligung wegen der ethnischen "
    "Herkunft gilt gegenüber allen Vermietenden, unabhängig von der Zahl ihrer Wohnungen."
)
REASON_CLOSE = gettext_noop(
    "Besonderes Nähe- oder Vertrauensverhältnis, etwa Wohnen auf demselben Grundstück: "
    "Für dieses Merkmal gilt der zivilrechtliche Schutz hier nicht."
)
REASON_CLOSE_OPEN = gettext_noop(
    "Offen: ob ein besonderes Nähe- oder Vertrauensverhältnis besteht, etwa Wohnen auf "
    "demselben Grundstück. Wenn ja, greift der Schutz für dieses Merkmal nicht."
)
REASON_MASS = gettext_noop(
    "Die Vermieterseite vermietet mehr als 50 Wohnungen: Die Vermietung ist ein "
    "Massengeschäft, das Merkmal ist geschützt."
)
REASON_SMALL = gettext_noop(
    "Vermietende mit insgesamt höchstens 50 Wohnungen: Die Vermietung ist in der Regel "
    "kein Massengeschäft, der Schutz für dieses Merkmal greift dann in der Regel nicht. "
    "Ausnahmen im Einzelfall prüfen."
)
REASON_MASS_OPEN = gettext_noop(
    "Offen: ob die Vermieterseite insgesamt mehr als 50 Wohnungen vermietet. Die Zahl "
    "klären, etwa über Website, Geschäftsbericht, Handelsregister oder Nachfrage."
)

BASIS_STATE = "Art. 3 GG"
BASIS_NOT_AGG = "§ 1 AGG"
BASIS_INDIRECT = "§ 3 Abs. 2 AGG"
BASIS_ETHNIC = "§ 19 Abs. 2 i. V. m. § 2 Abs. 1 Nr. 8 AGG"
BASIS_CLOSE = "§ 19 Abs. 5 Satz 1 und 2 AGG"
BASIS_MASS = "§ 19 Abs. 1 Nr. 1 AGG"
BASIS_SMALL = "§ 19 Abs. 1 Nr. 1, Abs. 5 Satz 3 AGG"

WORLDVIEW_HINT = Note(
    "worldview",
    "§ 19 Abs. 1 AGG",
    gettext_noop(
        "Im Zivilrecht schützt das AGG die Religion, nicht aber die Weltanschauung. "
        "Bei einer Benachteiligung wegen einer Weltanschauung greift es nicht."
    ),
)
MUNICIPAL_HINT = Note(
    "municipal_company",
    "§ 19 AGG",
    gettext_noop(
        "Kommunale Wohnungsunternehmen in privater Rechtsform (GmbH, AG) und "
        "Genossenschaften sind keine Behörden: Für sie gilt das AGG."
    ),
)

OTHER_ROUTES = (
    Note(
        "supervisory_complaint",
        "",
        gettext_noop(
            "Dienst- oder Fachaufsichtsbeschwerde bei der vorgesetzten Stelle der Behörde."
        ),
    ),
    Note(
        "petition",
        "Art. 17 GG",
        gettext_noop("Petition an den Petitionsausschuss des Landtags oder des Bundestags."),
    ),
    Note(
        "administrative_court",
        "Art. 3 GG, VwGO",
        gettext_noop(
            "Widerspruch und Klage vor dem Verwaltungsgericht: Behörden sind an den "
            "Gleichheitssatz und die Diskriminierungsverbote des Art. 3 GG gebunden. "
            "Fristen des Verwaltungsverfahrens beachten."
        ),
    ),
    Note(
        "state_law",
        "LADG Berlin",
        gettext_noop(
            "Landesantidiskriminierungsgesetz, wo es eines gibt: etwa in Berlin das LADG "
            "mit eigenem Anspruch auf Schadensersatz und Entschädigung und einer Ombudsstelle."
        ),
    ),
    Note(
        "document",
        "",
        gettext_noop(
            "Den Vorfall trotzdem vollständig dokumentieren: Benachteiligung durch "
            "staatliche Stellen wird in der Statistik gezählt."
        ),
    ),
)

CLAIMS = (
    (
        "removal",
        gettext_noop("Beseitigung der Beeinträchtigung"),
        "§ 21 Abs. 1 Satz 1 AGG",
        gettext_noop(
            "Die Benachteiligung und ihre Folgen sollen beseitigt werden. Ob daraus ein "
            "Anspruch auf Abschluss des Mietvertrags folgt, ist umstritten; ist die "
            "Wohnung vergeben, bleibt meist die Entschädigung."
        ),
    ),
    (
        "injunction",
        gettext_noop("Unterlassung"),
        "§ 21 Abs. 1 Satz 2 AGG",
        gettext_noop(
            "Wenn weitere Beeinträchtigungen zu befürchten sind, etwa weil die Anzeige "
            "weiter erscheint oder die Praxis fortgesetzt wird."
        ),
    ),
    (
        "damages",
        gettext_noop("Schadensersatz (Vermögensschaden)"),
        "§ 21 Abs. 2 Satz 1 und 2 AGG",
        gettext_noop(
            "Ersatz des materiellen Schadens, etwa höhere Miete, Umzugs- oder Fahrtkosten; "
            "Belege sammeln. Entfällt, wenn die Gegenseite die Pflichtverletzung nicht zu "
            "vertreten hat."
        ),
    ),
    (
        "compensation",
        gettext_noop("Entschädigung (immaterieller Schaden)"),
        "§ 21 Abs. 2 Satz 3 AGG",
        gettext_noop(
            "Angemessene Entschädigung in Geld für den Schaden, der kein Vermögensschaden "
            "ist, etwa die Herabwürdigung durch die Benachteiligung."
        ),
    ),
)

EVIDENCE_NOTES = {
    "ad": gettext_noop(
        "Anzeige mit Datum und Quelle sichern (Screenshot, Ausdruck); ausschließende "
        "Formulierungen sind ein starkes Indiz."
    ),
    "memory_protocol": gettext_noop(
        "Möglichst zeitnah anfertigen: Datum, Uhrzeit, Ort, Beteiligte und genauer Wortlaut."
    ),
    "emails": gettext_noop(
        "Originale mit Kopfzeilen aufbewahren; schriftliche Absagen und Begründungen sind "
        "gute Indizien."
    ),
    "witnesses": gettext_noop(
        "Namen und Erreichbarkeit festhalten; Zeug*innen um ein eigenes Gedächtnisprotokoll bitten."
    ),
    "testing": gettext_noop(
        "Vergleichsanfragen (Testing) sind als Indiz anerkannt; Ablauf, Profile und "
        "Antworten dokumentieren."
    ),
    "photos": gettext_noop("Mit Datum und Quelle sichern."),
}
EVIDENCE_NOTE_OTHER = gettext_noop("Beweismittel sichern und Datum sowie Herkunft festhalten.")

EVIDENCE_SHIFT = gettext_noop(
    "Die vorhandenen Indizien können eine Benachteiligung vermuten lassen. Dann muss die "
    "Gegenseite beweisen, dass kein Verstoß gegen das Benachteiligungsverbot vorlag."
)
EVIDENCE_MISSING = gettext_noop(
    "Noch keine Indizien erfasst. Beweise sichern: sofort ein Gedächtnisprotokoll "
    "anfertigen, Anzeige und Nachrichten speichern, Zeug*innen notieren, ein Testing erwägen."
)
EVIDENCE_STATE = gettext_noop(
    "Die Beweislastregel des § 22 AGG gilt gegenüber staatlichen Stellen nicht; die "
    "Beweismittel bleiben für Beschwerde und Dokumentation wichtig."
)
EVIDENCE_NO_CLAIM = gettext_noop(
    "Die Beweismittel bleiben für die Dokumentation und andere Wege wichtig."
)

OBJECTION_19_3 = Note(
    "19_3",
    "§ 19 Abs. 3 AGG",
    gettext_noop(
        "Die Gegenseite beruft sich möglicherweise auf „sozial stabile Bewohnerstrukturen“. "
        "Die Ausnahme ist eng auszulegen und umstritten; die Vermieterseite muss sie konkret "
        "darlegen und beweisen. Gegenüber Benachteiligungen wegen der ethnischen Herkunft ist "
        "sie mit der Antirassismusrichtlinie 2000/43/EG kaum vereinbar."
    ),
)
OBJECTION_20 = Note(
    "20",
    "§ 20 Abs. 1 AGG",
    gettext_noop(
        "Für eine unterschiedliche Behandlung wegen Religion, Behinderung, Alter, sexueller "
        "Identität oder Geschlecht kann ein sachlicher Grund vorliegen, etwa der Schutz der "
        "Intimsphäre oder eine besondere Wohnform. Die Gegenseite muss ihn darlegen; "
        "pauschale Vorbehalte genügen nicht."
    ),
)
OBJECTION_20_ETHNIC = Note(
    "20_ethnic",
    "§ 20 Abs. 1 AGG",
    gettext_noop(
        "Wegen der ethnischen Herkunft ist eine Rechtfertigung durch einen sachlichen Grund "
        "ausgeschlossen: § 20 AGG nennt dieses Merkmal nicht."
    ),
)
OBJECTION_19_5_ETHNIC = Note(
    "19_5_ethnic",
    "§ 19 Abs. 5 Satz 1 AGG",
    gettext_noop(
        "Die Gegenseite könnte ein besonderes Nähe- oder Vertrauensverhältnis einwenden. Ob "
        "diese Ausnahme auch bei Benachteiligung wegen der ethnischen Herkunft gilt, ist wegen "
        "der Antirassismusrichtlinie 2000/43/EG umstritten; die Prüfung geht vom Schutz aus."
    ),
)

DEADLINE = Note(
    "21_5",
    "§ 21 Abs. 5 AGG",
    gettext_noop(
        "Ansprüche müssen innerhalb von zwei Monaten nach dem Vorfall gegenüber der "
        "Gegenseite geltend gemacht werden, am besten schriftlich und nachweisbar. Danach "
        "nur noch, wenn die Person ohne eigenes Verschulden an der Einhaltung der Frist "
        "gehindert war."
    ),
)


# The check -----------------------------------------------------------------------------


def _ground(code: str, answers: AggAnswers) -> GroundResult:
    label = GROUND_LABELS.get(code, code)
    is_agg = code in AGG_GROUNDS
    justifiable = code in JUSTIFIABLE_GROUNDS

    def result(status: str, basis: str, reason: str) -> GroundResult:
        return GroundResult(code, label, is_agg, status, basis, reason, justifiable)

    if answers.state_body:
        return result(NOT_APPLICABLE, BASIS_STATE, REASON_STATE_BODY)
    if not is_agg:
        if code in INDIRECT_ETHNIC_GROUNDS:
            return result(NOT_APPLICABLE, BASIS_INDIRECT, REASON_NOT_AGG_INDIRECT)
        return result(NOT_APPLICABLE, BASIS_NOT_AGG, REASON_NOT_AGG)
    if code == ETHNIC_ORIGIN:
        return result(APPLIES, BASIS_ETHNIC, REASON_ETHNIC)
    if answers.close_relationship == YES:
        return result(NOT_APPLICABLE, BASIS_CLOSE, REASON_CLOSE)
    if answers.mass_business == NO:
        return result(NOT_APPLICABLE, BASIS_SMALL, REASON_SMALL)
    if answers.mass_business == UNKNOWN:
        return result(UNCLEAR, BASIS_SMALL, REASON_MASS_OPEN)
    if answers.close_relationship == UNKNOWN:
        return result(UNCLEAR, BASIS_CLOSE, REASON_CLOSE_OPEN)
    return result(APPLIES, BASIS_MASS, REASON_MASS)


def _overall(answers: AggAnswers, grounds: tuple[GroundResult, ...]) -> str:
    if answers.state_body:
        return STATE_BODY
    statuses = {ground.status for ground in grounds}
    if APPLIES in statuses:
        return APPLIES
    if UNCLEAR in statuses or not grounds:
        return UNCLEAR
    return NOT_APPLICABLE


def _objections(answers: AggAnswers, grounds: tuple[GroundResult, ...]) -> tuple[Note, ...]:
    if answers.state_body:
        return ()
    relevant = [ground for ground in grounds if ground.status in (APPLIES, UNCLEAR)]
    if not relevant:
        return ()
    codes = {ground.code for ground in relevant}
    notes: list[Note] = []
    if answers.objection_19_3:
        notes.append(OBJECTION_19_3)
    if answers.objection_20:
        if any(ground.justification_possible for ground in relevant):
            notes.append(OBJECTION_20)
        if ETHNIC_ORIGIN in codes:
            notes.append(OBJECTION_20_ETHNIC)
    if answers.close_relationship in (YES, UNKNOWN) and ETHNIC_ORIGIN in codes:
        notes.append(OBJECTION_19_5_ETHNIC)
    return tuple(notes)


def _hints(answers: AggAnswers) -> tuple[Note, ...]:
    hints: list[Note] = []
    if not answers.grounds:
        hints.append(NO_GROUND_HINT)
    if answers.state_body:
        hints.append(MUNICIPAL_HINT)
    elif "religion" in answers.grounds:
        hints.append(WORLDVIEW_HINT)
    return tuple(hints)


def assess(answers: dict[str, Any]) -> AggResult:
    """Assess the answers of the guided AGG check (see the module docstring).

    ``answers`` keys: ``state_body`` (bool), ``grounds`` (Merkmal codes),
    ``mass_business`` and ``close_relationship`` ("yes", "no", "unknown"),
    ``objection_19_3`` and ``objection_20`` (bool), ``evidence`` (evidence codes).
    Invalid answers raise ``ValueError``.
    """
    given = AggAnswers.from_dict(answers)
    grounds = tuple(_ground(code, given) for code in given.grounds)
    status = _overall(given, grounds)

    statuses = {ground.status for ground in grounds}
    claim_status = POSSIBLE if APPLIES in statuses else OPEN if UNCLEAR in statuses else None
    claims: tuple[Claim, ...] = ()
    if claim_status is not None:
        claims = tuple(
            Claim(code, label, basis, note, claim_status, given.evidence)
            for code, label, basis, note in CLAIMS
        )

    evidence = tuple(
        EvidenceItem(
            code,
            EVIDENCE_LABELS.get(code, code),
            EVIDENCE_NOTES.get(code, EVIDENCE_NOTE_OTHER),
        )
        for code in given.evidence
    )
    shift = bool(claims) and bool(evidence)
    if given.state_body:
        evidence_note = EVIDENCE_STATE
    elif not claims:
        evidence_note = EVIDENCE_NO_CLAIM
    elif shift:
        evidence_note = EVIDENCE_SHIFT
    else:
        evidence_note = EVIDENCE_MISSING

    return AggResult(
        status=status,
        summary=SUMMARIES[status],
        grounds=grounds,
        claims=claims,
        evidence=evidence,
        burden_of_proof_shift=shift,
        evidence_note=evidence_note,
        objections=_objections(given, grounds),
        other_routes=OTHER_ROUTES if given.state_body else (),
        hints=_hints(given),
        deadline=None if given.state_body else DEADLINE,
        answers=given,
    )
