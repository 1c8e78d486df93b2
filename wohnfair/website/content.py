# ruff: noqa: E501  (prose: long lines of text are kept whole)
"""Texts of the demo website. Überblick is the seed's text, unchanged, with both lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from wagtail.rich_text import RichText

HOME_INTRO = (
    "Wir dokumentieren Diskriminierung auf dem Wohnungsmarkt, beraten Mieter*innen und "
    "Wohnungssuchende, vermitteln bei Konflikten in der Nachbarschaft und bringen das Thema "
    "in die öffentliche und politische Debatte."
)
HOME_DESCRIPTION = (
    "Integrationsagentur – Servicestelle für Antidiskriminierungsarbeit im Handlungsfeld "
    "Wohnen: Beratung, Meldung von Diskriminierung, Aktionen und Standpunkte."
)
INFO_SUMMARY = "Wer wir sind, was wir wollen und wie Sie uns erreichen."

OVERVIEW_SUMMARY = (
    "Seit 1997 erfasst und dokumentiert das Integrationsprojekt im Wohnbereich die Situation "
    "von Migranten auf dem Wohnungsmarkt; seit 2009 als Integrationsagentur – Servicestelle "
    "für Antidiskriminierungsarbeit im Handlungsfeld Wohnen."
)

OVERVIEW_PART_ONE = """<p>Seit 1997 ist der Dortmunder Planerladen e.V. im Auftrag des Ministeriums für Integration des Landes Nordrhein-Westfalen Träger eines Integrationsprojektes im Rahmen des Programms "Förderung von Maßnahmen gegen Rassismus, Fremdenfeindlichkeit und Diskriminierung sowie zur friedlichen Konfliktregelung in Stadtteilen mit besonderem Erneuerungsbedarf".</p>
<p>Innerhalb des Projektes wird die Situation von Migranten auf dem Wohnungsmarkt erfasst und dokumentiert. Zudem werden Maßnahmen gegen Benachteiligungen von Migranten auf dem Wohnungsmarkt entwickelt und erprobt (z.B. Informations- und Beratungsangebote für Mieterhaushalte). Darüber hinaus wird das Thema Diskriminierung im Wohnbereich in lokale, regionale und überregionale politische und fachliche Diskurse eingebracht (z.B. über Stellungnahmen, Fachartikel und Workshops).</p>
<p>Auf dieser Website finden Sie Informationen zu aktuellen Aktionen, thematischen Hintergründen und zur Geschichte des Projektes.</p>"""

OVERVIEW_PART_TWO = """<p>Anfang 2009 ist das bisherige „Integrationsprojekt im Wohnbereich“ des Planerladen e.V. als eines der bisherigen fünf Antidiskriminierungsprojekte des Landes in eine gemeinsame Struktur mit den landesweit mehr als 180 (Stand März 2019) sozialraumbezogen agierenden Integrationsagenturen eingegliedert worden, um die Antidiskriminierungsarbeit als einen Bestandteil der Integrationsarbeit zu sichern, weiterzuentwickeln und perspektivisch noch stärker in die Fläche zu bringen. Durch diese Umstrukturierung hat der Planerladen e.V. damit den Status einer „Integrationsagentur – Servicestelle für Antidiskriminierungsarbeit“ erhalten. Neben den obligatorischen inhaltlichen Schwerpunkten der Integrationsagenturen („Bürgerschaftliches Engagement von/für Menschen mit Zuwanderungsgeschichte“, „Interkulturelle Öffnung“ und „Sozialraumorientierte Arbeit“) deckt der Planerladen somit auch das Tätigkeitsfeld der Antidiskriminierungsarbeit ab. Dabei werden folgende Aufgabenfelder bearbeitet, die der Planerladen e.V. durch seine „sozialraumorientierte Arbeit“ bereits in den vergangenen Jahren bedient und in Teilen dafür sogar die Basis gebildet hat:</p>
<ul>
<li>Sensibilisierung und Information der Öffentlichkeit zum Thema "Diskriminierung"</li>
<li>Anstoßen von interkulturellen Dialogen</li>
<li>Bildungsarbeit mit unterschiedlichen Zielgruppen</li>
<li>Antidiskriminierungsarbeit im Rahmen von sozialraumorientierter Arbeit</li>
<li>Kooperation in thematisch relevanten Netzwerken vor Ort</li>
</ul>
<p>Ebenso haben das "Bürgerschaftliche Engagement" und die "Interkulturelle Öffnung" im Zusammenhang mit dem Integrationsprojekt im Wohnbereich bereits eine erkennbare Bedeutung erlangt. Zu den speziellen Servicefunktionen gehören:</p>
<ul>
<li>qualifizierte Antidiskriminierungsberatung</li>
<li>überregionale Gremienarbeit, Zusammenarbeit in landes-, bundesweiten und internationalen Netzwerken</li>
<li>Entwicklung und Umsetzung von Integrations-/Antidiskriminierungskonzepten in Institutionen, Kommunen, Projekten, Ausbildungsstätten, Verbänden</li>
<li>Analyse von Diskriminierung und Entwicklung von Gegenmaßnahmen</li>
<li>Entwicklung, Bereitstellung, Vertrieb/Ausleihe von Materialien, Konzepten etc.</li>
</ul>
<p>Der Planerladen e.V. ist Mitglied im Antidiskriminierungsverband Deutschland (advd).</p>"""


def overview_body() -> list[tuple[str, Any]]:
    return [
        ("heading", {"text": "Integrationsprojekt im Wohnbereich", "level": "h2"}),
        ("text", RichText(OVERVIEW_PART_ONE)),
        (
            "heading",
            {
                "text": "Integrationsagentur - Servicestelle für Antidiskriminierungsarbeit im "
                "Handlungsfeld Wohnen",
                "level": "h2",
            },
        ),
        ("text", RichText(OVERVIEW_PART_TWO)),
        (
            "fact_box",
            {
                "title": "Diskriminierung erlebt?",
                "text": RichText(
                    "<p>Melden Sie es uns – auf Wunsch anonym und in Ihrer Sprache. "
                    'Unter <a href="/melden/">Diskriminierung melden</a> geht das online.</p>'
                ),
            },
        ),
    ]


GOALS_SUMMARY = (
    "Gleicher Zugang zu Wohnraum für alle – unabhängig von Herkunft, Name oder Religion."
)
GOALS_HTML = """<p>Wir setzen uns dafür ein, dass niemand bei der Suche nach einer Wohnung, im Mietverhältnis oder in der Nachbarschaft benachteiligt wird.</p>
<ul>
<li>Betroffene stärken: vertrauliche, parteiliche und kostenlose Beratung</li>
<li>Diskriminierung sichtbar machen: Fälle dokumentieren, Testings durchführen, Zahlen veröffentlichen</li>
<li>Vermieter*innen gewinnen: faire Vergabeverfahren und diskriminierungsfreie Anzeigen</li>
<li>Politik bewegen: Stellungnahmen zum Allgemeinen Gleichbehandlungsgesetz (AGG) und zur Wohnungspolitik</li>
</ul>"""

MILESTONES = [
    {
        "date": date(1997, 1, 1),
        "title": "Start des Integrationsprojekts im Wohnbereich",
        "text": "Der Planerladen e.V. wird im Auftrag des Landes NRW Träger des Projekts.",
    },
    {
        "date": date(2006, 8, 18),
        "title": "Das AGG tritt in Kraft",
        "text": "Das Allgemeine Gleichbehandlungsgesetz schützt auch bei der Vermietung von Wohnraum.",
    },
    {
        "date": date(2009, 1, 1),
        "title": "Integrationsagentur",
        "text": "Das Projekt wird Integrationsagentur – Servicestelle für Antidiskriminierungsarbeit.",
    },
    {
        "date": date(2015, 6, 1),
        "title": "Erste Testing-Studie",
        "text": "Paarweise Anfragen zeigen, wie oft Menschen mit ausländisch klingendem Namen keine Antwort bekommen.",
    },
    {
        "date": date(2019, 3, 1),
        "title": "Mehr als 180 Integrationsagenturen in NRW",
        "text": "Die Antidiskriminierungsarbeit ist landesweit in der Fläche angekommen.",
    },
]

CONTACT: dict[str, Any] = {
    "summary": "So erreichen Sie uns – persönlich, telefonisch oder über das Kontaktformular.",
    "address": "Planerladen e.V.\nRoseggerstraße 19\n44137 Dortmund",
    "phone": "0231 8820700",
    "email": "info@planerladen.example",
    "opening_hours": "<ul><li>Montag bis Donnerstag: 9 bis 16 Uhr</li><li>Freitag: 9 bis 13 Uhr</li></ul>",
    "consultation_hours": "<ul><li>Dienstag: 10 bis 13 Uhr (offene Sprechstunde)</li><li>Donnerstag: 14 bis 17 Uhr (nach Vereinbarung, auch auf Türkisch und Arabisch)</li></ul>",
}

CAMPAIGNS: list[dict[str, Any]] = [
    {
        "fields": {
            "title": "Fair vermieten – gleiche Chancen für alle",
            "slug": "fair-vermieten",
            "start_date": date(2026, 9, 1),
            "is_featured": True,
            "summary": "Unsere Aktion wirbt bei Vermieter*innen für faire und nachvollziehbare Vergabeverfahren.",
        },
        "html": "<p>Mit Plakaten, Infoabenden und einem Leitfaden für Vermieter*innen zeigen wir, wie Wohnungen diskriminierungsfrei vergeben werden: klare Kriterien, transparente Wartelisten, Anzeigen ohne ausschließende Formulierungen.</p>",
    },
    {
        "fields": {
            "title": "Wohnungsanzeigen unter der Lupe",
            "slug": "anzeigen-unter-der-lupe",
            "start_date": date(2025, 3, 1),
            "end_date": date(2025, 6, 30),
            "summary": "Wir haben Wohnungsanzeigen auf diskriminierende Formulierungen geprüft.",
        },
        "html": "<p>Drei Monate lang haben Ehrenamtliche Wohnungsanzeigen gesammelt und auf Formulierungen wie „nur Deutsche“ geprüft.</p>",
    },
]

NEWS: list[dict[str, Any]] = [
    {
        "fields": {
            "title": "Jahresbericht: Diskriminierung bei der Wohnungssuche bleibt häufig",
            "slug": "jahresbericht-2025",
            "date": date(2026, 10, 14),
            "summary": "Mehr als die Hälfte der Beratungsfälle betraf die Suche nach einer Wohnung.",
        },
        "html": "<p>In unserem Jahresbericht werten wir die dokumentierten Fälle aus. Am häufigsten berichten Ratsuchende von Absagen wegen ihres Namens oder ihrer Herkunft bei der Wohnungssuche.</p>",
        "tags": ["Jahresbericht", "Wohnungssuche"],
    },
    {
        "fields": {
            "title": "Infoabend für Vermieterinnen und Vermieter",
            "slug": "infoabend-vermieter",
            "date": date(2026, 9, 20),
            "summary": "Wie Wohnungen fair vergeben werden: ein Abend mit Praxisbeispielen.",
        },
        "html": "<p>Zum Auftakt der Aktion „Fair vermieten“ haben wir Wohnungsunternehmen und private Vermieter*innen eingeladen.</p>",
        "tags": ["Vermietung"],
        "campaign": True,
    },
    {
        "fields": {
            "title": "Neue Sprechzeiten auf Türkisch und Arabisch",
            "slug": "sprechzeiten-mehrsprachig",
            "date": date(2026, 5, 4),
            "summary": "Donnerstags beraten wir auch auf Türkisch und Arabisch.",
        },
        "html": "<p>Ab sofort bieten wir donnerstags Beratung in mehreren Sprachen an. Bitte vereinbaren Sie einen Termin.</p>",
        "tags": ["Beratung"],
    },
    {
        "fields": {
            "title": "Zwei-Monats-Frist im AGG: Reform in der Diskussion",
            "slug": "agg-frist-reform",
            "date": date(2025, 11, 12),
            "summary": "Die kurze Frist für Ansprüche nach dem AGG soll verlängert werden.",
        },
        "html": "<p>Wer Ansprüche nach dem AGG geltend machen will, muss das bisher innerhalb von zwei Monaten tun. Wir begrüßen die geplante Verlängerung.</p>",
        "tags": ["AGG", "Politik"],
    },
]

POSITIONS_SUMMARY = (
    "Unsere Stellungnahmen zu Gesetzen, Plänen und Debatten rund um Wohnen und Diskriminierung."
)
POSITIONS: list[dict[str, Any]] = [
    {
        "fields": {
            "title": "Stellungnahme zur Reform des Allgemeinen Gleichbehandlungsgesetzes",
            "slug": "agg-reform",
            "date": date(2026, 2, 10),
            "addressee": "Bundesministerium der Justiz",
            "summary": "Wir fordern, die Ausnahme für „sozial stabile Bewohnerstrukturen“ zu streichen und die Frist auf zwölf Monate zu verlängern.",
        },
        "html": "<p>Die Ausnahme des § 19 Absatz 3 AGG wird in der Praxis genutzt, um Menschen mit Migrationsgeschichte Wohnungen zu verweigern. Wir fordern ihre Streichung und eine Frist von zwölf Monaten für Ansprüche.</p>",
        "pdf": "stellungnahme-agg-reform.pdf",
    },
    {
        "fields": {
            "title": "Wohnungsvergabe in kommunalen Wohnungsunternehmen",
            "slug": "kommunale-vergabe",
            "date": date(2025, 9, 3),
            "addressee": "Rat der Stadt Dortmund",
            "summary": "Transparente Vergabekriterien und eine unabhängige Beschwerdestelle für Mieter*innen.",
        },
        "html": "<p>Kommunale Wohnungsunternehmen haben eine besondere Verantwortung. Wir empfehlen veröffentlichte Vergabekriterien und eine unabhängige Beschwerdestelle.</p>",
    },
]

MEDIATION_SUMMARY = (
    "Streit in der Nachbarschaft? Wir vermitteln – neutral, vertraulich und kostenlos."
)
MEDIATION_HTML = """<p>Konflikte im Haus oder im Quartier entstehen oft aus Missverständnissen, Lärm oder Vorurteilen. In einer Nachbarschaftsmediation suchen alle Beteiligten mit Unterstützung unserer Vermittler*innen gemeinsam nach einer Lösung.</p>
<ul><li>Vorgespräche mit allen Beteiligten</li><li>gemeinsames Vermittlungsgespräch an einem neutralen Ort</li><li>schriftliche Vereinbarung, wenn alle einverstanden sind</li></ul>"""

FOUNDATION_SUMMARY = (
    "Die Stiftung unterstützt Betroffene, die gegen Diskriminierung vor Gericht gehen."
)
FOUNDATION_HTML = """<p>Wer sich gegen Diskriminierung auf dem Wohnungsmarkt gerichtlich wehrt, trägt ein Kostenrisiko. Die Stiftung hilft mit Geld für Anwalt und Gericht, mit Beratung und mit Begleitung zu Terminen.</p>
<p>Anträge prüft ein unabhängiger Vergabeausschuss. Wir melden uns innerhalb von zwei Wochen.</p>"""

BROCHURE_DESCRIPTION = "Was tun, wenn Sie bei der Wohnungssuche benachteiligt werden? Rechte, Fristen, Ansprechpartner."

LINKS: list[dict[str, Any]] = [
    {
        "name": "Antidiskriminierungsbüro Köln",
        "kind": "counselling",
        "city": "Köln",
        "topics": "Wohnen, Arbeit, Bildung",
        "languages": "Deutsch, Englisch, Türkisch",
        "website": "https://example.org/adb-koeln",
        "email": "info@adb-koeln.example",
        "phone": "",
        "address": "",
    },
    {
        "name": "Beratungsstelle Bochum",
        "kind": "counselling",
        "city": "Bochum",
        "topics": "Wohnen, Behörden",
        "languages": "Deutsch, Arabisch",
        "website": "https://example.org/beratung-bochum",
        "email": "",
        "phone": "0234 000000",
        "address": "",
    },
    {
        "name": "Mieterverein Dortmund",
        "kind": "partner",
        "city": "Dortmund",
        "topics": "Mietrecht, Wohnen",
        "languages": "Deutsch",
        "website": "https://example.org/mieterverein",
        "email": "",
        "phone": "",
        "address": "",
    },
    {
        "name": "Antidiskriminierungsverband Deutschland (advd)",
        "kind": "partner",
        "city": "Berlin",
        "topics": "Netzwerk, Politik",
        "languages": "Deutsch, Englisch",
        "website": "https://example.org/advd",
        "email": "",
        "phone": "",
        "address": "",
    },
]

EASY_SUMMARY = "Wer wir sind und wie wir helfen. In Leichter Sprache."
EASY_HTML = """<h2>Wer sind wir?</h2>
<p>Wir sind eine Beratungs-Stelle.</p>
<p>Wir helfen Menschen, die bei der Wohnung unfair behandelt werden.</p>
<h2>Was ist Diskriminierung?</h2>
<p>Diskriminierung heißt: Jemand wird schlechter behandelt.</p>
<p>Zum Beispiel wegen seiner Herkunft. Oder wegen seiner Religion.</p>
<p>Zum Beispiel: Sie bekommen eine Wohnung nicht. Weil Sie einen ausländischen Namen haben.</p>
<h2>Wie helfen wir?</h2>
<ul><li>Wir hören Ihnen zu.</li><li>Wir erklären Ihre Rechte.</li><li>Wir schreiben Briefe für Sie.</li><li>Die Beratung kostet nichts.</li></ul>
<h2>Wie erreichen Sie uns?</h2>
<p>Sie können uns anrufen. Oder Sie kommen zur Sprech-Stunde.</p>
<p>Sie können auch im Internet melden: <a href="/melden/">Diskriminierung melden</a>.</p>"""

IMPRINT_HTML = """<p>Planerladen e.V.<br>Roseggerstraße 19<br>44137 Dortmund</p>
<p>Vertreten durch den Vorstand. Eingetragen im Vereinsregister Dortmund.</p>"""
PRIVACY_HTML = """<p>Diese Website setzt keine Cookies zu Werbe- oder Analysezwecken, lädt keine Schriften, Skripte oder Karten von fremden Servern und speichert keine IP-Adressen von Besucher*innen.</p>
<p>Wenn Sie uns über ein Formular schreiben, verwenden wir Ihre Angaben nur, um Ihre Anfrage zu bearbeiten.</p>"""
ACCESSIBILITY_HTML = """<p>Wir möchten, dass alle Menschen diese Website nutzen können. Sie soll die Anforderungen der WCAG 2.1 auf Stufe AA erfüllen.</p>
<p>Wenn Ihnen eine Barriere auffällt, schreiben Sie uns bitte über das Formular unten. Wir antworten innerhalb von sechs Wochen.</p>"""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "en": {
        "home_title": "Welcome to the anti-discrimination service for housing",
        "home_seo_title": "Home",
        "home_intro": "We document discrimination on the housing market, advise tenants and people looking for a flat, mediate in neighbourhood conflicts and bring the subject into public and political debate.",
        "home_description": "Integration agency – service centre for anti-discrimination work in housing.",
        "info_title": "Info",
        "overview_title": "Overview",
        "overview_summary": "Since 1997 the project has recorded and documented the situation of migrants on the housing market.",
        "overview_html": "<p>Since 1997 Planerladen e.V. in Dortmund has run an integration project in housing on behalf of the Ministry for Integration of North Rhine-Westphalia. The project records and documents the situation of migrants on the housing market, develops and tests measures against their disadvantage, and brings the subject of discrimination in housing into local, regional and national debate.</p><p>Since 2009 the project has been an integration agency – service centre for anti-discrimination work in housing. Its services include qualified anti-discrimination counselling, work in networks, the analysis of discrimination and the development of countermeasures, and materials for loan and download.</p><p>Planerladen e.V. is a member of the Antidiskriminierungsverband Deutschland (advd).</p>",
    },
    "tr": {
        "home_title": "Konut alanında ayrımcılıkla mücadele hizmet merkezine hoş geldiniz",
        "home_seo_title": "Ana sayfa",
        "home_intro": "Konut piyasasındaki ayrımcılığı belgeliyor, kiracılara ve ev arayanlara danışmanlık veriyor, komşuluk anlaşmazlıklarında arabuluculuk yapıyor ve konuyu kamuoyu ile siyasete taşıyoruz.",
        "home_description": "Entegrasyon ajansı – konut alanında ayrımcılıkla mücadele hizmet merkezi.",
        "info_title": "Bilgi",
        "overview_title": "Genel bakış",
        "overview_summary": "Proje 1997'den beri göçmenlerin konut piyasasındaki durumunu kayıt altına alıyor.",
        "overview_html": "<p>Dortmund'daki Planerladen e.V., 1997'den beri Kuzey Ren-Vestfalya Entegrasyon Bakanlığı adına konut alanında bir entegrasyon projesi yürütmektedir. Proje, göçmenlerin konut piyasasındaki durumunu kayıt altına alır ve belgeler, dezavantajlara karşı önlemler geliştirir ve konut alanındaki ayrımcılığı yerel, bölgesel ve ulusal tartışmalara taşır.</p><p>2009'dan beri proje, konut alanında ayrımcılıkla mücadele hizmet merkezi olarak çalışan bir entegrasyon ajansıdır. Hizmetleri arasında nitelikli ayrımcılık karşıtı danışmanlık, ağ çalışması, ayrımcılığın analizi ve karşı önlemlerin geliştirilmesi yer alır.</p><p>Planerladen e.V., Almanya Ayrımcılıkla Mücadele Birliği'nin (advd) üyesidir.</p>",
    },
    "ar": {
        "home_title": "مرحبًا بكم في مركز خدمات مكافحة التمييز في مجال السكن",
        "home_seo_title": "الصفحة الرئيسية",
        "home_intro": "نوثّق التمييز في سوق السكن، ونقدّم الاستشارة للمستأجرين والباحثين عن سكن، ونتوسّط في نزاعات الجيرة، ونطرح الموضوع في النقاش العام والسياسي.",
        "home_description": "وكالة الاندماج – مركز خدمات مكافحة التمييز في مجال السكن.",
        "info_title": "معلومات",
        "overview_title": "نظرة عامة",
        "overview_summary": "منذ عام 1997 يرصد المشروع ويوثّق وضع المهاجرين في سوق السكن.",
        "overview_html": "<p>منذ عام 1997 تدير جمعية Planerladen في دورتموند مشروعًا للاندماج في مجال السكن بتكليف من وزارة الاندماج في ولاية شمال الراين وستفاليا. يرصد المشروع ويوثّق وضع المهاجرين في سوق السكن، ويطوّر إجراءات ضد حرمانهم، ويطرح موضوع التمييز في السكن في النقاشات المحلية والإقليمية والوطنية.</p><p>منذ عام 2009 أصبح المشروع وكالة اندماج – مركز خدمات لمكافحة التمييز في مجال السكن. تشمل خدماته الاستشارة المؤهلة ضد التمييز، والعمل في الشبكات، وتحليل التمييز وتطوير إجراءات مضادة.</p><p>جمعية Planerladen عضو في اتحاد مكافحة التمييز في ألمانيا (advd).</p>",
    },
}
