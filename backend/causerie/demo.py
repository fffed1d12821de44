"""Demo data: the fictional brand "Maison Lumière". Idempotent; refused in production.

One file on purpose (~440 lines): most of it is the demo's data (accounts, script, answers,
dialogue), read top to bottom with the few private steps that load it; nothing reuses a part.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.markdown import render_markdown
from causerie.core.passwords import hash_password
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.invitations import service as invitations_service
from causerie.models import (
    Membership,
    Organization,
    Participant,
    Prompt,
    Response,
    Role,
    Segment,
    Space,
    SpaceLanguage,
    SpaceObjective,
    SpaceStatus,
    User,
)
from causerie.models.conversations import (
    AuthorKind,
    Note,
    Probe,
    ProbeStatus,
    ProbeVisibility,
    Reaction,
    ReactionKind,
    Reply,
)
from causerie.participants import service as participants_service
from causerie.script import document, transfer
from causerie.script import rules as script_rules
from causerie.spaces.segments import segment_key

DEMO_PASSWORD = "causerie-demo"  # noqa: S105 - published demo credential
DEMO_ORGANIZATION = "Maison Lumière"
DEMO_SPACE = "Club Lumière"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: Role


DEMO_STAFF = (
    DemoAccount("owner@maison-lumiere.example.com", "Camille Laurent", Role.owner),
    DemoAccount("animator@maison-lumiere.example.com", "Léa Martin", Role.animator),
    DemoAccount("observer@maison-lumiere.example.com", "Hugo Bernard", Role.observer),
)

# (e-mail, pseudonym, segments) of the Club Lumière participants.
DEMO_PARTICIPANTS = (
    ("rose@example.com", "Rose des vents", ("VIP",)),
    ("jules@example.com", "Jules", ("VIP",)),
    ("ines@example.com", "Inès B.", ("VIP", "Prospects")),
    ("marc@example.com", "Marc-Antoine", ("VIP",)),
    ("sophie@example.com", "Sophie L.", ("Prospects",)),
    ("yanis@example.com", "Yanis", ("Prospects",)),
    ("clara@example.com", "Clara", ("VIP",)),
    ("noe@example.com", "Noé", ("Prospects",)),
    ("amina@example.com", "Amina K.", ("VIP",)),
    ("paul@example.com", "Paul", ("Prospects",)),
    ("lucie@example.com", "Lucie", ("VIP", "Prospects")),
    ("theo@example.com", "Théo", ()),
)
DEMO_PENDING = ("valentin@example.com", "margaux@example.com", "olivier@example.com")

CLUB_DESCRIPTION = (
    "Le cercle privé des clientes et clients de **Maison Lumière** : vos avis sur nos "
    "collections, nos boutiques et nos projets, avant tout le monde."
)
CLUB_WELCOME = (
    "Bienvenue au Club Lumière ! Ici, quelques personnes choisies échangent avec l'équipe "
    "de la maison. Prenez la parole : chaque réponse est lue."
)
CLUB_TERMS = (
    "Vos réponses servent à améliorer nos produits. Elles ne sont jamais publiées sans "
    "votre accord, et vous pouvez quitter le club à tout moment."
)


async def _user(session: AsyncSession, email: str, name: str, password_hash: str) -> User:
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=name, password_hash=password_hash)
        session.add(user)
        await session.flush()
    return user


async def load_demo(session: AsyncSession, settings: Settings) -> bool:
    """Create the demo data unless it exists; return whether anything was created."""
    organization = await session.scalar(
        select(Organization).where(Organization.name == DEMO_ORGANIZATION)
    )
    created = organization is None
    if organization is None:
        organization = Organization(name=DEMO_ORGANIZATION)
        session.add(organization)
        await session.flush()
    password_hash = await hash_password(DEMO_PASSWORD)
    owner: User | None = None
    for account in DEMO_STAFF:
        user = await _user(session, account.email, account.display_name, password_hash)
        owner = owner or user
        membership = await session.scalar(
            select(Membership).where(
                Membership.organization_id == organization.id, Membership.user_id == user.id
            )
        )
        if membership is None:
            session.add(
                Membership(organization_id=organization.id, user_id=user.id, role=account.role)
            )
            created = True
    await session.flush()
    assert owner is not None
    return await _load_club(session, settings, organization, owner, password_hash) or created


async def _load_club(
    session: AsyncSession,
    settings: Settings,
    organization: Organization,
    owner: User,
    password_hash: str,
) -> bool:
    space = await session.scalar(
        select(Space).where(Space.organization_id == organization.id, Space.title == DEMO_SPACE)
    )
    if space is not None:
        return False
    now = utcnow()
    space = Space(
        organization_id=organization.id,
        title=DEMO_SPACE,
        description=CLUB_DESCRIPTION,
        objective=SpaceObjective.relationship,
        language=SpaceLanguage.fr,
        time_zone="Europe/Paris",
        accent_color="#8a3b12",
        welcome_message=CLUB_WELCOME,
        terms=CLUB_TERMS,
        status=SpaceStatus.open,
        opened_at=now - timedelta(days=20),
    )
    session.add(space)
    await session.flush()
    segments: dict[str, uuid.UUID] = {}
    for name in ("VIP", "Prospects"):
        segment = Segment(
            organization_id=organization.id,
            space_id=space.id,
            name=name,
            name_key=segment_key(name),
        )
        session.add(segment)
        await session.flush()
        segments[name] = segment.id
    for index, (email, pseudonym, names) in enumerate(DEMO_PARTICIPANTS):
        user = await _user(session, email, pseudonym, password_hash)
        joined = now - timedelta(days=18 - index)
        participant = Participant(
            organization_id=organization.id,
            space_id=space.id,
            user_id=user.id,
            pseudonym=pseudonym,
            pseudonym_key=participants_service.pseudonym_key(pseudonym),
            joined_at=joined,
            last_seen_at=joined + timedelta(days=1),
            consent_terms_version=space.terms_version,
            consent_at=joined,
        )
        session.add(participant)
        await session.flush()
        await participants_service.set_segments(
            session, participant.id, [segments[name] for name in names]
        )
    # A few pending invitations; with no SMTP their e-mails are kept for the studio.
    principal = Principal.for_user(owner.id)
    for email in DEMO_PENDING:
        await invitations_service.invite_participant(
            session,
            settings=settings,
            principal=principal,
            space_id=space.id,
            email=email,
            segment_ids=[segments["Prospects"]],
            display_name=None,
            message="Nous serions ravis de vous compter parmi nous.",
        )
    await session.flush()
    await _load_script(session, space, principal, now)
    return True


CLUB_SCRIPT = """\
version: 1
prompts:
- key: bienvenue
  kind: discussion
  title: Bienvenue au Club Lumière !
  body: Présentez-vous en quelques mots. Quelle est votre pièce préférée de la maison ?
  status: published
  visibility: open
  release: {{kind: at, at: '{opened}'}}
