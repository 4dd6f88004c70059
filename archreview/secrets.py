"""Recognising literal secrets, and never showing one.

    scan_text("key AKIAIOSFODNN7EXAMPLE")   -> ["AWS Access Key"]
    looks_secret_name("MasterUserPassword") -> True
    looks_secret_name("PasswordLength")     -> False
    is_literal("{{resolve:secretsmanager:db}}") -> False
    redact("AKIAIOSFODNN7EXAMPLE")          -> "AKIA****…(redacted, 20 chars)"
    redact("Pr0d-Passw0rd!")                -> "****(redacted)"

Known token formats come from detect-secrets' regex plugins (a maintained pattern library),
limited to the ones that identify a credential by its own shape; its keyword and entropy
heuristics are left out (too noisy for configuration files: names are judged here instead).

Decisions, deliberate and documented in the SEC checks:
* A name alone is never a finding: it needs a literal string value.
* Not literal: `Ref`s, `Unknown`s, strings holding `${...}` placeholders (interpolation,
  `!Sub`), dynamic references (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm-secure:...}}`,
  `{{resolve:ssm:...}}`), ARNs, and empty strings.
* A weak or placeholder-looking literal ("changeme", "password123") IS a finding: it is
  what would be deployed, and a senior reviewer flags it all the more.

Every output goes through `redact`: the secret itself never reaches a message or evidence.
"""

from __future__ import annotations

import base64
import binascii
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Iterator

from archreview.model import Ref, Unknown

# detect-secrets plugins that recognise a credential by its format (module, class). Discord
# and Telegram are left out: their loose shapes match resource IDs ("123456789:policy-name").
_PLUGINS = (
    ("aws", "AWSKeyDetector"),
    ("azure_storage_key", "AzureStorageKeyDetector"),
    ("basic_auth", "BasicAuthDetector"),
    ("github_token", "GitHubTokenDetector"),
    ("gitlab_token", "GitLabTokenDetector"),
    ("jwt", "JwtTokenDetector"),
    ("mailchimp", "MailchimpDetector"),
    ("npm", "NpmDetector"),
    ("openai", "OpenAIDetector"),
    ("private_key", "PrivateKeyDetector"),
    ("pypi_token", "PypiTokenDetector"),
    ("sendgrid", "SendGridDetector"),
    ("slack", "SlackDetector"),
    ("square_oauth", "SquareOAuthDetector"),
    ("stripe", "StripeDetector"),
    ("twilio", "TwilioKeyDetector"),
)

MAX_SCAN = 200_000          # characters of one value examined (user data can be large)


@lru_cache(maxsize=1)
def _detectors() -> tuple[Any, ...]:
    import importlib

    out = []
    for module, cls in _PLUGINS:
        try:
            mod = importlib.import_module(f"detect_secrets.plugins.{module}")
            out.append(getattr(mod, cls)())
        except (ImportError, AttributeError):  # pragma: no cover - an older detect-secrets
            continue
    return tuple(out)


# A cheap superset of the plugins' patterns: most values are plainly innocent and never
# reach (or even import) detect-secrets.
_QUICK = re.compile(r"AKIA|ASIA|ABIA|ACCA|A3T|PRIVATE KEY|PuTTY|://[^{}\s]+:[^{}\s]+@|eyJ|gh[pousr]_|github_pat_|"
                    r"gl[a-z]{2,7}-|GR1348941|xox|hooks\.slack|[rs]k_live_|T3BlbkFJ|SG\.|_authToken|pypi-|sq0|"
                    r"AccountKey=|AC[a-z0-9]{32}|SK[a-z0-9]{32}|-us\d|aws.{0,20}?(?:key|pwd|pw|pass|token)", re.I)
# The same pattern lower-cased, without IGNORECASE, for lower-cased ASCII text: the same
# matches (the pattern's escapes are all lower-case), five times faster (case-insensitive
# alternatives keep `re` from skipping ahead to where one could start).
_QUICK_LOWER = re.compile(_QUICK.pattern.lower())


def _quick(text: str) -> bool:
    """`_QUICK.search(text)`, the cheap pre-filter: most values are plainly innocent."""
    if text.isascii():
        return _QUICK_LOWER.search(text.lower()) is not None
    return _QUICK.search(text) is not None


