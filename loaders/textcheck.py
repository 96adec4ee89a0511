"""Turning bytes into text without mojibake, and spotting characters that must not be stored.

Decoding (:func:`decode_bytes`), in this order:

1. a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32);
2. UTF-16 without a BOM is recognised by its many zero bytes;
3. valid UTF-8 is UTF-8;
4. a file that is *mostly* UTF-8 (at least as many valid multi-byte UTF-8 characters as bytes
   that are not UTF-8) is UTF-8 with damaged bytes: it is refused with the offset and line of
   the first bad byte and the likely fix, never re-read in another encoding (one ``\\xff`` must
   not turn ``Müller`` into ``Mﾃｼller``); naming the encoding (``--encoding``, the mapping
   file's ``encoding:``) reads it as that encoding instead;
5. otherwise charset-normalizer guesses; a Western European guess is read as cp1252 (what Excel
   on German and other Western Windows writes), and so is any guess under which fewer of the
   non-ASCII characters are letters than under cp1252 (short files: ``ü`` must not become ``³``);
   anything else as guessed, and a warning says so;
6. if nothing fits, a :class:`graphcap.errors.LoaderError` names the first byte that is not
   UTF-8 (offset, line) and how to fix the file.

Cell checks (:func:`bad_text`), on every decoded text column: NUL and other control characters,
lone surrogates, and text that looks like UTF-8 read in the wrong encoding -- as cp1252
(``MÃ¼ller`` for ``Müller``) or as the file's own non-UTF encoding (``Mﾃｼller`` read as cp932) --
which is refused with the likely intended text, so mojibake is never stored.
"""

from __future__ import annotations

import codecs
import re

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l

__all__ = ["Decoded", "bad_text", "decode_bytes", "is_clean"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer names of encodings that agree with cp1252 on the letters Western exports use
_WESTERN = {
    "cp1252",
    "windows-1252",
    "latin_1",
    "iso8859_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "mac_roman",
    "cp850",
    "cp858",
    "ascii",
}

# C0 controls except tab, newline, carriage return; DEL; C1 controls; lone surrogates.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Characters that start a UTF-8 sequence when that sequence is misread as cp1252.
_MOJIBAKE_HINT = re.compile("[ÃÂâÅÄÐÑ][\u0080-\u02ff\u2000-\u20ff]")
# A multi-byte UTF-8 sequence (lead byte and its continuation bytes).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


class Decoded(str):
    """Decoded text that remembers which encoding was used (``.encoding``)."""

    encoding: str

    def __new__(cls, text: str, encoding: str) -> Decoded:
        obj = super().__new__(cls, text)
        obj.encoding = encoding
        return obj


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, *, file: str, encoding: str | None = None) -> Decoded:
    """Decode a text file's bytes; see the module docstring for the order of attempts.

    ``encoding`` (from a mapping file) forces one encoding; a byte it cannot decode is an error.
    """
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError:
            raise LoaderError(
                _l(
                    "{file}: unknown encoding {encoding!r} in the mapping file",
                    file=file,
                    encoding=encoding,
                ),
                file=file,
            ) from None
        except UnicodeDecodeError as exc:
            raise _decode_error(data, exc, file, encoding) from exc
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError as exc:
                raise _decode_error(data, exc, file, name) from exc
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_exc:
        first_error = utf8_exc
    valid, broken = _utf8_evidence(data)
    if valid >= broken:
        raise _damaged_utf8_error(data, first_error, file, valid, broken) from first_error
    from charset_normalizer import from_bytes

    # a sample decides (the start and the first non-UTF-8 bytes): whole files take seconds
    start = first_error.start
    sample = data[:65536] + b"\n" + data[max(0, start - 4096) : start + 4096]
    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else None
    if guess is not None:
        # cp1252 first where it reads more letters, or as many and the guess is a code page
        # agreeing with it on Western letters (a Polish cp1250 file keeps cp1250: cp1252 would
        # turn its ł into ³)
        cp1252, guessed = _letter_share(sample, "cp1252"), _letter_share(sample, guess)
        western = cp1252 > guessed or (cp1252 >= guessed and guess in _WESTERN)
        for name in (("cp1252",) if western else ()) + (guess,):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError:
                continue
    raise _decode_error(data, first_error, file, "utf-8") from first_error


def _utf8_evidence(data: bytes) -> tuple[int, int]:
    """(valid multi-byte UTF-8 characters, bytes that are not UTF-8) in ``data``."""
    text = data.decode("utf-8", errors="replace")
    real_fffd = data.count(b"\xef\xbf\xbd")
    broken = text.count("\ufffd") - real_fffd
    valid = sum(1 for c in text if ord(c) > 127) - broken
    return valid, broken


