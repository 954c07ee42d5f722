"""Reservations as an employer would fill them in, numbered so each is a different company."""

from meetgreet.employers.services import ReservationData, VacancyData


def reservation(number: int = 1, **fields) -> ReservationData:
    return ReservationData(**{
        "organisation_name": f"Bedrijf {number} B.V.",
        "kvk_number": f"{10000000 + number:08d}",
        "sector": "logistics",
        "contact_name": f"Contact {number}",
        "contact_email": f"hr{number}@bedrijf{number}.example.nl",
        "contact_phone": "+31612345678",
        "town": "Amsterdam",
        "representatives": 2,
        "languages": ["nl", "uk"],
        "interpreter_languages": ["ar"],
        "vacancies": [VacancyData(title="Orderpicker", sector="logistics", hours_per_week=32)],
        **fields,
    })


def form_data(number: int = 1, **fields) -> dict:
    """The reservation form as a browser posts it."""
    return {
        "organisation_name": f"Bedrijf {number} B.V.",
        "kvk_number": f"{10000000 + number:08d}",
        "sector": "logistics",
        "website": "www.bedrijf.example.nl",
        "town": "Amsterdam",
        "contact_name": f"Contact {number}",
        "contact_email": f"hr{number}@bedrijf{number}.example.nl",
        "contact_phone": "06 12345678",
        "locale": "nl",
        "representatives": "2",
        "languages": ["nl", "uk"],
        "interpreter_languages": ["ar"],
        "remarks": "",
        "vacancies-0-title": "Orderpicker",
        "vacancies-0-sector": "logistics",
        "vacancies-0-hours_per_week": "32",
        "vacancies-0-location": "Amsterdam-Zuidoost",
        "vacancies-0-dutch_level": "A2",
        "vacancies-0-route_possible": "y",
        "vacancies-0-description": "Werken in ons magazijn.",
        **fields,
    }