def scan_text(value: Any) -> list[str]:
    """The kinds of known credential formats found in a literal string ([] for anything else)."""
    if not isinstance(value, str) or not is_literal(value, allow_placeholders=True):
        return []
    return known_formats(value)


def known_formats(value: str) -> list[str]:
    """`scan_text` of a string already known to be literal (`is_literal(value, allow_placeholders=True)`)."""
    text = value[:MAX_SCAN]
    if not _quick(text):
        return []
    kinds: list[str] = []
    for detector in _detectors():
        try:
            if any(True for _ in detector.analyze_string(text)):
                kinds.append(detector.secret_type)
        except Exception:  # pragma: no cover - a plugin bug must not stop a scan
            continue
    if _BASIC_AUTH not in kinds and any(_literal_password(m.group(1)) for m in _URL_CREDENTIALS.finditer(text)):
        kinds.append(_BASIC_AUTH)
    return kinds


# detect-secrets' basic-auth pattern stops at RFC 3986 sub-delimiters, which passwords often
# hold (`postgres://app:S3cret!@db`): a URL's userinfo password, taken up to the last `@`
# before the host, whatever its characters.
_BASIC_AUTH = "Basic Auth Credentials"
_URL_CREDENTIALS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s/:@'\"]+:([^\s/'\"]+)@[A-Za-z0-9.-]")


def _literal_password(value: str) -> bool:
    return len(value) >= 4 and not value.startswith(("$", "{", "<", "%")) and "${" not in value \
        and not is_placeholder(value)


# ---- names ----------------------------------------------------------------------------------

# ("credentials" is left out on purpose: Access-Control-Allow-Credentials, an API Gateway
# integration's Credentials role ARN... name configuration more often than a secret.)
_SECRET_WORDS = {"password", "passwords", "passwd", "pwd", "pass", "passphrase", "secret", "secrets",
                 "token", "apikey", "secretkey", "privatekey",
                 "authkey", "accesstoken", "authtoken", "clientsecret", "connectionstring",
                 "accesskey", "secretaccesskey", "refreshtoken", "privatekeypem"}
# compounds written as two words
# (not encryption_key / master_key / signing_key: in IaC those name KMS keys far more often)
# ("access", "key"): AWS_SECRET_ACCESS_KEY, aws_secret_access_key, a provider's access_key)
_PAIRS = {("api", "key"), ("secret", "key"), ("access", "key"), ("private", "key"), ("auth", "key"), ("access", "token"),
          ("auth", "token"), ("client", "secret"), ("connection", "string"), ("shared", "key")}
# a leading verb or qualifier makes the name a setting about a secret (manage_master_user_password,
# get_password_data, allow_users_to_change_password, random_password, min_password_length)
_SETTING_PREFIX = {"manage", "managed", "allow", "enable", "enabled", "disable", "create", "generate", "use", "require",
                   "required", "rotate", "rotation", "reset", "get", "is", "has", "should", "skip", "ignore",
                   "include", "exclude", "random", "min", "max", "number", "num", "change", "retrieve"}
# a trailing word that still names the secret itself (secret_string, password_value)
_VALUE_SUFFIX = {"string", "value", "plaintext", "text", "data"}
# tokens that are identifiers, not credentials
_NOT_SECRET = {"clienttoken", "idempotencytoken", "nexttoken", "continuationtoken", "paginationtoken",
               "sessiontoken", "tokenendpoint", "passrole", "httptokens", "httptoken",
               "requesttoken", "clientrequesttoken", "metadatahttptokens", "csrftoken", "eventsourcetoken",
               "creationtoken",   # EFS creation_token: an idempotency key
               "servicetoken"}    # a custom resource's ServiceToken: the ARN of the handler to invoke


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def looks_secret_name(name: Any) -> bool:
    """Does a property, variable or environment name say it holds a secret? (cached)"""
    return isinstance(name, str) and bool(name) and _looks_secret_name(name)


