"""Builders for candidate tests."""

from meetgreet.candidates.services import CandidateDetails


def details(**fields) -> CandidateDetails:
    return CandidateDetails(**{
        "first_name": "Олена", "last_name": "Коваленко", "latin_name": "Olena Kovalenko",
        "email": "olena@example.org", "phone": None, "languages": {"uk": "native"},
        "dutch_level": "A1", "sectors": ["care"], **fields,
    })