def _damaged_utf8_error(
    data: bytes, exc: UnicodeDecodeError, file: str, valid: int, broken: int
) -> LoaderError:
    start = exc.start
    line = data[:start].count(b"\n") + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    shown = data[max(0, start - 8) : start + 4]
    return LoaderError(
        _l(
            "{file}: the file is UTF-8 ({valid} non-ASCII characters read correctly) but "
            "{broken} byte(s) are not: the first at byte offset {start} (line {line}, column "
            "{column}, near {shown!r}). Reading it in another encoding would garble every "
            "accented letter, so it was not imported. Fix or remove that byte (re-export the "
            "file as 'CSV UTF-8'), or, if the file really is in another encoding, name it "
            "(graphcap import --encoding cp1252, or 'encoding:' in the mapping file).",
            file=file,
            valid=valid,
            broken=broken,
            start=start,
            line=line,
            column=column,
            shown=shown,
        ),
        file=file,
    )


def _letter_share(sample: bytes, encoding: str) -> float:
    """Share of the non-ASCII characters that are letters when ``sample`` is read as ``encoding``
    (-1 when it cannot be read so). On little text charset-normalizer may guess a code page that
    turns a German ``ü`` into ``³`` (cp775); cp1252 is taken instead when it reads more letters.
    """
    try:
        text = sample.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return -1.0
    wide = [c for c in text if ord(c) > 127]
    return sum(c.isalpha() for c in wide) / len(wide) if wide else 1.0


def _decode_error(data: bytes, exc: UnicodeDecodeError, file: str, encoding: str) -> LoaderError:
    start = exc.start
    line = data[:start].count(b"\n") + 1
    shown = data[start : start + 4]
    return LoaderError(
        _l(
            "{file}: cannot read the file as text: byte {start} (line {line}) {shown!r} is not "
            "valid {encoding} and no other encoding fits. Save the file as UTF-8 (Excel: 'CSV "
            "UTF-8') or set 'encoding:' in the mapping file.",
            file=file,
            start=start,
            line=line,
            shown=shown,
            encoding=encoding,
        ),
        file=file,
    )


def _utf8_in(value: str, encoding: str | None) -> str | None:
    """What ``value`` says if its characters, written back in ``encoding`` (the encoding the
    file was read in), are really UTF-8; ``None`` if they are not (or the encoding is UTF)."""
    if not encoding or encoding.lower().replace("_", "-").startswith("utf") or value.isascii():
        return None
    try:
        raw = value.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return None
    if not _UTF8_MULTIBYTE.search(raw):
        return None
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed if fixed != value else None


def is_clean(text: str, encoding: str | None = None) -> bool:
    """True when no cell of ``text`` can fail :func:`bad_text` (one scan of a whole file read
    in ``encoding``)."""
    if _BAD_CHAR.search(text) is not None or _MOJIBAKE_HINT.search(text) is not None:
        return False
    if encoding and not encoding.lower().startswith("utf") and not text.isascii():
        try:
            return _UTF8_MULTIBYTE.search(text.encode(encoding, errors="replace")) is None
        except LookupError:
            return False
    return True


def bad_text(value: str, encoding: str | None = None) -> str | None:
    """Why ``value`` must not be stored as it is, or ``None`` if it is fine. ``encoding`` is the
    encoding the file was read in (a cell that is UTF-8 misread in it is mojibake).

    >>> bad_text("Müller GmbH") is None
    True
    >>> bad_text("M\\x00ller")
    'contains the control character U+0000 (NUL); remove it'
    >>> bad_text("MÃ¼ller")
    "looks like mis-decoded text (mojibake): probably 'Müller'; the file was converted to UTF-8 twice or read with the wrong encoding"
    """
    misread = _utf8_in(value, encoding)
    if misread is not None:
        return _l(
            "looks like UTF-8 text read as {encoding} (mojibake): probably {misread!r}; name "
            "the file's real encoding (--encoding utf-8) or re-export it as UTF-8",
            encoding=encoding,
            misread=misread,
        )
    match = _BAD_CHAR.search(value)
    if match:
        ch = match.group()
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            return _l(
                "contains a lone surrogate U+{code} (broken Unicode); re-export the file as UTF-8",
                code=f"{code:04X}",
            )
        name = " (NUL)" if code == 0 else ""
        return _l(
            "contains the control character U+{code}{name}; remove it",
            code=f"{code:04X}",
            name=name,
        )
    if _MOJIBAKE_HINT.search(value):
        try:
            fixed = value.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
        if fixed != value:
            return _l(
                "looks like mis-decoded text (mojibake): probably {fixed!r}; the file was "
                "converted to UTF-8 twice or read with the wrong encoding",
                fixed=fixed,
            )
    return None
