"""A datatrove extractor that cleans with newsclean.

``NewscleanExtractor`` plugs into a datatrove pipeline where its trafilatura
extractor would go: each document's ``text`` (raw HTML or scraped text) is
replaced by the clean article. Documents with nothing left are dropped by
datatrove, as for any extractor. Needs ``pip install newsclean[datatrove]``.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence, Union

from datatrove.pipeline.extractors.base import BaseExtractor

from . import Cleaner

StrPath = Union[str, "os.PathLike[str]"]


class NewscleanExtractor(BaseExtractor):
    """Clean ``doc.text`` with newsclean: HTML pages or scraped text, any European language.

    Args:
        lang, input, rules, profile, site, model, lossy, strict_utf8, fix_mojibake, max_size: as for :class:`newsclean.Cleaner`.
        timeout: datatrove's per-document timeout, in seconds.
    """

    name = "📰 newsclean"

    def __init__(
        self,
        *,
        lang: Optional[str] = None,
        input: str = "auto",
        rules: Union[None, StrPath, Sequence[StrPath]] = None,
        profile: Optional[StrPath] = None,
        site: Optional[str] = None,
        model: Any = None,
        lossy: bool = False,
        strict_utf8: bool = False,
        fix_mojibake: bool = True,
        max_size: Optional[int] = None,
        timeout: float = 1,
    ) -> None:
        super().__init__(timeout)
        self.options = dict(
            lang=lang,
            input=input,
            rules=rules,
            profile=profile,
            site=site,
            model=model,
            lossy=lossy,
            strict_utf8=strict_utf8,
            fix_mojibake=fix_mojibake,
            max_size=max_size,
        )
        # Built here so that a bad option fails at construction, not in a worker.
        self._cleaner: Optional[Cleaner] = Cleaner(**self.options)

    def __getstate__(self) -> dict:
        # datatrove pickles steps to send them to its workers; a Cleaner is rebuilt there.
        state = self.__dict__.copy()
        state["_cleaner"] = None
        return state

    def extract(self, text: str) -> str:
        """The clean article of ``text`` (HTML or scraped text); "" when nothing is left."""
        if self._cleaner is None:
            self._cleaner = Cleaner(**self.options)
        return self._cleaner.clean(text).text