@lru_cache(maxsize=65536)
def _looks_secret_name(name: str) -> bool:
    """Does a property, variable or environment name say it holds a secret?

    The name must END with the secret word (`db_password`, `GithubToken`, `API_KEY`,
    `client_secret`, `SecretString`): `PasswordLength`, `secret_arn`, `TokenValidity`,
    `ssm_password_parameter` and `KeyName` name something else.
    """
    if not isinstance(name, str) or not name or name.endswith(".$"):   # ".$": a Step Functions JSONPath
        return False
    words = _words(name)
    if not words or "".join(words) in _NOT_SECRET or "".join(words[-2:]) in _NOT_SECRET:
        return False
    if len(words) > 1 and words[0] in _SETTING_PREFIX:
        return False
    if words[-1] in _VALUE_SUFFIX and len(words) > 1:
        words = words[:-1]
    last = words[-1]
    if last in _SECRET_WORDS:
        return not (last == "pass" and len(words) == 1)    # a bare "pass" is too vague
    return len(words) > 1 and (words[-2], last) in _PAIRS


# ---- literal values -------------------------------------------------------------------------

_DYNAMIC = re.compile(r"\{\{\s*resolve\s*:", re.I)
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


def is_literal(value: Any, *, allow_placeholders: bool = False) -> bool:
    """A string whose content is fixed in the code (not a reference, not resolved at deploy).

    With `allow_placeholders`, a string mixing literal text and `${...}` placeholders counts
    (user data with an interpolated host name can still carry a literal token).
    """
    if isinstance(value, (Unknown, Ref)) or not isinstance(value, str):
        return False
    text = value.strip()
    if not text or _DYNAMIC.search(text) or text.startswith("arn:"):
        return False
    if _PLACEHOLDER.search(text):
        return allow_placeholders and bool(_PLACEHOLDER.sub("", text).strip())
    return True


_PLACEHOLDER_TEXT = re.compile(
    r"<[^<>]*>|\b(?:enter|insert|put|add)\s+(?:your|the)\b|(?:update|replace)[_ -]?me\b|\byour[_ -]?\w*[_ -]?here\b"
    r"|^(?:x+|\*+|\.+|-+|todo|tbd|fixme|placeholder|redacted|none|null|n/?a)$"
    r"|^(?:dummy|sample|example|fake|mock)(?:[-_ ]?(?:value|key|api[-_]?key|password|secret|token))?$", re.I)


def is_placeholder(value: Any) -> bool:
    """A template placeholder meant to be replaced before use (`<your-api-key>`,
    `<<Enter your password>>`, `REPLACE_ME`, `xxxx`): it holds no secret, so it is not a
    finding. A weak but usable literal (`changeme`, `password123`) is not a placeholder."""
    return isinstance(value, str) and bool(_PLACEHOLDER_TEXT.search(value.strip()))


def is_literal_secret_value(value: Any, name: Any = None) -> bool:
    """A value a secret-named property could hold that is a fixed literal (name-based findings):
    not a reference, placeholder, boolean word or template placeholder, nor the property's own
    name written as its value (`client_secret = "client_secret"`, `DB_PASSWORD: DB_PASSWORD`:
    a stand-in in an example, which would also make redaction blank the name everywhere)."""
    if not is_literal(value):
        return False
    text = str(value).strip()
    if text.lower() in ("true", "false", "'true'", "'false'", "null", "none") or is_placeholder(text):
        return False
    return not (isinstance(name, str) and _bare(text) == _bare(name.rsplit(".", 1)[-1]))


