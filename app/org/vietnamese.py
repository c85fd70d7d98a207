"""Vietnamese names: search normalisation and dictionary collation."""

import unicodedata

_LETTERS = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_ORDER = {letter: f"{i + 10:02d}" for i, letter in enumerate(_LETTERS)}
_DIGITS = {str(d): f"{d + 1:02d}" for d in range(10)}  # digits sort before letters
# Tone marks in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a different letter (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def fold(text: str) -> str:
    """'Nguyễn Văn  Ân' -> 'nguyen van an': lower case, no diacritics, single spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def _letters_and_tones(word: str) -> tuple[str, str]:
    """Split a word into its letter codes (tones removed) and a tone code per letter."""
    codes, tones = [], []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
            continue
        if char in _LETTER_MARKS and codes:
            base = unicodedata.normalize("NFC", codes.pop() + char)
            codes.append(base)
            continue
        if unicodedata.combining(char):
            continue
        codes.append(char)
        tones.append("0")
    encoded = "".join(_ORDER.get(c) or _DIGITS.get(c) or "99" for c in codes)
    return encoded, "".join(tones)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given): 'Nguyễn Thị Thu Hà' -> ('Nguyễn', 'Thị Thu', 'Hà')."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def sort_key(full_name: str) -> str:
    """An ASCII-digit key that orders names the Vietnamese way: by given name, then
    middle, then family name, letters in Vietnamese order, tones last. Only digits,
    so any database collation orders it the same."""
    family, middle, given = split_name(full_name)
    primary, tones = [], []
    for part in (given, *middle.split(), "|", family):
        if part == "|":  # middle names end here: "no middle name" sorts first
            primary.append("00")
            continue
        letters, part_tones = _letters_and_tones(part)
        primary.append(letters + "00")
        tones.append(part_tones)
    return ("".join(primary) + "0" + "".join(tones))[:400]
