"""What the interview asks the legal layer while the answers are still being typed: which
roles the facts give a party, whether data are health data, whether a country is outside the
EEA, whether a sub-processor must be a certified host, and which route a study takes. The
interview passes plain facts; the rules are the assessment's own, never re-derived there."""

from __future__ import annotations

from collections.abc import Iterable

from ..answers.countries import in_eea
from ..answers.countries import in_eu as _in_eu
from ..answers.model import DataCategory, Research, Role, Route, concerns_health
from .research import route_of


def proposed_roles(decides_purposes: bool, reuses_data: bool, deciders: int) -> tuple[Role, ...]:
    """The roles the facts give a party (GDPR Arts 4(7), 4(8), 26, 28(10)): who decides why
    the data are processed is a controller — jointly with another that decides too; who acts
    for a party that decides, without reusing the data, is its processor. `deciders`: how
    many parties of the agreement decide the purposes."""
    if decides_purposes:
        return (Role.JOINT_CONTROLLER,) if deciders > 1 else (Role.CONTROLLER,)
    return (Role.PROCESSOR,) if deciders and not reuses_data else ()


# The places a party holds in a study; a plain DPA knows none of them.
RESEARCH_ROLES = (Role.SPONSOR, Role.CRO, Role.INVESTIGATING_CENTRE, Role.FUNDER)


def may_act_for_sponsor(roles: Iterable[str]) -> bool:
    """Whether a party of a study can be a processor there (research_roles): not the sponsor,
    which controls the research data, nor a funder or a controller, which decide for
    themselves."""
    deciding = {Role.SPONSOR, Role.FUNDER, Role.CONTROLLER, Role.JOINT_CONTROLLER}
    return not {r.value for r in deciding} & {str(r) for r in roles}


def health_data(categories: Iterable[str]) -> bool:
    """Data concerning health: special-category rules apply (GDPR Art. 9, CSP L.1111-8)."""
    known = {c.value for c in DataCategory}
    return concerns_health(DataCategory(c) for c in categories if c in known)


def outside_eea(country: str) -> bool:
    """Sending data to, or storing them in, this country is a transfer (GDPR Chapter V)."""
    return not in_eea(country.upper())


def in_eu(country: str) -> bool:
    """Established in the Union: a sponsor elsewhere needs a legal representative in it."""
    return _in_eu(country.upper())


def needs_certified_host(stores_data: bool, health: bool) -> bool:
    """Storing health data for the controller requires HDS certification (CSP L.1111-8)."""
    return stores_data and health


def research_route(research: Research) -> Route:
    """The formality the facts of a study lead to (what `assess` will report)."""
    return route_of(research)
