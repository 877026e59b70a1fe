"""The identifier rules every API group shares, ported from Kubernetes' apimachinery.

Each function returns the API server's messages for a value (empty when it is valid), in the
words of ``staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go`` (DNS labels and
subdomains, qualified names, label values, port numbers and names, percentages, config keys)
and ``.../pkg/api/validation/path/name.go`` (path segment names), so a reader who has seen
``kubectl apply`` refuse a manifest recognises the reason.
"""

from __future__ import annotations

import ipaddress
import re

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
QUALIFIED_NAME_MAX = 63
LABEL_VALUE_MAX = 63
#: ``TotalAnnotationSizeLimitB`` (apimachinery/pkg/api/validation/objectmeta.go): 256 KiB.
ANNOTATIONS_TOTAL_MAX = 256 * (1 << 10)

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_DNS1123_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+\Z")
_PERCENT = re.compile(r"[0-9]+%\Z")
_WILDCARD_DNS1123_SUBDOMAIN = re.compile(
    r"\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)

_DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character"
)
_DNS1035_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
    "an alphabetic character, and end with an alphanumeric character"
)
_QUALIFIED_NAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
    "an alphanumeric character"
)


def _too_long(limit: int) -> str:
    return f"must be no more than {limit} characters"


def dns_label(value: str) -> list[str]:
    """``IsDNS1123Label``."""
    errors = [_too_long(DNS1123_LABEL_MAX)] if len(value) > DNS1123_LABEL_MAX else []
    if not _DNS1123_LABEL.match(value):
        errors.append(_DNS1123_LABEL_MSG)
    return errors


def dns_subdomain(value: str) -> list[str]:
    """``IsDNS1123Subdomain``."""
    errors = [_too_long(DNS1123_SUBDOMAIN_MAX)] if len(value) > DNS1123_SUBDOMAIN_MAX else []
    if not _DNS1123_SUBDOMAIN.match(value):
        errors.append(_DNS1123_SUBDOMAIN_MSG)
    return errors


def dns1035_label(value: str) -> list[str]:
    """``IsDNS1035Label``."""
    errors = [_too_long(DNS1123_LABEL_MAX)] if len(value) > DNS1123_LABEL_MAX else []
    if not _DNS1035_LABEL.match(value):
        errors.append(_DNS1035_LABEL_MSG)
    return errors


def wildcard_dns_subdomain(value: str) -> list[str]:
    """``IsWildcardDNS1123Subdomain`` (Ingress hosts such as ``*.example.com``)."""
    errors = [_too_long(DNS1123_SUBDOMAIN_MAX)] if len(value) > DNS1123_SUBDOMAIN_MAX else []
    if not _WILDCARD_DNS1123_SUBDOMAIN.match(value):
        errors.append(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
            "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' "
            "and end with an alphanumeric character"
        )
    return errors


def path_segment(value: str) -> list[str]:
    """``IsValidPathSegmentName`` (api/validation/path/name.go): RBAC objects and others."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in value]


def qualified_name(value: str) -> list[str]:
    """``IsQualifiedName``: ``[prefix/]name``, the syntax of label and annotation keys."""
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
        errors: list[str] = []
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errors = ["prefix part must be non-empty"]
        else:
            errors = [f"prefix part {m}" for m in dns_subdomain(prefix)]
    else:
        return [
            f"a qualified name {_QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix "
            "and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errors.append("name part must be non-empty")
    else:
        if len(name) > QUALIFIED_NAME_MAX:
            errors.append(f"name part {_too_long(QUALIFIED_NAME_MAX)}")
        if not _QUALIFIED_NAME.match(name):
            errors.append(f"name part {_QUALIFIED_NAME_MSG}")
    return errors


def label_value(value: str) -> list[str]:
    """``IsValidLabelValue``."""
    errors = [_too_long(LABEL_VALUE_MAX)] if len(value) > LABEL_VALUE_MAX else []
    if not _LABEL_VALUE.match(value):
        errors.append(
            "a valid label must be an empty string or consist of alphanumeric characters, "
            "'-', '_' or '.', and must start and end with an alphanumeric character"
        )
    return errors


def config_key(value: str) -> list[str]:
    """``IsConfigMapKey``: the keys of ConfigMap and Secret data."""
    errors = [_too_long(DNS1123_SUBDOMAIN_MAX)] if len(value) > DNS1123_SUBDOMAIN_MAX else []
    if not _CONFIG_KEY.match(value):
        errors.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.'")
    if value in (".", ".."):
        errors.append(f"must not be '{value}'")
    elif value.startswith(".."):
        errors.append("must not start with '..'")
    return errors


def port_number(value: int) -> list[str]:
    """``IsValidPortNum``."""
    return [] if 1 <= value <= 65535 else ["must be between 1 and 65535, inclusive"]


def port_name(value: str) -> list[str]:
    """``IsValidPortName`` (IANA_SVC_NAME): what a Service's ``targetPort`` may name."""
    errors = [_too_long(15)] if len(value) > 15 else []
    if not _PORT_NAME_CHARS.match(value):
        # Go's exact words, spelling included
        errors.append(
            "must contain only alpha-numeric characters "  # codespell:ignore
            "(a-z, 0-9), and hyphens (-)"
        )
    if "--" in value:
        errors.append("must not contain consecutive hyphens (-)")
    if not any("a" <= c <= "z" for c in value):
        errors.append("must contain at least one letter (a-z)")
    if value.startswith("-") or value.endswith("-"):
        errors.append("must not begin or end with a hyphen (-)")
    return errors


def percent(value: str) -> list[str]:
    """``IsValidPercent`` (``maxSurge: 25%``)."""
    if _PERCENT.match(value):
        return []
    return ["a valid percent string must be a numeric string followed by an ending '%'"]


def ip_address(value: str) -> list[str]:
    """``IsValidIP``."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    return []


def cidr(value: str) -> list[str]:
    """``IsValidCIDR`` (a network: host bits may be set, as Go's ``net.ParseCIDR`` allows)."""
    message = ["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"]
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return message
    return [] if "/" in value else message


def env_var_name(value: str) -> list[str]:
    """``IsRelaxedEnvVarName`` (RelaxedEnvironmentVariableValidation, GA in 1.34): any
    printable ASCII character except '='."""
    if value and all(" " <= c <= "~" and c != "=" for c in value):
        return []
    return [
        "a valid environment variable name must consist only of printable ASCII characters "
        "other than '='"
    ]


# --- name functions of ValidateObjectMeta (apimachinery/pkg/api/validation/generic.go) ---------


def mask_trailing_dash(name: str) -> str:
    """``maskTrailingDash``: a ``generateName`` prefix may end in '-' (a suffix follows)."""
    return name[:-1] + "a" if len(name) > 1 and name.endswith("-") else name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    return dns_subdomain(mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    return dns_label(mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    return dns1035_label(mask_trailing_dash(name) if prefix else name)


def name_is_path_segment(name: str, prefix: bool = False) -> list[str]:
    """``ValidatePathSegmentName``: as a prefix only the characters matter."""
    if prefix:
        return [f"may not contain '{c}'" for c in ("/", "%") if c in name]
    return path_segment(name)
