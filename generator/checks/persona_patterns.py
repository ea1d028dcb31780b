# ruff: noqa: RUF001, RUF002  # the phrases are in Cyrillic, CJK and typographic quotes on purpose
"""The phrases the persona lint looks for, and the views of a text it reads them in.

Every expression runs on case-folded text and has only bounded repeats, and `persona` runs them
on sentences of at most `persona.PIECE` characters, so no input makes them backtrack for long.
Every phrase is also read in a skeleton view: look-alike letters such as Cyrillic `о` mapped to
the Latin letter they imitate, by the Unicode confusables table that `lookalike` reads too.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata

from generator.checks.decode import reader_view
from generator.checks.persona_kinds import _ANY_TRIGGER

_W = r"[^\W_]+"  # one word (Unicode letters and digits)
_GAP = rf"(?:\s+{_W}){{0,3}}"  # up to three words
_FLAGS = re.UNICODE

# Override phrases: turn the runtime against its own instructions.
_PRIOR = (
    r"(?:previous|prior|above|earlier|preceding|former|original|initial|system|safety"
    r"|developer|default|existing|old)"
)
_ORDERS = (
    r"(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|constraints|messages"
    r"|context|programming|commands|orders|restrictions|polic(?:y|ies))"
)
_OVERRIDE_EN = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass|discard|abandon)\s+"
    rf"(?:(?:all|any|the|of|every|these|those|my)\s+){{0,3}}{_PRIOR}(?:\s+{_W})?\s+{_ORDERS}\b"
    r"|\b(?:ignore|disregard|forget|override|bypass|discard)\s+(?:all\s+)?your\s+"
    r"(?:instructions|system\s+prompt|programming|guidelines|guardrails|training|directives)\b"
    r"|\b(?:ignore|disregard)\s+(?:everything|anything|all)\s+"
    r"(?:above|before|previously|said|you(?:'ve|\s+have)\s+been\s+told)\b"
    r"|\b(?:ignore|disregard)\s+the\s+above\b"
    r"|\byou\s+are\s+now\s+(?:dan\b|in\s+developer\s+mode|jailbroken|unrestricted|unfiltered)"
    r"|\b(?:enable|enter|activate)\s+(?:developer|dev|god|jailbreak|dan)\s+mode\b"
    r"|\b(?:new|updated|real|actual)\s+(?:system\s+)?instructions?\s*:"
    r"|\bfrom\s+now\s+on,?\s+(?:you\s+)?(?:will\s+|must\s+)?(?:ignore|disregard|only\s+obey)\b",
    _FLAGS,
)
_OVERRIDE_INTL = re.compile(
    # German, French, Spanish, Portuguese, Italian
    rf"\bignorier\w*(?:\s+{_W}){{0,2}}\s+(?:vorherigen?|bisherigen?|vorigen?|obigen?|früheren?)"
    r"\s+(?:anweisungen|instruktionen|befehle|regeln)\b"
    r"|\bvergiss\s+(?:alle\s+)?(?:vorherigen|bisherigen|deine)\s+(?:anweisungen|regeln)\b"
    rf"|\bignore[rz]?(?:\s+{_W}){{0,2}}\s+(?:instructions|consignes|règles)\s+"
    r"(?:précédentes|antérieures|ci-dessus)"
    r"|\boublie[rz]?\s+(?:toutes\s+)?(?:tes|vos|les)\s+(?:instructions|consignes)\b"
    rf"|\bignor[ae]\w*(?:\s+{_W}){{0,2}}\s+(?:instrucciones|instruções|instrucoes|istruzioni"
    r"|reglas|regras|regole|indicaciones)\s+(?:anteriores|previas|prévias|precedenti)"
    # Russian, Chinese, Japanese, Korean
    rf"|\bигнорир\w*(?:\s+{_W}){{0,2}}\s+(?:предыдущие|прежние|предшествующие|все)"
    r"\s+(?:инструкции|указания|правила)"
    r"|\bзабудь\s+(?:все\s+)?(?:предыдущие\s+|свои\s+)?(?:инструкции|указания)"
    r"|(?:忽略|无视|無視|忽視|忘记|忘記)(?:掉)?(?:你)?(?:之前|以上|先前|上面|前面|所有)(?:的)?(?:所有)?"
    r"(?:的)?(?:指令|指示|说明|說明|规则|規則|提示)"
    r"|(?:以前|前|上記)の(?:すべての)?(?:指示|命令)を(?:無視|忘れ)"
    r"|이전\s*(?:의\s*)?(?:모든\s*)?지시(?:사항)?(?:를|을)?\s*무시",
    _FLAGS,
)

# Markers of a prompt format: text that pretends to be a system turn.
MARKER = re.compile(
    r"\[(?:system|sys|inst|/inst|admin|developer)\]"
    r"|<\|(?:im_start|im_end|system|endoftext|user|assistant|begin_of_text|start_header_id)\|>"
    r"|<<\s*/?sys\s*>>"
    r"|</?\s*(?:system|system_prompt|instructions?)\s*>"
    r"|(?:^|\n)\s*#{2,}\s*(?:instruction|system|new\s+instruction|system\s+prompt)s?\s*:",
    _FLAGS,
)

# Text aimed at a model or at other agents reading the persona.
AI_ADDRESS = re.compile(
    r"\bif\s+you\s+are\s+an?\s+(?:ai|llm|language\s+model|assistant|agent|bot|chatbot)"
    r"(?:\s+(?:model|assistant|agent))?\s*(?:,|reading|processing|that\s+reads|who\s+reads)"
    r"|\bnote\s+to\s+(?:the\s+|any\s+|all\s+)?(?:ai|llms?|assistants?|models?|agents?|bots?)\b"
    r"|\b(?:ai|llms?|agents?|bots?|assistants?|models?)\s+(?:reading|processing)\s+this\b"
    r"|\battention\s*[,:]?\s*(?:ai|llms?|agents?|assistants?|language\s+models?)\s*[:,!]",
    _FLAGS,
)

# Secrets a runtime holds or a reader owns.
_SECRET = (
    r"(?:api[\s_-]?keys?|private[\s_-]?keys?|secret[\s_-]?keys?|seed[\s_-]?(?:phrases?|words)"
    r"|mnemonic(?:\s+phrase)?|recovery[\s_-]?(?:phrases?|words)|environment\s+variables"
    r"|env(?:ironment)?\s+vars?|\.env\b|credentials|passwords?|access\s+tokens?"
    r"|auth(?:entication)?\s+tokens?|bearer\s+tokens?|system\s+prompt"
    r"|(?:hidden|initial|original|secret)\s+(?:instructions|prompt)|wallet\s+keys?|keypairs?"
    r"|secrets)"
)
_SECRET_INTL = (
    r"(?:privaten?\s+schlüssel|api-schlüssel|seed-phrase|clé\s+privée|clés\s+api"
    r"|phrase\s+de\s+récupération|clave\s+privada|frase\s+semilla|chave\s+privada"
    r"|frase-semente|chiave\s+privata|приватный\s+ключ|сид-фразу|сид\s+фразу|секретную\s+фразу"
    r"|私钥|私鑰|助记词|助記詞|秘密鍵|シードフレーズ|개인\s*키)"
)
SECRET = re.compile(rf"\b{_SECRET}|{_SECRET_INTL}", _FLAGS)
_REVEAL = (
    r"(?:reveal|print|show|output|display|send|share|post|tell|give|dump|leak|e-?mail|paste"
    r"|disclose|expose|echo|repeat|upload|forward|dm|spell\s+out|write\s+out|type\s+out)"
)
_FILLER = (
    r"(?:me|us|them|it|back|out|here|all|every|each|of|the|your|its|my|our|their|full|entire"
    r"|complete|exact|raw|current|stored|configured|contents?|values?|own|agent's|bot's"
    r"|wallet's|private|hidden|secret)"
)
_ABOUT = (
    r"(?:requirements?|polic(?:y|ies)|managers?|rules|strength|resets?|length|hygiene|tips"
    r"|format|rotation|safety|security|storage|backups?|generators?|best\s+practices)"
)
"""Words after a secret that make it a topic: "tell me your password requirements"."""
EXFIL = re.compile(
    rf"\b{_REVEAL}(?:e?s)?\b(?P<filler>(?:\s+{_FILLER}){{0,4}})\s+(?P<target>{_SECRET})\b"
    rf"(?!\s+{_ABOUT}\b)"
    r"|\b(?:zeige?|gib|sende|schicke|verrate|nenne|révèle|montre|envoie|donne|affiche|revela"
    r"|muestra|envía|envia|dame|comparte|mostra|invia|rivela|покажи|отправь|пришли|раскрой"
    rf"|выведи|назови|дай)\w*(?:\s+{_W}){{0,3}}\s+{_SECRET_INTL}"
    rf"|(?:发送|發送|显示|顯示|告诉|告訴|泄露|洩露|输出|輸出|给我|給我|发给|發給|打印)(?:我)?(?:你的)?"
    rf"{_SECRET_INTL}",
    _FLAGS,
)
# Phishing: a reader asked to type a secret somewhere the writer reads it.
PHISH = re.compile(
    r"\b(?:enter|paste|type|submit|provide|input|verify|validate|sync|import)\s+"
    rf"(?:(?:your|the|a|my|all)\s+)?(?:{_SECRET}|12|24)(?:[\s-]words?)?\s+"
    r"(?:here|below|in\s+(?:this|the)\s+(?:chat|dm|form)|to\s+me|to\s+us|at|on|via|into\s+(?:the"
    r"\s+)?(?:form|site|page|link))\b",
    _FLAGS,
)

# Where money or secrets would go.
DESTINATION = re.compile(
    r"\b0x[0-9a-f]{40}\b"  # an EVM address (the text is case-folded)
    r"|\b(?=[1-9a-z]{32,44}\b)(?=[a-z]*[1-9])[1-9a-hj-z]{32,44}\b"  # a Solana address
    r"|\b(?:bc1|[13])[0-9a-z]{25,59}\b"  # a Bitcoin address
    r"|\b[a-z0-9-]{3,40}\.(?:eth|sol)\b"  # an ENS or SNS name
    r"|\bhttps?://[^\s\"'<>]{3,200}"
    r"|\b[a-z0-9-]{2,40}\.(?:com|io|xyz|app|net|org|finance|claims?|gift|top|site|online|live"
    r"|pro|invalid|fi|money|cash|network|exchange)\b"
    r"|\b[a-z0-9._%+-]{1,40}@[a-z0-9-]{1,40}\.[a-z]{2,10}\b",
    _FLAGS,
)
ADDRESS = re.compile(r"\b0x[0-9a-f]{40}\b|\b[a-z0-9-]{3,40}\.(?:eth|sol)\b", _FLAGS)
MONEY = re.compile(
    r"(?:\b(?:send|transfer|move|deposit|pay|forward|withdraw|sweep|drain|route|bridge|wire"
    r"|remit|envoie|envía|envia|sende|überweise|отправь|переведи)|转账|轉帳|转到|發送|发送)"
    r"\w*(?P<what>[^!?\n]{0,80}?)(?:\s(?:to|into|at|towards?|an|à|a|на)|[到至给給])\s*:?\s*$",
    _FLAGS,
)
"""Read on the text before a destination, so each destination is looked at once."""
ALL_FUNDS = re.compile(
    r"\b(?:all|every|entire|whole|remaining|rest\s+of|100\s*%|max(?:imum)?|the\s+user'?s?"
    r"|users'?|their|tous|toutes?|todos?|todas|alle[ns]?|все|всё)\b|所有|全部",
    _FLAGS,
)
ALWAYS = re.compile(
    r"\b(?:always|automatically|every\s+time|whenever|immediately|secretly|silently|quietly"
    r"|without\s+(?:asking|telling|confirmation|confirming)|toujours|immédiatement|siempre"
    r"|inmediatamente|immer|sofort|всегда|немедленно)\b|总是|總是|立即|马上|馬上",
    _FLAGS,
)
BAIT = re.compile(
    r"\b(?:double[ds]?|triple[ds]?|x2|2x|get\s+(?:\S+\s+){0,2}back|giveaway|bonus|reward|claim|unlock"
    r"|verify|verification|activate|eligible|receive\s+(?:double|twice|\d))\b",
    _FLAGS,
)

# Wallet drainers and airdrop bait.
DRAINER = re.compile(
    r"\bsetapprovalforall\b"
    r"|\b(?:approve|grant|give|sign)\s+(?:an?\s+|the\s+)?(?:unlimited|infinite|max(?:imum)?"
    r"|uint256\.?max)(?:\s+(?:token\s+)?(?:approvals?|allowances?|spending|access"
    r"|permissions?))?"
    r"|\bincreaseallowance\b"
    r"|\bsign\s+(?:(?:this|the|a|our)\s+)?(?:(?:message|transaction|tx|permit|signature"
    r"|request)\s+)?(?:to|and)\s+(?:claim|receive|verify|unlock|get|mint|activate|validate"
    r"|redeem)\b",
    _FLAGS,
)
DRAINER_STRONG = re.compile(r"\(|\b0x[0-9a-f]{40}\b|\b(?:call|execute|approve|sign)\b", _FLAGS)
AIRDROP = re.compile(
    r"\bclaim\s+(?:(?:your|the|a|free|my|this|our)\s+)?(?:\$?[^\W_]+\s+)?(?:airdrop|tokens?"
    r"|rewards?|nfts?|allocation|prize|bonus|giveaway)\b"
    r"|\bconnect\s+(?:your\s+|their\s+)?wallets?\b[^.!?\n]{0,60}?\b(?:claim|receive|verify"
    r"|unlock|collect|check\s+eligibility|approve)\b"
    r"|\bfree\s+(?:airdrop|tokens|nfts?|crypto|eth|sol)\b",
    _FLAGS,
)
URGENT = re.compile(
    r"\b(?:now|today|hurry|before|expires?|ends?|closes?|limited|last\s+chance|only\s+\d+"
    r"|connect\s+(?:your\s+)?wallet|approve|sign)\b",
    _FLAGS,
)

# What makes a phrase a mention, not an instruction: a negation or a reporting word before it.
MENTION = re.compile(
    r"\b(?:never|not|no|don'?t|doesn'?t|won'?t|cannot|can'?t|shouldn'?t|mustn'?t|refuses?"
    r"|refusing|avoid|without|nobody|no\s+one|anyone\s+who|someone\s+who|whoever|if\s+(?:someone"
    r"|anyone|a\s+message|a\s+user|they|a\s+site|a\s+dm)|asks?\s+(?:you\s+)?to|asking\s+(?:you\s+)?to"
    r"|tells?\s+you\s+to|wants?\s+you\s+to|trying\s+to|tries\s+to|attempts?\s+to"
    r"|trick\w*|beware|warn\w*|like|such\s+as|e\.g\.|for\s+example|phrases?|called|known\s+as"
    r"|scam\w*|phish\w*|attack\w*|detect\w*|spot\w*|flag\w*|recogni[sz]\w*|explain\w*|teach\w*"
    r"|fake|fraud\w*|suspicious|nie|nicht|niemals|jamais|ne|nunca|não|nao|mai|никогда|не"
    r"|nunca)\b"
    r"|(?:从不|不要|绝不|絕不|別|别|決して|절대)",
    _FLAGS,
)
NEGATION = re.compile(
    r"\b(?:never|not|no|don'?t|won'?t|nie|nicht|niemals|jamais|nunca|não|mai|никогда|не)\b"
    r"|(?:从不|不要|绝不|絕不|決して|절대)",
    _FLAGS,
)
"""A negation inside a phrase ("gib niemals deine Seed-Phrase weiter") makes it advice too."""
OPEN_QUOTE = re.compile(r"(?:^|[\s(:\[])[\"'“‘«`„「『]", _FLAGS)
CLOSE_QUOTE = re.compile(r"[\"'”’»`“」』](?:$|[\s).,;:!?\]])", _FLAGS)

OVERRIDE_INTL = _OVERRIDE_INTL
OVERRIDE_EN = _OVERRIDE_EN


@functools.cache
def _skeleton_table() -> dict[int, str]:
    """Non-ASCII look-alike letters -> the ASCII letter they imitate (Cyrillic `а` -> `a`), from
    the Unicode confusables table `lookalike` reads too; one letter for one, so the skeleton
    keeps the offsets of the text."""
    from confusable_homoglyphs.confusables import confusables_data

    data: dict[str, list[dict[str, str]]] = confusables_data
    table: dict[int, str] = {}
    for char, glyphs in sorted(data.items()):
        if len(char) != 1 or char.isascii():
            continue
        letters = sorted(g["c"].lower() for g in glyphs if len(g["c"]) == 1 and g["c"].isalpha())
        ascii_letters = [c for c in letters if c.isascii()]
        if ascii_letters:
            table[ord(char)] = ascii_letters[0]
    return table


def views(text: str) -> tuple[str, str]:
    """The text as a reader sees it (escapes and entities decoded, invisible characters
    dropped, NFKC, case-folded), and its skeleton (look-alike letters made ASCII, leetspeak
    read as letters: `unleet`)."""
    shown = reader_view(text)
    plain = unicodedata.normalize("NFKC", shown[0] if shown else text).casefold()
    if plain.isascii():
        return plain, unleet(plain)
    return plain, unleet(plain.translate(_skeleton_table()))


_LEET_NEAR = re.compile(r"[013457@$](?:(?<=[a-z].)|(?=[a-z]))")
"""A sign beside a letter; written sign first, so a search skips to the signs (4x faster than
`[a-z][013457@$]|[013457@$][a-z]` on the characters of 1,000 agents)."""
_LEET_WORD = re.compile(
    r"(?<![0-9a-z@$])(?=[0-9a-z@$]*[a-z])(?=[0-9a-z@$]*[013457@$])[0-9a-z@$]+(?![0-9a-z@$])"
)
_LEET = str.maketrans("03457@$", "oeastas")


def unleet(text: str) -> str:
    """`text` (case-folded) with leetspeak read as letters where that makes a word the
    expressions name: `1gn0r3 a11 ru1es` -> `ignore all rules` ("1" as "i" or "l", whichever
    makes the word). Other words that mix digits and letters (`web3`, `gpt4`), numbers and
    addresses stay as written, so most texts have no second view to read; one character for
    one, so offsets are kept."""
    if not any(map(text.__contains__, "013457@$")) or _LEET_NEAR.search(text) is None:
        return text  # most texts: no such sign (8 looks 2x faster than the search), or none
    return _LEET_WORD.sub(_unleet_word, text)


def _unleet_word(match: re.Match[str]) -> str:
    word = match[0]
    ones = word.count("1")
    if word.startswith("0x") or len(word) >= 25 or ones > 4:
        return word  # an address or a hash: read as written
    base = word.translate(_LEET)
    for letters in itertools.product("il", repeat=ones):
        read = iter(letters)
        candidate = "".join(next(read) if c == "1" else c for c in base)
        if _named(candidate):
            return candidate
    return word


def _named(word: str) -> bool:
    """Whether `word` is a word the expressions name, a form of one (`instruction` of
    `instructions?`) or an inflection of a stem (`ignorieren` of `ignor\\w*`)."""
    words = _vocabulary()
    if word in words or any(word[:k] in words for k in range(4, len(word))):
        return True
    at = bisect.bisect_left(_sorted_vocabulary(), word)
    return len(word) >= 4 and at < len(words) and _sorted_vocabulary()[at].startswith(word)


@functools.cache
def _vocabulary() -> frozenset[str]:
    """The words the expressions name (runs of ASCII letters in their source, escapes left
    out) and the trigger words."""
    sources = " ".join(v.pattern for v in globals().values() if isinstance(v, re.Pattern))
    return frozenset(re.findall("[a-z]{2,}", re.sub(r"\\.", " ", sources))) | _ANY_TRIGGER


@functools.cache
def _sorted_vocabulary() -> tuple[str, ...]:
    return tuple(sorted(_vocabulary()))
