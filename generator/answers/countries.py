"""Countries: ISO codes, their names in each language, and the European Economic Area."""

from __future__ import annotations

from functools import cache

# EU member states plus Iceland, Liechtenstein and Norway (EEA Agreement). GDPR Chapter V
# applies to transfers to any other country.
_EU = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EU = frozenset(_EU.split())
EEA = frozenset((*EU, "IS", "LI", "NO"))

# Codes CLDR lists as territories that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ"})


@cache
def _names(language: str) -> dict[str, str]:
    from babel import Locale

    return {
        code: name
        for code, name in Locale.parse(language).territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def is_country_code(code: str) -> bool:
    return code in _names("en")


def in_eea(code: str) -> bool:
    return code in EEA


def in_eu(code: str) -> bool:
    return code in EU


def country_name(code: str, language: str) -> str:
    return _names(language)[code]


# Each EEA State's data protection supervisory authority (GDPR Art. 51; EEA Agreement), by
# ISO code: its name, with its article, in French and in English,
# then in its own language where that differs.
# Germany's authority for a private company is its Land's, so no single name is given.
_AUTHORITIES: dict[str, tuple[str, str]] = {
    "AT": (
        "l'Autorité autrichienne de protection des données (Datenschutzbehörde)",
        "the Austrian Data Protection Authority (Datenschutzbehörde)",
    ),
    "BE": (
        "l'Autorité de protection des données (Gegevensbeschermingsautoriteit)",
        "the Belgian Data Protection Authority (Autorité de protection des données)",
    ),
    "BG": (
        "la Commission de protection des données personnelles (Bulgarie)",
        "the Commission for Personal Data Protection (Bulgaria)",
    ),
    "CY": (
        "le Commissaire à la protection des données à caractère personnel (Chypre)",
        "the Commissioner for Personal Data Protection (Cyprus)",
    ),
    "CZ": (
        "l'Office pour la protection des données personnelles (Úřad pro ochranu osobních údajů)",
        "the Office for Personal Data Protection (Úřad pro ochranu osobních údajů)",
    ),
    "DE": (
        "l'autorité de protection des données du Land compétent",
        "the data protection authority of the competent Land",
    ),
    "DK": (
        "l'Autorité danoise de protection des données (Datatilsynet)",
        "the Danish Data Protection Agency (Datatilsynet)",
    ),
    "EE": (
        "l'Inspection estonienne de la protection des données (Andmekaitse Inspektsioon)",
        "the Estonian Data Protection Inspectorate (Andmekaitse Inspektsioon)",
    ),
    "ES": (
        "l'Agence espagnole de protection des données (Agencia Española de Protección de Datos)",
        "the Spanish Data Protection Agency (Agencia Española de Protección de Datos)",
    ),
    "FI": (
        "le Bureau du médiateur pour la protection des données (Tietosuojavaltuutetun toimisto)",
        "the Office of the Data Protection Ombudsman (Tietosuojavaltuutetun toimisto)",
    ),
    "FR": (
        "la Commission nationale de l'informatique et des libertés (CNIL)",
        "the Commission nationale de l'informatique et des libertés (CNIL)",
    ),
    "GR": (
        "l'Autorité hellénique de protection des données",
        "the Hellenic Data Protection Authority",
    ),
    "HR": (
        "l'Agence croate de protection des données personnelles (Agencija za zaštitu osobnih "
        "podataka)",
        "the Croatian Personal Data Protection Agency (Agencija za zaštitu osobnih podataka)",
    ),
    "HU": (
        "l'Autorité nationale de la protection des données et de la liberté de l'information "
        "(Nemzeti Adatvédelmi és Információszabadság Hatóság)",
        "the Hungarian National Authority for Data Protection and Freedom of Information (Nemzeti "
        "Adatvédelmi és Információszabadság Hatóság)",
    ),
    "IE": (
        "la Commission de protection des données (Data Protection Commission, Irlande)",
        "the Data Protection Commission (Ireland)",
    ),
    "IT": (
        "le Garante per la protezione dei dati personali (Italie)",
        "the Garante per la protezione dei dati personali (Italy)",
    ),
    "LT": (
        "l'Inspection nationale de la protection des données (Valstybinė duomenų apsaugos "
        "inspekcija)",
        "the State Data Protection Inspectorate (Valstybinė duomenų apsaugos inspekcija)",
    ),
    "LU": (
        "la Commission nationale pour la protection des données (CNPD, Luxembourg)",
        "the National Commission for Data Protection (CNPD, Luxembourg)",
    ),
    "LV": (
        "l'Inspection nationale des données (Datu valsts inspekcija)",
        "the Data State Inspectorate (Datu valsts inspekcija)",
    ),
    "MT": (
        "le Commissaire à l'information et à la protection des données (Malte)",
        "the Information and Data Protection Commissioner (Malta)",
    ),
    "NL": (
        "l'Autorité néerlandaise de protection des données (Autoriteit Persoonsgegevens)",
        "the Dutch Data Protection Authority (Autoriteit Persoonsgegevens)",
    ),
    "PL": (
        "le Président de l'Office de protection des données personnelles (Prezes Urzędu Ochrony "
        "Danych Osobowych)",
        "the President of the Personal Data Protection Office (Prezes Urzędu Ochrony Danych "
        "Osobowych)",
    ),
    "PT": (
        "la Commission nationale de protection des données (Comissão Nacional de Proteção de "
        "Dados)",
        "the National Data Protection Commission (Comissão Nacional de Proteção de Dados)",
    ),
    "RO": (
        "l'Autorité nationale de surveillance du traitement des données à caractère personnel "
        "(Roumanie)",
        "the National Supervisory Authority for Personal Data Processing (Romania)",
    ),
    "SE": (
        "l'Autorité suédoise de protection de la vie privée (Integritetsskyddsmyndigheten)",
        "the Swedish Authority for Privacy Protection (Integritetsskyddsmyndigheten)",
    ),
    "SI": (
        "le Commissaire à l'information (Informacijski pooblaščenec, Slovénie)",
        "the Information Commissioner (Informacijski pooblaščenec, Slovenia)",
    ),
    "SK": (
        "l'Office de protection des données personnelles de la République slovaque",
        "the Office for Personal Data Protection of the Slovak Republic",
    ),
    "IS": (
        "l'Autorité islandaise de protection des données (Persónuvernd)",
        "the Icelandic Data Protection Authority (Persónuvernd)",
    ),
    "LI": (
        "l'Autorité de protection des données du Liechtenstein (Datenschutzstelle)",
        "the Data Protection Authority of Liechtenstein (Datenschutzstelle)",
    ),
    "NO": (
        "l'Autorité norvégienne de protection des données (Datatilsynet)",
        "the Norwegian Data Protection Authority (Datatilsynet)",
    ),
}


def supervisory_authority(code: str, language: str) -> str:
    """The name of an EEA State's supervisory authority, in French or English."""
    fr, en = _AUTHORITIES[code]
    return fr if language == "fr" else en
