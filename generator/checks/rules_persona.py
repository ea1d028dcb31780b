"""The rule table, persona part: instructions hidden in what an author writes for the persona.

`rules.py` joins it after the agent rules; module `persona` holds the detector.
"""

from __future__ import annotations

from generator.checks.problems import Rule

PERSONA_RULES: tuple[Rule, ...] = (
    Rule(
        "persona-instruction",
        "persona",
        "The bio, lore, system prompt, examples, style, summary or description holds an "
        "instruction aimed at the runtime or at other agents rather than a persona: a phrase "
        "that drops the model's instructions, a prompt-format marker ([SYSTEM], <|im_start|>), "
        "a note to AI readers, a request to reveal keys or the system prompt, money sent to a "
        "fixed destination, a drainer approval or an airdrop claim. Read as a reader sees it "
        "(escapes, entities and base64 decoded, look-alike letters mapped); negated or quoted "
        'phrases ("never share your seed phrase") are not instructions.',
        "Describe the persona instead; quote such a phrase when the agent talks about it "
        "(\"scammers write 'ignore previous instructions'\"), or reword it.",
        "warning",
    ),
    Rule(
        "persona-attack",
        "persona",
        "The persona text instructs the runtime to move money or leak secrets, with high "
        "confidence: the funds of others sent to a concrete address or link, an unlimited "
        "approval or a signature to claim, an airdrop claim link with urgency, a secret sent "
        "to a destination, hidden (base64) instructions, or a steering phrase (override, "
        "prompt marker, note to AI) together with a secret or money target anywhere in the "
        "agent. A warning for an agent moderation.yaml already lists.",
        "Remove the instruction; a persona that tells a model to move funds or reveal keys "
        "is refused.",
    ),
)
