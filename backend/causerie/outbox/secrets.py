"""Secret links kept out of the readable body of an e-mail.

A link that acts for its recipient (an invitation, a sign-in link, an unsubscribe link)
is stored apart from the body, which only holds a placeholder such as
``⟦secret-link:0⟧``. Delivery puts the real link back (``reveal_*``); the owners' view of
the e-mail shows a mask instead (``mask_*``). These are pure functions of their inputs.

The placeholder format is stored in the database: changing it needs a data migration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

_PREFIX = "⟦secret-link:"
_PLACEHOLDER = re.compile(r"⟦secret-link:(\d+)⟧")
_PLACEHOLDER_HREF = re.compile(r"""href=(["'])⟦secret-link:\d+⟧\1""")


def placeholder(index: int) -> str:
    return f"{_PREFIX}{index}⟧"


def unique_links(links: Sequence[str]) -> list[str]:
    """The links in order, without repeats; an empty link is a programming error."""
    unique: list[str] = []
    for link in links:
        if not link:
            raise ValueError("a secret link cannot be empty")
        if link not in unique:
            unique.append(link)
    return unique


def _defuse(body: str) -> str:
    # Text that merely looks like a placeholder (say, in an inviter's personal message)
    # must never be turned into a real link at delivery.
    return body.replace(_PREFIX, "[secret-link:")


def hide(text: str, html: str | None, links: Sequence[str]) -> tuple[str, str | None]:
    """``text`` and ``html`` with every occurrence of each link replaced by its placeholder.

    ``links`` must already be unique (``unique_links``); the placeholder's number is the
    link's position in it. In HTML both the escaped and the raw form are replaced.
    """
    text = _defuse(text)
    html = _defuse(html) if html is not None else None
    # The longest first, so a link that extends another is never half replaced.
    for index in sorted(range(len(links)), key=lambda i: len(links[i]), reverse=True):
        link, marker = links[index], placeholder(index)
        text = text.replace(link, marker)
        if html is not None:
            html = html.replace(escape(link), marker).replace(link, marker)
    return text, html


def reveal_text(text: str, links: Sequence[str], *, mask: str) -> str:
    """The text to send: each placeholder is its real link (``mask`` if it has none)."""
    return _PLACEHOLDER.sub(lambda m: _link(m, links) or mask, text)


def reveal_html(html: str, links: Sequence[str], *, mask: str) -> str:
    """The HTML to send: each placeholder is its real link, escaped."""
    return _PLACEHOLDER.sub(lambda m: escape(_link(m, links) or mask), html)


def mask_text(text: str, *, mask: str) -> str:
    """What staff may read: each placeholder is ``mask``."""
    return _PLACEHOLDER.sub(lambda _: mask, text)


def mask_html(html: str, *, mask: str) -> str:
    """What staff may read: secret hrefs lead nowhere, other placeholders read ``mask``."""
    html = _PLACEHOLDER_HREF.sub('href="#"', html)
    return _PLACEHOLDER.sub(lambda _: escape(mask), html)


def _link(match: re.Match[str], links: Sequence[str]) -> str | None:
    index = int(match.group(1))
    return links[index] if index < len(links) else None
