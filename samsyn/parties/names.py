"""Municipalities by the names they use themselves: "Marks kommun", "Borås stad", "Region Gotland".

SCB's list (parties/data/kommuner.csv) gives short names ("Mark", "Borås", "Falun"); a
user reads the name the municipality signs with. The one rule lives here and is used by
the reference data migrations; nothing else builds a kommun's name.
"""

from __future__ import annotations

# The 14 municipalities that call themselves "stad" (sv.wikipedia.org, "Lista över
# kommuner i Sverige som kallar sig stad"). Written with a lower-case "stad" throughout,
# as SCB and most of them do ("Borås Stad" is the town's own logotype spelling).
STAD = frozenset(
    {
        "Borås",
        "Göteborg",
        "Haparanda",
        "Helsingborg",
        "Landskrona",
        "Lidingö",
        "Malmö",
        "Mölndal",
        "Solna",
        "Stockholm",
        "Sundbyberg",
        "Trollhättan",
        "Vaxholm",
        "Västerås",
    }
)

# Names that the rule below does not give: an irregular genitive, a name without
# genitive s, and Gotland, the one municipality that is also a region and is called so.
IRREGULAR = {
    "Falun": "Falu kommun",
    "Kalmar": "Kalmar kommun",
    "Gotland": "Region Gotland",
}

_NO_GENITIVE_S = tuple("aeiouyåäö") + ("s", "x", "z")


def official_kommun_name(short_name: str) -> str:
    """The name a municipality uses for itself, from SCB's short name.

    The genitive takes an s except after a vowel or s, x, z: "Marks kommun",
    "Lilla Edets kommun", "Ale kommun", "Upplands Väsby kommun", "Alingsås kommun".
    """
    short_name = short_name.strip()
    if short_name in IRREGULAR:
        return IRREGULAR[short_name]
    genitive = short_name if short_name.lower().endswith(_NO_GENITIVE_S) else f"{short_name}s"
    return f"{genitive} {'stad' if short_name in STAD else 'kommun'}"