- key: lampe-premieres-impressions
  kind: poll
  title: La lampe Aube — vos premières impressions
  body: Voici notre nouvelle lampe de chevet. Qu'en pensez-vous, au premier regard ?
  status: published
  visibility: uninfluenced
  poll:
    allow_other: true
    options:
    - {{key: coup-de-coeur, label: Coup de cœur}}
    - {{key: jolie, label: Jolie mais pas pour moi}}
    - {{key: trop-chere, label: Trop chère}}
  release: {{kind: after_prompt, after: bienvenue}}
- key: pourquoi-trop-chere
  kind: discussion
  title: À quel prix l'auriez-vous achetée ?
  body: Vous la trouvez trop chère — dites-nous quel prix vous semblerait juste, et pourquoi.
  status: published
  visibility: private
  release: {{kind: when_answer, after: lampe-premieres-impressions, options: [trop-chere]}}
- key: journal-soirees
  kind: diary
  title: La lampe dans vos soirées
  body: Chaque soir pendant cinq jours, racontez-nous un moment avec la lampe Aube.
  status: published
  visibility: open
  diary: {{entries: 5, period: day}}
  release: {{kind: after_join, delay_minutes: 4320}}
- key: question-personnelle
  kind: discussion
  title: Une question rien que pour vous
  body: Qu'est-ce qui vous ferait recommander Maison Lumière à un proche ?
  status: published
  visibility: private
  segments: [VIP]
  release: {{kind: after_join, delay_minutes: 1440}}
- key: note-boutique
  kind: rating
  title: Votre dernière visite en boutique
  status: published
  visibility: open
  rating: {{min: 1, max: 5, min_label: Décevante, max_label: Parfaite, comment: true}}
  release: {{kind: at, at: '{rating_at}'}}
