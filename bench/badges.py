"""Badge PDFs: 1,000 candidate badges on A4 sheets of 10 (the issue's target: under 2 s)."""

import random
import time

from meetgreet.badges import BadgeData, Kind, render_badges
from meetgreet.badges.fonts import register_all
from meetgreet.core.tokens import new_code

_GIVEN = ("Zoë", "Олександра", "محمد", "ሰላም", "Fatima", "Dmytro", "Aziz", "Maryam", "Yonas")
_FAMILY = ("Ünal-Çelik", "Шевченко-Ковальчук", "الحلبي", "ተስፋማርያም", "Haddad", "Kovalenko",
           "Rahimi", "Tesfay", "Al-Masri")


def _candidates(count: int) -> list[BadgeData]:
    pick = random.Random(7)
    return [
        BadgeData(
            Kind.CANDIDATE,
            f"{pick.choice(_GIVEN)} {pick.choice(_FAMILY)}",
            "Latin Name",
            languages=("Arabisch", "Nederlands", "Engels"),
            sectors=("Zorg en welzijn", "Logistiek en opslag"),
            qr_payload=new_code(),
        )
        for _ in range(count)
    ]


def run(count: int = 1000) -> list[str]:
    register_all()  # once per process, as in the app; not part of a print job
    badges = _candidates(count)
    started = time.perf_counter()
    pdf = render_badges(badges, "a4-10")
    elapsed = time.perf_counter() - started
    return [
        f"| {count:,} candidate badges on A4 sheets of 10 (mixed scripts, QR) | "
        f"{elapsed:.2f} s ({len(pdf) / 1e6:.1f} MB, target < 2 s) |"
    ]


if __name__ == "__main__":
    print("\n".join(run()))
