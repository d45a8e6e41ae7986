"""newsclean: the article alone, out of scraped news text or HTML.

Strips photo captions, ad slots, related-story blocks, footers and the date
and source lines at the top, in any European language; every story sentence
is kept, in input order. The cleaning is the Rust library's (the
``newsclean`` command's); this package is its Python face.

>>> import newsclean
>>> out = newsclean.clean("The mayor resigned on Monday.\\n\\nAdvertisement\\n\\nShe will stay until May.")
>>> out.text
'The mayor resigned on Monday.\\n\\nShe will stay until May.\\n'
>>> out.removed[0].rule
'en.ad.marker'

For many documents, build a :class:`Cleaner` once and call
:meth:`Cleaner.clean_many`: it cleans in parallel on all cores without the GIL.
"""

from ._newsclean import (
    Cleaned,
    Cleaner,
    Error,
    InputError,
    ModelError,
    ProfileError,
    Removed,
    RulesError,
    __version__,
    clean,
)

__all__ = [
    "Cleaned",
    "Cleaner",
    "Error",
    "InputError",
    "ModelError",
    "ProfileError",
    "Removed",
    "RulesError",
    "__version__",
    "clean",
]
