"""Just enough English for names: words of an identifier, singular and plural nouns."""

from __future__ import annotations

import re

_CHUNK = re.compile(r"[^\W_]+")  # runs of letters and digits, any script

IRREGULAR = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "goose": "geese",
    "ox": "oxen",
    "datum": "data",
    "medium": "media",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "index": "indexes",
    "matrix": "matrices",
    "vertex": "vertices",
    "appendix": "appendices",
    "quiz": "quizzes",
    "leaf": "leaves",
    "life": "lives",
    "wife": "wives",
    "knife": "knives",
    "shelf": "shelves",
    "half": "halves",
    "bus": "buses",
    "alias": "aliases",
    "status": "statuses",
    "census": "censuses",
    "campus": "campuses",
    "virus": "viruses",
    "bonus": "bonuses",
    "canvas": "canvases",
    "gas": "gases",
    "analysis": "analyses",
    "basis": "bases",
    "crisis": "crises",
    "thesis": "theses",
    "axis": "axes",
    "diagnosis": "diagnoses",
}
SINGULAR_OF = {plural: singular for singular, plural in IRREGULAR.items()}
SINGULAR_OF.update({"indices": "index", "vertexes": "vertex", "matrixes": "matrix"})

# Nouns that are the same in both numbers, or have no plural in use: never wrong.
INVARIANT = frozenset(
    {
        *("equipment", "information", "inventory", "staff", "metadata", "feedback", "news"),
        *("series", "species", "sheep", "fish", "deer", "aircraft", "software", "hardware"),
        *("firmware", "music", "money", "evidence", "furniture", "luggage", "traffic"),
        *("weather", "research", "knowledge", "advice", "progress", "history", "analytics"),
        *("statistics", "logistics", "physics", "mathematics", "economics", "settings"),
        *("audit", "personnel"),
    }
)


def words(name: str) -> list[str]:
    """``OrderItems``, ``order_items``, ``order-items`` -> ``["order", "items"]``; a number
    after letters is a word of its own (``phone2`` -> ``["phone", "2"]``)."""
    found: list[str] = []
    for chunk in _CHUNK.findall(name):
        current = chunk[0]
        for i in range(1, len(chunk)):
            before, char, after = chunk[i - 1], chunk[i], chunk[i + 1 : i + 2]
            camel = char.isupper() and (
                before.islower() or before.isdigit() or (before.isupper() and after.islower())
            )
            if camel or (char.isdigit() and before.isalpha()):
                found.append(current)
                current = char
            else:
                current += char
        found.append(current)
    return [w.lower() for w in found]


def snake_case(name: str) -> str:
    """``OrderItems`` -> ``order_items``; a leading digit gets a ``_`` in front."""
    text = "_".join(words(name)) or "unnamed"
    return "_" + text if text[0].isdigit() else text


def is_plural(word: str) -> bool:
    """True when ``word`` (lower case) reads as a plural noun, or as one with no plural."""
    if word in INVARIANT or word in SINGULAR_OF:
        return True
    if word in IRREGULAR:
        return False
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def pluralize(word: str) -> str:
    """The plural of the singular noun ``word``."""
    if word in INVARIANT or word in SINGULAR_OF:
        return word
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("is"):
        return word[:-2] + "es"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def singularize(word: str) -> str:
    """The singular of the plural noun ``word``."""
    if word in INVARIANT or word in IRREGULAR:
        return word
    if word in SINGULAR_OF:
        return SINGULAR_OF[word]
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def replace_last_word(name: str, word: str) -> str:
    """``name`` with its last ``_``-separated word replaced by ``word``."""
    head, sep, _ = name.rpartition("_")
    return f"{head}{sep}{word}"
