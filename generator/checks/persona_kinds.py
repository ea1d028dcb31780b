"""Which kinds of phrase a piece of persona text may hold, told by its words and a few of its
characters before any expression reads it (`kinds`); `persona_patterns` holds the expressions
of each kind. A kind is named only where every phrase its expressions match holds one of its
trigger words (`TRIGGERS`) and what `needs` asks for besides; tests/test_scan_shortcuts.py
compares the phrases found with those every expression finds.
"""

from __future__ import annotations

import re

_FLAGS = re.UNICODE

WORD = re.compile(r"[^\W_]+", _FLAGS)
TRIGGERS: dict[str, frozenset[str]] = {
    kind: frozenset(words.split())
    for kind, words in {
        "override": "ignore ignoring disregard forget override bypass discard abandon now mode"
        " instruction instructions ignoriere ignorieren vergiss ignorez ignorer oublie oubliez"
        " ignora ignorar ignorate ignori",
        "ai": "ai llm llms agent agents bot bots assistant assistants model models",
        "secret": "key keys seed mnemonic recovery environment env credentials password passwords"
        " token tokens keypair keypairs secret secrets prompt instructions 12 24 clave chave"
        " chiave frase phrase phrases apikey apikeys privatekey privatekeys secretkey secretkeys"
        " seedphrase seedphrases seedwords recoveryphrase recoveryphrases recoverywords",
        "destination": "com io xyz app net org finance claim claims gift top site online live"
        " pro invalid fi money cash network exchange eth sol http https",
        "drainer": "setapprovalforall approve grant give sign increaseallowance",
        "airdrop": "claim connect free",
    }.items()
}
"""A word every phrase of a kind holds (`kinds` adds what words miss: markers, CJK,
addresses): a piece is read only by the expressions whose words it has. One pass over the
words instead of ten expressions took the 44 test characters from 122 ms to 66 ms of CPU."""
_TLDS = TRIGGERS["destination"] - {"http", "https"}
_SECRET_VERBS = frozenset(
    form
    for verb in (
        *("reveal", "print", "show", "output", "display", "send", "share", "post", "tell"),
        *("give", "dump", "leak", "email", "mail", "paste", "disclose", "expose", "echo"),
        *("repeat", "upload", "forward", "dm", "spell", "write", "type"),  # `_REVEAL`
    )
    for form in (verb, f"{verb}s", f"{verb}es")
) | {"enter", "submit", "provide", "input", "verify", "validate", "sync", "import"}  # `PHISH`
"""Each verb of `_REVEAL` with the endings `EXFIL` allows (`e-mail` is the words `e` and
`mail`, `spell out` starts with `spell`), and the verbs of `PHISH`: English text holds one
wherever either expression matches (edit this with them)."""
_AIRDROP_GOODS = frozenset(
    {
        *("airdrop", "token", "tokens", "reward", "rewards", "nft", "nfts", "allocation"),
        *("prize", "bonus", "giveaway", "wallet", "wallets", "crypto", "eth", "sol"),
    }
)
"""What a claim, a connection or a free gift of `AIRDROP` names, one of them always."""
_INTL_VERBS = (
    *("zeig", "gib", "sende", "schicke", "verrate", "nenne", "montre", "envoie", "donne"),
    *("affiche", "revela", "muestra", "envia", "dame", "comparte", "mostra", "invia", "rivela"),
)
"""The ASCII verbs of `EXFIL` in other languages, which it lets inflect (`zeige?`, `\\w*`);
text past ASCII may hold the others."""


