"""Page furniture: the lines a saved page carries around the story (share buttons, newsletter
prompts, 'Read more' links), each rule with an example, and captions kept as captions."""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- page furniture ----------------------------------------------------------------------


@dataclass(frozen=True)
class FurnitureRule:
    """A kind of line a publisher's page adds around the story. `pattern` must match the whole
    line (whitespace collapsed); `example` is a real line it removes (the tests check each)."""

    name: str
    pattern: re.Pattern[str]
    example: str
    # A photo caption is part of the report (who, where, when): it is kept, marked as a
    # caption, and only the viewer's label (the `label` group) is dropped.
    caption: bool = False


def _rule(name: str, pattern: str, example: str, caption: bool = False) -> FurnitureRule:
    return FurnitureRule(name, re.compile(pattern), example, caption)


# Each rule is narrow on purpose: a story paragraph ends with punctuation and is never only a
# share prompt, so anchoring every pattern to the whole line keeps the story intact.
FURNITURE_RULES: tuple[FurnitureRule, ...] = (
    _rule(
        "email-share",
        r"Send this (?:page|article|story) to someone via email",
        "Send this page to someone via email",
    ),
    _rule(
        "share",
        r"(?:Share|Share this(?: article| story| page)?|Copy link|Click to share on .{1,40}|"
        r"Share (?:on|via) (?:Facebook|Twitter|X|WhatsApp|LinkedIn|Reddit|Email|Telegram))[.:]?",
        "Share this article",
    ),
    _rule(
        "ad-break",
        r"(?:Story|Article) continues (?:below|after)(?: (?:this|the))? (?:advertisement|ad)",
        "Story continues below advertisement",
    ),
    _rule(
        "advertisement",
        r"(?:Advertisement|ADVERTISEMENT|Sponsored content)"
        r"(?: ?[-–—:] ?(?:[Ss]croll|[Cc]ontinue)[^.]{0,40})?",
        "Advertisement",
    ),
    # Global News puts every photo caption after this label of its image viewer.
    _rule(
        "image-viewer",
        r"(?P<label>View image in full screen)\b\s*(?P<caption>.*)",
        "View image in full screen A map posted by the British Ministry of Defence on March 30 "
        "shows the Russian attack and troop locations in Ukraine. "
        "U.K. Ministry of Defence on Twitter",
        caption=True,
    ),
    # An embedded video: its duration, then its title twice (the player's and the link's).
    _rule(
        "video",
        r"\d{1,2}:\d{2}(?::\d{2})? (?P<title>.{5,200}?) (?P=title)",
        "2:41 U.S. skeptical over Russia’s promises to scale back military operations near Kyiv "
        "U.S. skeptical over Russia’s promises to scale back military operations near Kyiv",
    ),
    # A caption whose last part, after a dash, is a © credit; or a bare © line.
    _rule(
        "copyright-caption",
        r"(?:.{0,600}\s)?[-–—] [^–—]{0,80}©[^–—]{0,80}|©.{0,120}",
        "Maxar satellite imagery shows before and after photos published on March 29 of a "
        "residential area in Mariupol damaged in ongoing fighting. "
        "– Satellite image ©2022 Maxar Technologies",
        caption=True,
    ),
    # A caption ending in 'Photographer/Agency' with no full stop: a story paragraph has one.
    _rule(
        "agency-caption",
        r".{0,600}\S/(?:Getty Images|AFP|AP|AP Photo|Reuters|EPA|EPA-EFE|Anadolu Agency|"
        r"Bloomberg|Sipa USA)(?: via Getty Images)?",
        "Ukrainian servicemen walk past a destroyed tank in Lukianivka. Sergei Supinsky/AFP via Getty Images",
        caption=True,
    ),
    _rule(
        "photo-credit",
        r"(?:.{0,600}\s)?\((?:AP Photo|AFP Photo|Photo|Photo by|Photograph|Image|Credit)"
        r"[/:\s][^()]{1,80}\)\.?|(?:Photo|Image|Photograph|Illustration)(?: credit)?: .{1,150}",
        "A woman walks past a damaged building in Kyiv on March 30. (AP Photo/Felipe Dana)",
        caption=True,
    ),
    _rule(
        "newsletter",
        r"(?:Sign up|Subscribe)(?: now)? (?:for|to) .{0,120}"
        r"(?:newsletter|updates|alerts|briefing|digest|email)s?\b.{0,80}",
        "Sign up for our weekly Ukraine newsletter",
    ),
    _rule(
        "read-more",
        r"(?:READ MORE|Read more|RELATED|Related|MORE|WATCH|LISTEN) ?: .{1,200}",
        "READ MORE: Russia’s war in Ukraine",
    ),
    _rule(
        "follow",
        r"Follow (?:us|\w+(?: \w+)?) on "
        r"(?:Twitter|Facebook|Instagram|Telegram|X|TikTok|YouTube)\.?",
        "Follow us on Twitter",
    ),
    _rule(
        "page-controls",
        r"(?:Comments|Print|Close|Skip to (?:main )?content|Listen to this article(?: \d+ min)?|"
        r"Text size|Trending Now|Most Read|Play Video)",
        "Skip to content",
    ),
)


def furniture_rule(line: str) -> FurnitureRule | None:
    """The rule that marks `line` as page furniture, or None for a line of the story."""
    text = " ".join(line.split())
    return next((r for r in FURNITURE_RULES if r.pattern.fullmatch(text)), None)


def is_furniture(line: str) -> bool:
    return furniture_rule(line) is not None


def split_furniture(line: str) -> tuple[str | None, str | None]:
    """(caption to keep, furniture to drop) for a line; (None, None) for a story line."""
    text = " ".join(line.split())
    rule = furniture_rule(text)
    if rule is None:
        return None, None
    if not rule.caption:
        return None, text
    m = rule.pattern.fullmatch(text)
    groups = m.groupdict() if m else {}
    caption = groups.get("caption") or text
    return (caption or None), groups.get("label")
