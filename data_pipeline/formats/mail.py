"""E-mails (`.eml`): a press release sent by e-mail. The subject is the title, the Date header the date,
and the text is the plain-text part, or the HTML part's text when the mail has no plain one."""

from __future__ import annotations

import email
import email.policy
from email.errors import MessageError
from email.message import EmailMessage

from ..ids import article_id
from ..model import RawArticle
from ..readers import _Refused
from .text import day, html_fragment_text, tidy


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise _Refused("the e-mail has no text or HTML part")
    try:
        content = part.get_content()
    except (LookupError, ValueError, MessageError) as error:  # unknown charset, broken transfer encoding
        raise _Refused(f"the e-mail's {part.get_content_type()} part cannot be decoded: {error}") from error
    return tidy(content) if part.get_content_type() == "text/plain" else html_fragment_text(content)


def _article(message: EmailMessage, label: str) -> RawArticle:
    if not any(message.get(header) for header in ("From", "Subject", "Date", "Message-ID")):
        raise _Refused("not an e-mail: no From, Subject, Date or Message-ID header")
    body = _body(message)
    if not body:
        raise _Refused("the e-mail's text is empty")
    try:
        sent = day(message["Date"].datetime) if message["Date"] else None
    except (AttributeError, TypeError, ValueError):  # a Date header that is not a date
        sent = None
    title = tidy(str(message.get("Subject") or "")) or body.split("\n", 1)[0][:120]
    return RawArticle(article_id(body), title, body, sent, "metadata" if sent else "unknown", label)


def read(data: bytes, label: str) -> list[RawArticle]:
    try:
        return [_article(email.message_from_bytes(data, policy=email.policy.default), label)]
    except (IndexError, ValueError, TypeError, LookupError, AttributeError, MessageError) as error:
        # the standard library's header parser fails in these ways on some malformed headers
        raise _Refused(f"malformed e-mail headers ({type(error).__name__}: {error})") from error
