"""Shared fixtures: the repository, the seeds beside it, and documents written for these tests."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"

# Written for these tests: a short English report with the boilerplate newsclean knows.
ARTICLE = """\
Harbour ferry service to resume in spring

The regional ferry between the two harbours will sail again from April, the transport authority said on Wednesday, after a winter in which storms kept the old vessel in dock for eleven weeks.

Advertisement

Repairs to the hull cost more than the authority had planned, and the county council agreed last month to cover the difference from its reserve fund.

Read more
Bus timetable changes from Monday
Bus timetable changes from Monday

The new timetable lists four crossings a day on weekdays and two at weekends.

Passengers with season tickets will get two months free as compensation for the winter.
"""

# Written for these tests: an HTML page with navigation, a figure and a footer around the story.
PAGE = """\
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Library reopens after flood repairs</title></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Library reopens after flood repairs</h1>
<p>The town library reopened on Saturday, eight months after a burst main flooded its ground floor and ruined
about four thousand books.</p>
<figure><img src="a.jpg"><figcaption>Volunteers carry boxes of books. Photo: Staff</figcaption></figure>
<p>Volunteers spent the summer sorting what could be saved, and the council bought new shelving with money
from its insurance claim.</p>
<p>The children's room, which was the worst hit, will open again in the autumn with a larger reading corner.</p>
</article>
<footer><p>Copyright 2025 Town Gazette. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body>
</html>
"""


@pytest.fixture
def shared_dir() -> Path:
    """The shared seeds and expected outputs; skipped when absent, except under CI."""
    if (SHARED / "seeds").is_dir() and (SHARED / "expected").is_dir():
        return SHARED
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {SHARED} has no seeds/ and expected/")
    pytest.skip(f"{SHARED} is missing (the seeds live outside the repo)")