def needs(kind: str, piece: str, words: set[str]) -> bool:
    """Whether a piece whose words hold a trigger of `kind` also holds what every alternative of
    that kind's expressions needs besides (edit this with them): common trigger words (`ai`,
    `give`, `network`, `now`) alone are no phrase, and pieces without a phrase are skipped
    sooner. Only words and text the expressions cannot match without are asked for, so no
    phrase found before is lost (tests/test_scan_shortcuts.py compares the two)."""
    if kind == "ai":  # "if you are an AI", "note to", "reading/processing this", "attention"
        return not words.isdisjoint(("if", "note", "reading", "processing")) or (
            "attention" in piece
        )
    if kind == "drainer":  # setApprovalForAll, increaseAllowance, "sign ... to", "unlimited"...
        named = not words.isdisjoint(("setapprovalforall", "increaseallowance", "sign"))
        return named or "max" in piece or "unlimited" in piece or "infinite" in piece
    if kind == "destination":  # a link (http), a domain (.com, .eth); 0x, @ are found anyway
        return not words.isdisjoint(("http", "https")) or any(
            f".{tld}" in piece for tld in words & _TLDS
        )
    if kind == "airdrop":  # "claim ... tokens", "connect ... wallet", "free ... nfts"
        return not words.isdisjoint(_AIRDROP_GOODS)
    if kind == "secret":  # a verb that reveals or asks for it: "share your key", "enter it"
        return (
            not words.isdisjoint(_SECRET_VERBS)
            or not piece.isascii()
            or any(stem in piece for stem in _INTL_VERBS)
        )
    if kind == "override":  # "now" and "mode" only in "you are now", "from now on", "... mode"
        return (
            not words.isdisjoint(TRIGGERS["override"] - {"now", "mode"})
            or ("now" in words and ({"you", "are"} <= words or {"from", "on"} <= words))
            or ("mode" in words and not words.isdisjoint(("enable", "enter", "activate")))
            or any(stem in piece for stem in ("ignor", "vergiss", "oubli"))  # other languages
        )
    return True


def kinds(piece: str) -> set[str]:
    """The kinds of phrase a piece may hold, by its words and a few characters. Most pieces
    hold no trigger: their words are looked up as listed, and made a set only when one is
    found (building the set was half the cost of a text's look)."""
    plain = piece.isascii()
    listed = piece.translate(_ASCII_WORDS).split() if plain else WORD.findall(piece)
    has = set()
    if not _ANY_TRIGGER.isdisjoint(listed):
        words = set(listed)
        has = {
            kind
            for kind, triggers in TRIGGERS.items()
            if not words.isdisjoint(triggers) and needs(kind, piece, words)
        }
    if "override" not in has and ("ignor" in piece or "vergiss" in piece or "oubli" in piece):
        has.add("override")  # "ignorierst", "oublier": stems the other languages inflect
    if "ai" not in has and "attention" in piece:
        has.add("ai")  # "attentionAI:", "attention,llms!": the expression allows no space
    if not plain and not all(w.isascii() for w in listed):  # other languages (not emoji, quotes)
        has.update(kind for kind, parts in _INTL.items() if any(map(piece.__contains__, parts)))
    if "[" in piece or "<" in piece or "#" in piece:
        has.add("marker")
    if "destination" in has:
        return has
    if "0x" in piece or "@" in piece or max(map(len, listed), default=0) >= 25:
        has.add("destination")
    return has


_INTL = {
    "override": (
        *("игнорир", "забудь", "忽略", "无视", "無視", "忽視", "忘记", "忘記", "忘れ", "무시"),
    ),
    "secret": (
        *("schlüssel", "clé", "ключ", "фразу"),
        *("私", "助記詞", "助记词", "秘密鍵", "シード", "개인"),
    ),
}
"""A part of every phrase of `OVERRIDE_INTL` and of `_SECRET_INTL` (which every phrase of
`EXFIL` past English holds) that is no listed word (edit this with them): `ignor`, `vergiss`
and `oubli` are looked for anyway, `clave`, `frase` or `phrase` are words. The destinations
and what `MONEY` reads before one are ASCII. A piece with a word past ASCII but none of these
is read for its listed words alone (tests/test_scan_shortcuts.py reads it every way)."""
_ANY_TRIGGER = frozenset().union(*TRIGGERS.values())
_ASCII_WORDS = str.maketrans({chr(c): chr(c) if chr(c).isalnum() else " " for c in range(128)})
"""ASCII text with every character but letters and digits made a space: `str.split` then
gives the words of `WORD`, ~2.5x faster than the expression."""