def _bare(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_ASSIGN = re.compile(
    r"""(?P<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})\s*(?:=|:)\s*(?P<q>["']?)(?P<value>[^\s"'`;&|)]+)(?P=q)"""
    r"""|--(?P<flag>[A-Za-z][A-Za-z0-9-]{0,40})[ =](?P<q2>["']?)(?P<fvalue>[^\s"'`;&|)]+)(?P=q2)"""
    r"""|configure\s+set\s+(?P<cname>[A-Za-z_][\w.]{0,60})\s+(?P<q3>["']?)(?P<cvalue>[^\s"'`;&|)]+)(?P=q3)""")


def assignments(text: Any) -> Iterator[tuple[str, str]]:
    """`(name, value)` for each `NAME=value`, `name: value`, `--flag value` or `aws configure
    set name value` with a secret
    name and a literal value in a script (user data). Shell expansions are not literal."""
    if not isinstance(text, str):
        return
    for m in _ASSIGN.finditer(text[:MAX_SCAN]):
        name = m.group("name") or m.group("flag") or m.group("cname")
        value = m.group("value") if m.group("name") else m.group("fvalue") if m.group("flag") else m.group("cvalue")
        if not looks_secret_name(name) or len(value) < 4:
            continue
        if value.startswith(("$", "<", "{", "[", "\\", "%", "@")) or "$" in value or value.startswith("arn:") \
                or is_placeholder(value):
            continue
        yield name, value


def decoded(value: Any) -> str | None:
    """Base64-decoded text of a value that is wholly base64 (Terraform `user_data_base64`)."""
    if not isinstance(value, str) or len(value) < 16 or not re.fullmatch(r"[A-Za-z0-9+/=\s]+", value):
        return None
    try:
        raw = base64.b64decode(value, validate=False)
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


# ---- redaction --------------------------------------------------------------------------------

# The values `redact` has seen during one scan: reports that quote source lines (the text
# report's snippets, the HTML report) pass them through `scrub`, which hides these too. The
# memory belongs to a scan (`engine.analyze` opens it and keeps it on `Result.redacted`; a
# renderer reopens it with `remembering(result.redacted)`), so a secret of one stack never
# redacts text in another stack's report. Outside any scan nothing is remembered.
_MEMORY: ContextVar[set[str] | None] = ContextVar("archreview_redacted", default=None)
_MAX_REMEMBERED = 10_000


@contextmanager
def remembering(memory: set[str] | None = None) -> Iterator[set[str]]:
    """For the block, `redact` remembers into `memory` (a new set when None) and `scrub`
    hides what it holds. Yields the set."""
    memory = set() if memory is None else memory
    token = _MEMORY.set(memory)
    try:
        yield memory
    finally:
        _MEMORY.reset(token)


def redact(value: Any) -> str:
    """A secret as it may be shown: at most its first four characters, and its length.

    Short values (under 16 characters, typical of passwords) show nothing of themselves.
    The value is remembered (in the current scan's memory, see `remembering`) so that `scrub`
    hides it wherever a report of that scan quotes the source.
    """
    text = str(value) if not isinstance(value, str) else value
    memory = _MEMORY.get()
    if text and memory is not None and len(memory) < _MAX_REMEMBERED:
        memory.add(text)
    return redact_shown(text)


_LINE_ASSIGN = re.compile(
    r"""(?P<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?\s*(?:=|:)\s*(?P<q>["']?)(?P<value>[^\s"',}#]+)""")


def scrub(line: str) -> str:
    """A source line fit to print: secrets reported in the current scan, values in a known
    credential format and literal values of secret-named keys are redacted."""
    if not isinstance(line, str) or not line:
        return line
    out = line
    for secret in sorted((s for s in _MEMORY.get() or () if s in out), key=len, reverse=True):
        out = out.replace(secret, redact_shown(secret))
    if _quick(out):
        for detector in _detectors():
            for rx in getattr(detector, "denylist", ()):
                for match in {m.group(0) for m in rx.finditer(out)}:
                    if match and "(redacted" not in match:
                        out = out.replace(match, redact_shown(match))
    for m in _LINE_ASSIGN.finditer(out) if ("=" in out or ":" in out) else ():    # an assignment needs one
        value = m.group("value")
        if looks_secret_name(m.group("name")) and is_literal_secret_value(value, m.group("name")) and "(redacted" not in value \
                and not value.startswith(("$", "{", "!", "[", "<", "var.", "local.", "aws_", "data.", "random_")):
            out = out.replace(value, redact_shown(value))
    return out


def redact_shown(value: str) -> str:
    """`redact` without remembering. Only a token in a known format (AKIA…, ghp_…, xoxb-…)
    keeps its first four characters, which name the format and not the secret."""
    if len(value) >= 16 and scan_text(value):
        return f"{value[:4]}****…(redacted, {len(value)} chars)"
    return f"****(redacted, {len(value)} chars)" if len(value) >= 16 else "****(redacted)"


def redact_in(text: str, secret: str) -> str:
    """`text` with every occurrence of `secret` redacted (for messages quoting a line)."""
    return text.replace(secret, redact(secret)) if secret else text


__all__ = ["scan_text", "known_formats", "looks_secret_name", "is_literal", "is_literal_secret_value", "is_placeholder",
           "assignments", "decoded", "redact", "redact_in", "remembering", "scrub"]