"""
DEMO_ANSWERS = {
    "bienvenue": [
        (
            "rose@example.com",
            "Bonjour ! Rose, fidèle depuis dix ans. Ma pièce préférée : le salon.",
        ),
        ("jules@example.com", "Jules, je découvre la maison. J'adore la cuisine lumineuse."),
        ("ines@example.com", "Inès, la chambre surtout — la lumière du soir compte beaucoup."),
    ],
}
DEMO_POLL = {"rose@example.com": "coup-de-coeur", "ines@example.com": "trop-chere"}


async def _load_script(
    session: AsyncSession, space: Space, principal: Principal, now: datetime
) -> None:
    local = ZoneInfo(space.time_zone)
    text = CLUB_SCRIPT.format(
        opened=(space.opened_at or now).astimezone(local).replace(microsecond=0).isoformat(),
        rating_at=(now + timedelta(days=3))
        .astimezone(local)
        .replace(hour=10, minute=0, second=0, microsecond=0)
        .isoformat(),
    )
    await transfer.import_script(
        session,
        principal=principal,
        space_id=space.id,
        doc=document.parse(text.encode(), "application/yaml"),
    )
    prompts = {p.key: p for p in await script_rules.load_prompts(session, space.id)}
    participants = dict(
        (
            await session.execute(
                select(User.email, Participant)
                .join(Participant, Participant.user_id == User.id)
                .where(Participant.space_id == space.id)
            )
        ).all()
    )
    for index, (email, text_answer) in enumerate(DEMO_ANSWERS["bienvenue"]):
        session.add(
            Response(
                organization_id=space.organization_id,
                space_id=space.id,
                prompt_id=prompts["bienvenue"].id,
                participant_id=participants[email].id,
                text=text_answer,
                text_html=render_markdown(text_answer),
                created_at=now - timedelta(days=15 - index),
            )
        )
    for index, (email, choice) in enumerate(DEMO_POLL.items()):
        session.add(
            Response(
                organization_id=space.organization_id,
                space_id=space.id,
                prompt_id=prompts["lampe-premieres-impressions"].id,
                participant_id=participants[email].id,
                choices=[choice],
                created_at=now - timedelta(days=10 - index),
            )
        )
    await session.flush()
    await _load_dialogue(session, space, prompts, participants, now)
    # Openings before today are history, not news: do not announce them all at start-up.
    for prompt in prompts.values():
        prompt.announced_until = now
        prompt.reminded_until = now
    await session.flush()


async def _load_dialogue(
    session: AsyncSession,
    space: Space,
    prompts: dict[str, Prompt],
    participants: dict[str, Participant],
    now: datetime,
) -> None:
    """Replies between participants, brand replies, probes (one overdue), reactions, notes."""
    animator_id = await session.scalar(select(User.id).where(User.email == DEMO_STAFF[1].email))
    welcome = {
        response.participant_id: response
        for response in (
            await session.scalars(
                select(Response).where(Response.prompt_id == prompts["bienvenue"].id)
            )
        ).all()
    }
    rose, jules, ines = (
        participants[e] for e in ("rose@example.com", "jules@example.com", "ines@example.com")
    )
    org = space.organization_id

    def reply(response: Response, text: str, days_ago: float, **author: object) -> Reply:
        item = Reply(
            organization_id=org,
            space_id=space.id,
            response_id=response.id,
            text=text,
            text_html=render_markdown(text),
            created_at=now - timedelta(days=days_ago),
            **author,
        )
        session.add(item)
        return item

    staff = {"author_kind": AuthorKind.staff, "author_user_id": animator_id}
    reply(
        welcome[rose.id],
        "Merci Rose, dix ans déjà ! Le salon est aussi notre pièce préférée.",
        14,
        **staff,
    )
    reply(welcome[rose.id], "Le salon aussi chez moi, avec une lampe de lecture.", 13.5,
          author_kind=AuthorKind.participant, author_participant_id=jules.id)  # fmt: skip
    reply(
        welcome[jules.id],
        "Bienvenue Jules ! Qu'est-ce qui vous a fait découvrir la maison ?",
        13,
        **staff,
    )
    reply(welcome[ines.id], "La lumière du soir, tellement vrai.", 12,
          author_kind=AuthorKind.participant, author_participant_id=rose.id)  # fmt: skip
    await session.flush()

    def probe(response: Response, text: str, visibility: ProbeVisibility, days_ago: float) -> Probe:
        item = Probe(
            organization_id=org,
            space_id=space.id,
            prompt_id=response.prompt_id,
            response_id=response.id,
            participant_id=response.participant_id,
            created_by_user_id=animator_id,
            text=text,
            text_html=render_markdown(text),
            visibility=visibility,
            created_at=now - timedelta(days=days_ago),
            due_at=now - timedelta(days=days_ago) + timedelta(hours=48),
        )
        session.add(item)
        return item

    probe(welcome[ines.id], "Quelle lumière aimeriez-vous le soir : douce, chaude, réglable ?",
          ProbeVisibility.private, 5)  # fmt: skip
    answered = probe(
        welcome[rose.id], "Qu'aimez-vous lire le soir au salon ?", ProbeVisibility.public, 10
    )
    probe(welcome[jules.id], "Qu'attendez-vous du Club ?", ProbeVisibility.public, 0.5)
    await session.flush()
    answer = reply(welcome[rose.id], "Des romans, surtout en hiver.", 9.5,
                   author_kind=AuthorKind.participant, author_participant_id=rose.id)  # fmt: skip
    await session.flush()
    answer.probe_id = answered.id
    answered.status, answered.answered_at = ProbeStatus.answered, now - timedelta(days=9.5)
    users = {p.id: p.user_id for p in (rose, jules, ines)}
    for target, who, kind in (
        (welcome[rose.id], jules.id, ReactionKind.heart),
        (welcome[rose.id], ines.id, ReactionKind.thumbs_up),
        (welcome[ines.id], rose.id, ReactionKind.idea),
    ):
        session.add(
            Reaction(organization_id=org, user_id=users[who], target_id=target.id, kind=kind)
        )
    session.add(
        Note(
            organization_id=org,
            space_id=space.id,
            target_id=welcome[rose.id].id,
            author_user_id=animator_id,
            text="Cliente fidèle : à citer dans la newsletter (avec son accord).",
            text_html=render_markdown(
                "Cliente fidèle : à citer dans la newsletter (avec son accord)."
            ),
        )
    )
    await session.flush()
