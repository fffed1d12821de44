"""A participant's home I/O: the cards of My spaces."""

from __future__ import annotations

from pydantic import BaseModel, Field

from causerie.participants.schemas import MySpaceRead


class MySpaceCard(MySpaceRead):
    """One of my spaces, with what awaits me there (zero where I cannot act: a suspended
    participation, a space that is not open)."""

    to_do: int = Field(description="Prompts open for me that I can answer now")
    open_probes: int = Field(description="The brand's questions to me still unanswered")
    unread_replies: int = Field(description="Replies under my answers since my last visit")


class MySpaceCardPage(BaseModel):
    items: list[MySpaceCard]
    next_cursor: str | None
