"""The catalog's tag vocabulary: the words browse pages group agents by.

Free tags are allowed too (same lowercase-hyphen grammar); a free tag that is a near miss of a
vocabulary word is reported, so `tradign` or `games` does not split a category in two.
"""

from __future__ import annotations

VOCABULARY: dict[str, str] = {
    "analytics": "Reads data and reports on it",
    "art": "Images, design and visual art",
    "assistant": "General-purpose helper",
    "community": "Moderates or animates a community",
    "companion": "Conversation partner and friend",
    "customer-support": "Answers customers' questions",
    "dao": "DAO governance and proposals",
    "defi": "Decentralized finance",
    "developer-tools": "Helps people write and ship software",
    "discord": "Runs on Discord",
    "education": "Teaches and tutors",
    "entertainment": "Jokes, stories and fun",
    "finance": "Money, markets and budgeting",
    "gaming": "Plays or supports games",
    "health": "Health, fitness and wellbeing",
    "language": "Translation and language learning",
    "music": "Makes or discusses music",
    "news": "Follows and summarizes news",
    "nft": "NFT collections and markets",
    "persona": "Plays a character or a public persona",
    "productivity": "Organizes tasks, notes and time",
    "research": "Finds and digests sources",
    "roleplay": "Interactive fiction and roleplay",
    "science": "Science explanation and discussion",
    "security": "Security review and hygiene",
    "social": "Posts and engages on social networks",
    "telegram": "Runs on Telegram",
    "trading": "Trading and market making",
    "twitter": "Runs on X/Twitter",
    "wallet": "Works with crypto wallets",
    "writing": "Drafts and edits text",
}
