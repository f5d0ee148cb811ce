"""Every string a user reads has its English translation (Indonesian is the source language).

The strings are collected the way Django looks them up: the first argument of `gettext` and friends in
the Python code, `{% translate %}` literals and `{% blocktranslate %}` bodies in the templates (with
Django's `%` escaping and `{{ var }}` as `%(var)s`). Each must have a non-empty `msgstr` in one of the
English catalogs.
"""

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
APPS = ("konflik", "teams", "actionplans", "incidents", "dashboard")
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
TRANSLATE = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1""", re.S)
BLOCK = re.compile(
    r"{%\s*blocktranslate(?P<options>[^%]*)%}(?P<body>.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.S
)


def english():
    catalog = {}
    for po in [ROOT / "locale", *(ROOT / app / "locale" for app in APPS)]:
        path = po / "en" / "LC_MESSAGES" / "django.po"
        if path.exists():
            with open(path, "rb") as handle:
                for message in read_po(handle):
                    if message.id:
                        key = message.id if isinstance(message.id, str) else message.id[0]
                        value = message.string if isinstance(message.string, str) else message.string[0]
                        catalog[key] = value
    return catalog


def python_sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path


def msgids():
    found = {}
    for path in python_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            name = getattr(name, "id", getattr(name, "attr", None))
            if isinstance(node, ast.Call) and name in GETTEXT and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, path.relative_to(ROOT))
    templates = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    for path in (page for folder in templates for page in folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in TRANSLATE.finditer(text):
            found.setdefault(match.group(2).replace("%", "%%"), path.relative_to(ROOT))
        for match in BLOCK.finditer(text):
            body = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", match.group("body").replace("%", "%%"))
            if "trimmed" in match.group("options"):
                body = " ".join(line.strip() for line in body.strip().splitlines())
            found.setdefault(body, path.relative_to(ROOT))
    return found


def test_every_user_facing_string_has_an_english_translation():
    catalog = english()
    found = msgids()
    assert len(found) > 500  # the collection itself works
    missing = sorted(f"{where}: {text!r}" for text, where in found.items() if not catalog.get(text))
    assert not missing, "no English translation for:\n" + "\n".join(missing)
