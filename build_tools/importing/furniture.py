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
    # A player's title card: its duration, a title, and what it is (the Guardian's live blogs).
    _rule(
        "video-card",
        r"\d{1,2}:\d{2}(?::\d{2})? .{5,200} [–—-] (?:video|audio|podcast)",
        "1:02 Zelensky visits troops near the front line – video",
    ),
    # A caption ending in the photographer's credit: 'Photograph: Name/Agency'.
    _rule(
        "photograph-credit-caption",
        r"(?P<caption>.{10,600}?[.!?…]?\s(?:Photograph|Photo|Picture|Image|Illustration|Composite|"
        r"Video grab|Screengrab): [^.]{1,120})",
        "Residents walk past a destroyed bridge in Irpin. Photograph: Jane Doe",
        caption=True,
    ),
    _rule(
        "updated",
        r"(?:Updated|Last updated|Published|First published)(?: at| on)?:? "
        r"[\w ,.:/-]{1,40}(?:BST|GMT|CET|CEST|EET|EEST|UTC|ET|EST|EDT|PT|[AP]M|am|pm|\d)\.?",
        "Updated at 18.36 BST",
    ),
    _rule(
        "newsletter",
        r"(?:Sign up|Subscribe)(?: now)? (?:for|to) .{0,120}"
        r"(?:newsletter|updates|alerts|briefing|digest|email)s?\b.{0,80}",
        "Sign up for our weekly Ukraine newsletter",
    ),
    # A prompt to subscribe anywhere in a short line: 'Want more … in your inbox? Sign up to …'.
    _rule(
        "subscription-prompt",
        # …addressed to the reader ('our', 'you', 'free', 'daily'), so a story about people who
        # subscribe to something is not taken for one.
        r"(?=.{0,300}$)(?=.*\b(?:[Oo]ur|[Yy]our|[Yy]ou|[Yy]ou['’]re|free|daily|weekly|now|here)\b)"
        r"(?:.*\b(?:[Ss]ign(?:ed)? up|[Ss]ubscribe|[Ss]ubscription)\b.*"
        r"\b(?:newsletters?|inbox(?:es)?|briefing|digest|e-?mails?)\b.*"
        r"|.*\b(?:newsletters?|inbox(?:es)?)\b.*\b(?:[Ss]ign(?:ed)? up|[Ss]ubscribe)\b.*)",
        "Want more stories like this in your inbox? Sign up to our newsletter",
    ),
    _rule(
        "newsletter-contact",
        r".{0,200}\bnewsletters?\b.{0,100}\b[\w.+-]+@[\w-]+\.[\w.]+\.?",
        "If you have any questions about our newsletters please email newsletters@example.com",
    ),
    # Buttons and section labels standing alone.
    _rule(
        "prompt",
        r"(?i:sign up|subscribe(?: to us| now)?|get in touch|expand|collapse|see the video|watch the video|"
        r"watch video|see more|show more|load more|join us on \w+|other topics of interest|related topics|"
        r"more on this story|most popular|most viewed|topics|tags)[.!:]*",
        "Subscribe to us",
    ),
    # A portal pointing to itself: 'You can read more about it on Ukrinform'.
    _rule(
        "portal-reference",
        r"(?:You can )?(?:read|find|learn|see) more (?:about|on|in|at)? ?.{0,120} (?:on|at) [\w.-]{2,40}\.?",
        "You can read more about the talks on example.com",
    ),
    _rule(
        "stray-letters",
        r"[^\W\d_]{1,2}[.!]?",
        "A",
    ),
    _rule(
        "read-more",
        r"(?:READ MORE|Read more|RELATED|Related|MORE|WATCH|LISTEN) ?: .{1,200}",
        "READ MORE: Russia’s war in Ukraine",
    ),
    _rule(
        "read-also",
        r"(?:(?i:read also|also read|see also)\s*[:—–-]?|(?i:read more|more|related|watch|listen)\s*[:—–])"
        r"\s*.{1,200}",
        "Read also: Ukraine and Poland sign a declaration",
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
