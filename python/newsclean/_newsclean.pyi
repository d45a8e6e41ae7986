"""Type stubs of the native module (re-exported by ``newsclean``)."""

import os
from typing import Dict, Iterable, List, Literal, Optional, Sequence, Tuple, Union

__version__: str

StrPath = Union[str, "os.PathLike[str]"]
Doc = Union[str, bytes, bytearray]
InputKind = Literal["auto", "text", "html"]
ModelOption = Union[None, bool, StrPath, Sequence[StrPath]]

class Error(Exception):
    """Base class of every error newsclean raises."""

class InputError(Error):
    """A document could not be read: invalid UTF-8, binary data (NUL bytes), over ``max_size``."""

class RulesError(Error):
    """A rules file could not be read, parsed or compiled (the message names the file)."""

class ModelError(Error):
    """A block model file could not be read or was made for other features."""

class ProfileError(Error):
    """A site profile (from ``newsclean learn``) could not be read."""

class Removed:
    """A removed block, or a trimmed prefix of one."""

    @property
    def index(self) -> int:
        """Index of the block in the document."""
    @property
    def line(self) -> int:
        """1-based source line (0 for HTML)."""
    @property
    def text(self) -> str: ...
    @property
    def rule(self) -> str:
        """The rule that removed it, as ``newsclean --explain`` shows it (``model`` for the block model)."""
    @property
    def kind(self) -> str:
        """``ad``, ``caption``, ``related``, ``timestamp``, ``footer``, ``metadata``, ``profile``, ``dom``,
        ``context`` or ``model``."""
    @property
    def score(self) -> Optional[float]:
        """The model's probability of boilerplate where the model decided, else None."""
    @property
    def features(self) -> List[Tuple[str, float]]:
        """Where the model decided: the features that weighed most, as (name, weight in log-odds)."""

class Cleaned:
    """The result of cleaning one document. Results compare equal when their fields do."""

    @property
    def text(self) -> str:
        """The kept paragraphs joined by a blank line, with a final newline ("" if nothing was kept)."""
    @property
    def paragraphs(self) -> List[str]:
        """The kept blocks, one string each, in input order."""
    @property
    def removed(self) -> List[Removed]:
        """Every removed block, in input order."""
    @property
    def metadata(self) -> Dict[str, Union[str, Dict[str, str]]]:
        """``language``, and where found ``title``, ``date``, ``author``, ``source``, ``site_name``, ``url``,
        and ``extra`` (a dict of the fields user rules name)."""
    def to_json(self) -> str:
        """The JSON object ``newsclean --format json`` writes for this document (without ``path``)."""

class Cleaner:
    """A reusable cleaner: build it once, it holds the compiled rules and the block model.

    Args:
        lang: a language code whose stopwords to use, instead of detecting the language.
        input: ``"auto"`` detects HTML by content; ``"text"`` or ``"html"`` forces a reader.
        rules: a rules file, or a list of them, added to the built-in rules (same TOML format).
        profile: a site profile written by ``newsclean learn``; needs ``site``.
        site: the documents' site in ``profile``: a host (``"example.com"``) or a URL.
        model: None for the built-in text model; False for the named rules alone; a model file
            from ``newsclean train`` (or one per view, text and HTML) to use instead.
        lossy: replace invalid UTF-8 in bytes with U+FFFD (instead of detecting the encoding).
        strict_utf8: raise InputError for bytes that are not valid UTF-8 (instead of detecting
            the encoding: BOM, declared charset, UTF-8, then chardetng's guess).
        fix_mojibake: repair UTF-8 that was read as Windows-1252 or Latin-1 ("Ã©" → "é").
        max_size: refuse larger documents, in bytes (default 64 MiB).

    Raises:
        RulesError, ModelError, ProfileError: a file named cannot be read or is invalid.
        ValueError: an option has an invalid value.
    """

    def __init__(
        self,
        *,
        lang: Optional[str] = None,
        input: InputKind = "auto",
        rules: Union[None, StrPath, Sequence[StrPath]] = None,
        profile: Optional[StrPath] = None,
        site: Optional[str] = None,
        model: ModelOption = None,
        lossy: bool = False,
        strict_utf8: bool = False,
        fix_mojibake: bool = True,
        max_size: Optional[int] = None,
    ) -> None: ...
    def clean(self, doc: Doc) -> Cleaned:
        """Clean one document: text or an HTML page, as ``str`` or bytes (in any charset the page declares).

        Raises:
            InputError: the bytes are not UTF-8 (with ``strict_utf8``), binary, or over ``max_size``.
            TypeError: ``doc`` is neither str nor bytes.
        """
    def clean_many(self, docs: Iterable[Doc], jobs: Optional[int] = None) -> List[Cleaned]:
        """Clean many documents in parallel on ``jobs`` threads (None: one per core), with the GIL
        released; the results are in input order and equal to ``clean`` one by one.

        Raises:
            InputError: for the first document that fails, naming its index ("document 3: ...").
            TypeError: a document is neither str nor bytes.
            ValueError: ``jobs`` is 0.
        """

def clean(
    doc: Doc,
    *,
    lang: Optional[str] = None,
    input: InputKind = "auto",
    rules: Union[None, StrPath, Sequence[StrPath]] = None,
    profile: Optional[StrPath] = None,
    site: Optional[str] = None,
    model: ModelOption = None,
    lossy: bool = False,
    strict_utf8: bool = False,
    fix_mojibake: bool = True,
    max_size: Optional[int] = None,
) -> Cleaned:
    """Clean one document with the given options (see :class:`Cleaner`). Without options, the
    built-in cleaner is built once and reused; with options, prefer a :class:`Cleaner`."""
