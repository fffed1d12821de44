"""User Markdown rendered to a safe subset of HTML, then sanitized."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(["image"])

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4",
}  # fmt: skip


def render_markdown(source: str) -> str:
    """Markdown → sanitized HTML: no raw HTML, no images, links open safely."""
    html = _markdown.render(source)
    # Headings of user text never outrank the page's own.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    html = html.replace("<h5>", "<h4>").replace("</h5>", "</h4>")
    html = html.replace("<h6>", "<h4>").replace("</h6>", "</h4>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )
