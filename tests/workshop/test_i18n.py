"""French first, English second: the catalogue, the pages and the e-mails.

The site's strings are written in English in the source; the French catalogue is
src/anticipe/locale/fr/LC_MESSAGES/django.po, compiled to django.mo (both in the
repository: CI has no GNU gettext). After adding or changing strings, from
src/anticipe (GNU gettext installed: ``apt-get install gettext``)::

    uv run anticipe manage makemessages -l fr -e html,py,txt,typ \\
        --ignore=migrations --ignore=static --no-obsolete
    # translate the new or changed entries (no "fuzzy" left), then
    ANTICIPE_DEBUG=1 uv run anticipe manage compilemessages

The catalogue tests below need no gettext tools: a small reader of .po files, and the
source's strings found the way makemessages finds them (Python calls of gettext and
friends; Django's own ``templatize`` for the templates).
"""

from __future__ import annotations

import ast
import csv as csv_module
import gettext as gnu_gettext
import io
import itertools
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import translation
from django.utils.translation.template import templatize

import anticipe.workshop
from anticipe.examples import load_example
from anticipe.workshop.models import Action, Expert, Hypothesis, Impact, Round, Study, Task
from anticipe.workshop.study_format import import_study
from tests.workshop.conftest import expert_client_for

APP = Path(anticipe.workshop.__file__).resolve().parent
PACKAGE = APP.parent  # every layer's strings share the one catalogue
CATALOGUE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def site_language() -> None:
    """Overrides the English of the other tests: here the site keeps its own default."""


# -- a small reader of .po files ------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    plural: str | None = None
    context: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def unquote(text: str) -> str:
    """The value of one quoted PO string ("..." with C escapes)."""
    assert text.startswith('"'), text
    assert text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    started = False
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("#"):
                continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        elif line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, raw
            value = unquote(line)
        else:
            if keyword == "msgid" and started and target is not None and target[0] != "msgctxt":
                finish()  # entries separated without a blank line
            started = True
            value = unquote(rest.strip())
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
                entry.msgstr[target[1]] = ""
            elif keyword in {"msgid", "msgid_plural", "msgctxt", "msgstr"}:
                target = (keyword, 0)
                if keyword == "msgstr":
                    entry.msgstr[0] = ""
                elif keyword == "msgid_plural":
                    entry.plural = ""
                elif keyword == "msgctxt":
                    entry.context = ""
            else:
                raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
        name, index = target
        if name == "msgid":
            entry.msgid += value
        elif name == "msgid_plural":
            entry.plural = (entry.plural or "") + value
        elif name == "msgctxt":
            entry.context = (entry.context or "") + value
        else:
            entry.msgstr[index] += value
    finish()
    return entries


def catalogue() -> list[Entry]:
    return [e for e in read_po(CATALOGUE / "django.po") if e.msgid and not e.obsolete]


def test_the_reader_reads_what_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr ""\n"Bonjour "\n'
        '"%(name)s"\n\n'
        'msgctxt "menu"\nmsgid "One \\"file\\""\nmsgid_plural "Many"\n'
        'msgstr[0] "Un"\nmsgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n',
        encoding="utf-8",
    )
    header, hello, files, gone = read_po(path)
    assert header.msgstr == {0: "Language: fr\n"}
    assert (hello.msgid, hello.msgstr, hello.flags) == (
        "Hello %(name)s",
        {0: "Bonjour %(name)s"},
        {"fuzzy", "python-format"},
    )
    assert (files.context, files.msgid, files.plural, files.msgstr) == (
        "menu",
        'One "file"',
        "Many",
        {0: "Un", 1: ""},
    )
    assert gone.obsolete
    assert gone.msgid == "Gone"


# -- the source's strings, found as makemessages finds them ---------------------------------

# name: (context argument, msgid argument, plural argument), as Django's makemessages
# configures xgettext (its own keywords and xgettext's defaults for Python)
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True)
class Message:
    context: str | None
    msgid: str
    plural: str | None
    where: str


def message_of(name: str, args: list[str | None], where: str) -> Message | None:
    context_at, msgid_at, plural_at = KEYWORDS[name]
    needed = [i for i in (context_at, msgid_at, plural_at) if i is not None]
    if len(args) <= max(needed) or any(args[i] is None for i in needed):
        return None  # not a literal: makemessages cannot take it either
    return Message(
        args[context_at] if context_at is not None else None,
        str(args[msgid_at]),
        args[plural_at] if plural_at is not None else None,
        where,
    )


def calls_outside_f_strings(tree: ast.AST) -> Iterator[ast.Call]:
    """The calls of a module, except those inside an f-string, which xgettext skips."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.JoinedStr):
            continue
        if isinstance(node, ast.Call):
            yield node
        yield from calls_outside_f_strings(node)


def python_messages(path: Path, root: Path = PACKAGE) -> Iterator[Message]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in calls_outside_f_strings(tree):
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else None
        )
        if name not in KEYWORDS:
            continue
        args = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            for arg in node.args
        ]
        found = message_of(name, args, f"{path.relative_to(root)}:{node.lineno}")
        if found:
            yield found


def template_messages(path: Path) -> Iterator[Message]:
    """Django's templatize turns a template into the Python-like text xgettext reads."""
    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # each call is on one line (templatize writes its strings with escapes): read the lines
    # one by one, without their indentation, which means nothing here
    tokens = [
        token._replace(start=(number, token.start[1]))
        for number, line in enumerate(text.splitlines(), start=1)
        for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)
    ]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if tokens[i + 1].string != "(":
            continue
        args: list[str | None] = []
        current: str | None = None
        depth = 0
        for inner in tokens[i + 2 :]:
            if inner.string == "(":
                depth += 1
            elif inner.string == ")" and depth:
                depth -= 1
            elif inner.string in {",", ")"} and not depth:
                args.append(current)
                current = None
                if inner.string == ")":
                    break
            elif inner.type == tokenize.STRING and not depth:
                current = (current or "") + ast.literal_eval(inner.string)
        found = message_of(token.string, args, f"{path.relative_to(PACKAGE)}:{token.start[0]}")
        if found:
            yield found


def source_messages() -> list[Message]:
    """Every string of the package (site, report, command line, presentation...), found as
    ``makemessages`` run from ``src/anticipe`` finds them."""
    found: list[Message] = []
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if {"migrations", "static", "locale", "__pycache__"} & set(parts):
            continue
        if path.suffix == ".py":
            found.extend(python_messages(path))
        elif path.suffix in {".html", ".txt", ".typ"}:
            found.extend(template_messages(path))
    return found


def test_the_source_reader_finds_python_and_template_strings() -> None:
    messages = {(m.msgid, m.plural) for m in source_messages()}
    assert ("Sign in", None) in messages  # {% translate %} in registration/login.html
    assert ("Reminder: your answers for the study “{study}”", None) in messages  # Python
    assert (  # ngettext in a view
        "%(count)s proposal makes up the factor %(code)s.",
        "%(count)s proposals make up the factor %(code)s.",
    ) in messages
    assert (  # {% blocktranslate with %}
        "Not sent to %(email)s: this site has no mail server. The message is in the outbox.",
        None,
    ) in messages
    assert (  # {% blocktranslate count %} with a plural
        "%(counter)s key factor",
        "%(counter)s key factors",
    ) in messages
    assert ("activity", "activities") in messages  # a model's verbose names
    # the layers without Django: a Jinja template of the report, the command line's tables,
    # a message context, and words marked where they are defined
    assert ("Table 1: The job's perimeter", None) in messages  # report/templates
    assert ("Weighted vote on the change factors", None) in messages  # cli/render.py
    assert ("Key factors", None) in messages
    contexts = {(m.context, m.msgid) for m in source_messages()}
    assert ("report", "Key factors") in contexts  # pgettext in report/context.py
    assert (None, "by the rule") in contexts  # gettext_noop in presentation.py


def test_the_source_reader_skips_f_strings_as_xgettext_does(tmp_path: Path) -> None:
    path = tmp_path / "module.py"
    path.write_text('x = _("Found") + f"{_(\'Skipped\')}" + t.gettext("Method")\n')
    assert [m.msgid for m in python_messages(path, root=tmp_path)] == ["Found", "Method"]


# -- the French catalogue -------------------------------------------------------------------


def test_the_french_catalogue_is_complete_and_has_nothing_fuzzy() -> None:
    entries = catalogue()
    assert len(entries) > 900
    header = next(e for e in read_po(CATALOGUE / "django.po") if not e.msgid)
    assert "fuzzy" not in header.flags
    assert "Language: fr\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.msgstr[0]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert fuzzy == []
    empty = [
        e.msgid
        for e in entries
        if not all(text.strip() for text in e.msgstr.values())
        or sorted(e.msgstr) != ([0, 1] if e.plural is not None else [0])
    ]
    assert empty == []
    obsolete = [e.msgid for e in read_po(CATALOGUE / "django.po") if e.obsolete]
    assert obsolete == []


def test_every_string_of_the_source_is_in_the_french_catalogue() -> None:
    entries = {e.key: e for e in catalogue()}
    missing = []
    for message in source_messages():
        entry = entries.get((message.context, message.msgid))
        if entry is None or (message.plural is not None and entry.plural != message.plural):
            missing.append(f"{message.where}: {message.msgid!r}")
    assert missing == [], (
        "strings missing from the French catalogue (run makemessages, translate, "
        "compilemessages: see this module's docstring): " + "; ".join(missing)
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}|<[^>]+>")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def stray_percent(text: str) -> bool:
    """A % that is not part of a placeholder breaks the %-formatting the code applies."""
    return "%" in PLACEHOLDER.sub("", text)


def test_translations_keep_placeholders_and_markup() -> None:
    wrong = []
    for entry in catalogue():
        if entry.plural is None:
            pairs = [(entry.msgid, entry.msgstr[0])]
        else:
            # French uses the singular for 0 and 1: it may leave out the count
            pairs = [(entry.plural, entry.msgstr[1])]
            singular = set(placeholders(entry.msgstr[0]))
            if not singular <= set(placeholders(entry.msgid) + placeholders(entry.plural)):
                wrong.append((entry.msgid, entry.msgstr[0]))
        for source, translated in pairs:
            formatted = "%(" in source or "%d" in source
            if placeholders(source) != placeholders(translated) or (
                formatted and stray_percent(translated)
            ):
                wrong.append((source, translated))
    assert wrong == []


FRENCH_SPACING = re.compile(r" [:;?!]|« | »")


def test_french_typography_non_breaking_spaces() -> None:
    """French puts a non-breaking space before « : ; ? ! » and inside guillemets: a plain
    space there lets a line break before the colon or after the guillemet."""
    wrong = [
        text
        for entry in catalogue()
        for text in entry.msgstr.values()
        if FRENCH_SPACING.search(PLACEHOLDER.sub("", text))
    ]
    assert wrong == []


# A mark of French spacing written in a template's own text, outside any translated string,
# where the text around it is words: "{% translate 'most probable' %}: …", "{{ label }}:".
BARE_MARK = re.compile(r"(?<![\u00a0\u202f])[:;?!](?=\s|<|$)")
SITE_TEMPLATES = APP / "templates"


def bare_punctuation(source: str) -> list[str]:
    """The template's text (outside {% translate %} and {% blocktranslate %}, whose French is
    the catalogue's) that puts ``: ; ? !`` after a word, a variable or a translated string
    without French spacing: in French a page would print "probable: …". Each mark of French
    spacing in a template goes through ``{% punct ":" %}`` (the ``words`` tag library).
    HTML tags (and so their attributes), scripts and styles are left out."""
    from django.template.base import Lexer, TokenType

    shown: list[str] = []
    translating = commenting = False
    for token in Lexer(source).tokenize():
        words = token.contents.split()
        name = words[0] if words else ""
        if token.token_type == TokenType.BLOCK and name in {"comment", "endcomment"}:
            commenting = name == "comment"
        elif commenting:
            continue
        elif token.token_type == TokenType.BLOCK:
            if name in {"blocktranslate", "blocktrans"}:
                translating = True
                shown.append("T")
            elif name in {"endblocktranslate", "endblocktrans"}:
                translating = False
            elif name in {"translate", "trans"} and "as" not in words:
                shown.append("T")
        elif token.token_type == TokenType.VAR and not translating:
            shown.append("V")
        elif token.token_type == TokenType.TEXT and not translating:
            shown.append(token.contents)
    text = re.sub(r"<(script|style)\b.*?</\1>", "", "".join(shown), flags=re.S)
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"&#?\w+;", "E", text)  # an entity: &lt; is a mark, not a semicolon
    return [
        repr(text[max(0, match.start() - 30) : match.end() + 10])
        for match in BARE_MARK.finditer(text)
    ]


def test_the_template_check_finds_bare_punctuation() -> None:
    assert bare_punctuation('{% translate "most probable" %}: {{ h }}') != []
    assert bare_punctuation("<b>{{ label }}:</b> {{ text }}") != []
    assert bare_punctuation("{% if a %}; {% endif %}") != []
    assert bare_punctuation("p &lt; {{ p }} {% comment %}a: b{% endcomment %}") == []
    assert bare_punctuation('{% translate "Why" %}{% punct ":" %} {{ why }}') == []
    assert bare_punctuation("{% blocktranslate %}{{ n }}: {{ m }}{% endblocktranslate %}") == []
    assert bare_punctuation('<a href="{{ url }}?download=1" title="x: y">{{ url }}</a>') == []


def test_templates_leave_french_spacing_to_the_catalogue() -> None:
    """French typography in the templates too: no bare ``: ; ? !`` after translated text."""
    wrong = [
        f"{path.relative_to(SITE_TEMPLATES)} {problem}"
        for path in sorted(SITE_TEMPLATES.rglob("*.html"))
        for problem in bare_punctuation(path.read_text(encoding="utf-8"))
    ]
    assert wrong == []


def test_the_punctuation_tag_spaces_french_only() -> None:
    from django.template import Context, Template

    template = Template(
        '{% load i18n words %}{% translate "you" %}{% punct ":" %} 3{% punct "?" %}'
    )
    with translation.override("fr"):
        assert template.render(Context()) == "vous\u00a0: 3\u202f?"
    with translation.override("en"):
        assert template.render(Context()) == "you: 3?"


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        mo = gnu_gettext.GNUTranslations(compiled)
    stale = []
    for entry in catalogue():
        if entry.plural is None:
            found = (
                mo.pgettext(entry.context, entry.msgid)
                if entry.context is not None
                else mo.gettext(entry.msgid)
            )
            if found != entry.msgstr[0]:
                stale.append(entry.msgid)
        else:
            for n, form in ((1, 0), (2, 1)):
                found = (
                    mo.npgettext(entry.context, entry.msgid, entry.plural, n)
                    if entry.context is not None
                    else mo.ngettext(entry.msgid, entry.plural, n)
                )
                if found != entry.msgstr[form]:
                    stale.append(entry.msgid)
    assert stale == [], "django.mo is older than django.po: run compilemessages"


def test_the_site_loads_the_french_catalogue() -> None:
    assert django_settings.LANGUAGE_CODE == "fr"
    with translation.override("fr"):
        assert translation.gettext("Sign in") == "Se connecter"
        assert translation.ngettext("%(n)s factor", "%(n)s factors", 2) == "%(n)s facteurs"
        # a model's verbose name that is also a plural msgid elsewhere
        assert str(Task._meta.get_field("title").verbose_name) == "tâche"
        assert str(Round.Step.INFLUENCE.label) == "Matrice d'influence"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


# -- pages: French by default, English once switched ----------------------------------------


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class TextOf(HTMLParser):
    """The text nodes of a page, and its labels in attributes. Left out: scripts, styles,
    and the computations' parameters (<code> names, data-parameter values: the method's
    own words, recorded as they are)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.open: list[tuple[str, bool]] = []

    def skipping(self) -> bool:
        return any(skip for _tag, skip in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name in ("aria-label", "title", "placeholder", "data-confirm"):
            if names.get(name):
                self.texts.append(str(names[name]))
        if tag not in VOID:
            skip = tag in {"script", "style", "code"} or "data-parameter" in names
            self.open.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _skip in self.open):
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.skipping() and data.strip():
            self.texts.append(" ".join(data.split()))


def texts(response: Any) -> list[str]:
    parser = TextOf()
    parser.feed(response.content.decode())
    return parser.texts


def english_left(response: Any, *, user: str = "") -> list[str]:
    """Text nodes of a French page that are an English source string with a different
    French translation: a string the page shows without translating it. `user`: the name
    of the signed-in user shown in the header (the test users are called "facilitator")."""
    english = {
        e.msgid
        for e in catalogue()
        if e.plural is None and e.msgstr[0] != e.msgid and len(e.msgid) > 3
    }
    return [text for text in texts(response) if text.strip(" :·") in english - {user}]


def test_the_login_page_is_in_french_by_default(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in texts(response)
    assert "Je suis expert : rejoindre une étude avec son code" in texts(response)
    assert "Sign in" not in html
    # the switch offers English
    assert 'name="language" value="en"' in html
    assert english_left(response) == []


def test_an_expert_page_is_in_french(study: Study, expert: Expert, expert_client: Client) -> None:
    Round.objects.create(study=study, step=Round.Step.PROPOSALS).open()
    response = expert_client.get(reverse("workshop:expert_home", args=[study.pk]))
    assert response.status_code == 200
    page = texts(response)
    assert "Tours ouverts" in page
    assert "Répondre" in page
    assert "Tours clôturés" in page
    assert "Voir mes réponses" in page
    assert "Facteurs de changement : propositions" in page  # the round's name
    assert any(t.startswith("Vous participez en tant que") for t in page)
    assert english_left(response) == []
    proposals = expert_client.get(
        reverse("workshop:expert_answer", args=[study.pk, study.rounds.open().get().pk])
    )
    assert "Proposer un facteur" in texts(proposals)
    assert english_left(proposals) == []


def test_the_rounds_page_is_in_french(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.get(reverse("workshop:rounds", args=[study.pk]))
    assert response.status_code == 200
    page = texts(response)
    assert "Facteurs de changement : vote pondéré" in page
    assert "Matrice d'influence" in page
    assert "Rouvrir" in page
    assert any(t.startswith("Les étapes de la méthode où le panel répond") for t in page)
    assert "Reopen" not in page
    assert english_left(response, user="facilitator") == []


def test_the_desk_is_in_french(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.get(reverse("workshop:desk", args=[study.pk]))
    assert response.status_code == 200
    page = texts(response)
    assert "Le tableau de bord de l'animateur" in page
    assert "Tour" in page
    assert "Analyse structurelle" in page
    assert "clôturé" in page  # the rounds' state
    assert english_left(response, user="facilitator") == []
    results = facilitator_client.get(reverse("workshop:results_vote", args=[study.pk]))
    assert results.status_code == 200
    assert "Facteurs classés par points" in texts(results)
    assert english_left(results, user="facilitator") == []


def test_the_language_switch_turns_the_site_to_english_and_back(
    study: Study, facilitator_client: Client
) -> None:
    rounds = reverse("workshop:rounds", args=[study.pk])
    assert "Rouvrir" in texts(facilitator_client.get(rounds))
    switched = facilitator_client.post(reverse("set_language"), {"language": "en", "next": rounds})
    assert switched.status_code == 302
    assert switched["Location"] == rounds
    english = facilitator_client.get(rounds)
    assert '<html lang="en">' in english.content.decode()
    assert "Reopen" in texts(english)
    assert "Rouvrir" not in texts(english)
    # the switch now offers French
    assert 'name="language" value="fr"' in english.content.decode()
    facilitator_client.post(reverse("set_language"), {"language": "fr", "next": rounds})
    assert "Rouvrir" in texts(facilitator_client.get(rounds))


def test_a_browser_asking_for_english_gets_english(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("login"), headers={"Accept-Language": "en-GB,en"})
    assert "Sign in" in texts(response)
    assert "Se connecter" not in texts(response)


def url_patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    """(name, parameter names) of every named URL."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from url_patterns(pattern.url_patterns, prefix + namespace)
        elif pattern.name:
            yield prefix + pattern.name, list(pattern.pattern.converters)


@pytest.mark.slow  # every page of the example study
def test_every_page_of_the_example_study_is_in_french(facilitator: Any) -> None:
    """Every page the facilitator or an expert can open on the example study (all its
    steps and decisions) shows no English source string left untranslated."""
    study = import_study(load_example(), owner=facilitator)
    expert = study.experts.order_by("code")[0]
    clients = {"facilitator": Client(), "expert": expert_client_for(expert)}
    clients["facilitator"].force_login(facilitator)
    values: dict[str, list[Any]] = {
        "study_id": [study.pk],
        "round_id": list(study.rounds.values_list("pk", flat=True)),
        "factor_id": list(study.factors.key().values_list("pk", flat=True))[:2],
        "step": ["factor-vote", "influence", "hypothesis-vote"],
        "hypothesis_id": list(
            Hypothesis.objects.filter(factor__study=study).values_list("pk", flat=True)[:2]
        ),
        "action_id": list(
            Action.objects.filter(hypothesis__factor__study=study).values_list("pk", flat=True)[:1]
        ),
        "impact_id": list(
            Impact.objects.filter(hypothesis__factor__study=study).values_list("pk", flat=True)[:1]
        ),
        "competence_id": list(study.competences.values_list("pk", flat=True)[:1]),
        "activity_id": list(study.activities.values_list("pk", flat=True)[:1]),
        "expert_id": [expert.pk],
    }
    seen: set[str] = set()
    left: list[str] = []
    for name, parameters in url_patterns(get_resolver().url_patterns):
        if not name.startswith("workshop:") or not set(parameters) <= set(values):
            continue
        for combination in itertools.product(*(values[p] for p in parameters)):
            url = reverse(name, kwargs=dict(zip(parameters, combination, strict=True)))
            for who, client in clients.items():
                response = client.get(url)
                if response.status_code != 200 or "html" not in response["Content-Type"]:
                    continue
                seen.add(name)
                left += [f"{who} {url}: {text}" for text in english_left(response, user=who)]
    assert left == []
    # the walk reached the pages of every feature
    assert {
        "workshop:home",
        "workshop:study",
        "workshop:perimeter",
        "workshop:factors",
        "workshop:members",
        "workshop:panel",
        "workshop:rounds",
        "workshop:shortlist",
        "workshop:desk",
        "workshop:key_factors",
        "workshop:factor_decisions",
        "workshop:results_vote",
        "workshop:results_structure",
        "workshop:results_hypotheses",
        "workshop:results_impacts",
        "workshop:projector",
        "workshop:expert_home",
        "workshop:expert_answer",
        "workshop:expert_feedback",
        "workshop:join",
    } <= seen


def test_downloads_are_in_french(facilitator: Any, facilitator_client: Client) -> None:
    study = import_study(load_example(), owner=facilitator)

    def csv(page: str) -> str:
        url = reverse("workshop:results_download", args=[study.pk, page, "csv"])
        response = facilitator_client.get(url)
        assert response.status_code == 200
        # French CSV: fields separated by ";" (read back here as comma-separated lines)
        rows = csv_module.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        return "\n".join(",".join(row) for row in rows)

    structure = csv("structural-analysis")
    assert "influence directe,dépendance directe" in structure
    assert ",moteur," in structure
    assert ",driving," not in structure
    hypotheses = csv("hypotheses")
    assert "probabilité: je ne sais pas,probabilité: sans réponse,probabilité: répartition" in (
        hypotheses
    )
    actions = csv("actions-and-impacts")
    assert "facteur,hypothèse,repère,visée,action" in actions
    assert ",provoquer un changement souhaitable," in actions
    assert ",provoke," not in actions


# -- e-mails: in the study's language, whatever the facilitator's pages -------------------


@pytest.fixture
def reachable(study: Study) -> Expert:
    expert = study.experts.get(code="E2")
    expert.name = "Bruno Lambert"
    expert.email = "bruno@example.org"
    expert.save()
    return expert


def invite(client: Client, study: Study, expert: Expert, **headers: str) -> Any:
    return client.post(
        reverse("workshop:expert_invite", args=[study.pk, expert.pk]), headers=headers
    )


def test_an_invitation_of_a_french_study_is_in_french(
    study: Study, reachable: Expert, facilitator_client: Client, mail_server: None
) -> None:
    assert study.language == Study.Language.FRENCH
    # the facilitator's own pages are in English: the e-mail still follows the study
    response = invite(facilitator_client, study, reachable, **{"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Sent by e-mail to bruno@example.org" in response.content.decode()
    (message,) = mail.outbox
    assert message.subject == f"Votre invitation à l'étude « {study.title} »"
    assert message.body.startswith("Bonjour Bruno Lambert,")
    assert "Nous vous invitons à participer, en tant qu'expert" in message.body
    assert "Ouvrez votre lien personnel pour participer" in message.body
    assert "Hello" not in message.body
    assert "invitation to" not in message.subject


def test_an_invitation_of_an_english_study_is_in_english(
    study: Study, reachable: Expert, facilitator_client: Client, mail_server: None
) -> None:
    study.language = Study.Language.ENGLISH
    study.save()
    response = invite(facilitator_client, study, reachable)  # French pages
    assert "Envoyé par e-mail à bruno@example.org." in texts(response)
    (message,) = mail.outbox
    assert message.subject == f"Your invitation to the study “{study.title}”"
    assert message.body.startswith("Hello Bruno Lambert,")
    assert "Open your personal link to take part" in message.body
    assert "Bonjour" not in message.body


def test_a_reminder_of_a_french_study_is_in_french(
    study: Study, reachable: Expert, facilitator_client: Client
) -> None:
    Round.objects.create(study=study, step=Round.Step.PROPOSALS).open()
    facilitator_client.post(
        reverse("workshop:panel_remind", args=[study.pk]), headers={"Accept-Language": "en"}
    )
    (message,) = mail.outbox
    assert message.subject == f"Rappel : vos réponses pour l'étude « {study.title} »"
    assert "attend encore vos réponses pour : Facteurs de changement : propositions" in (
        " ".join(message.body.split())
    )


def test_dates_are_written_day_first_in_both_languages() -> None:
    """English dates are not US style: "6 December 2026" and 06/12/2026, as the report and
    the command line write them (presentation.date_text); French as Django writes it."""
    import datetime

    from django.utils.formats import date_format

    from anticipe import presentation

    day = datetime.date(2026, 12, 6)
    for language in ("en", "fr"):
        with translation.override(language):
            assert date_format(day, "DATE_FORMAT") == presentation.date_text(
                day.isoformat(), language
            )
            assert date_format(day, "SHORT_DATE_FORMAT") == "06/12/2026"
    with translation.override("en"):
        assert date_format(day, "DATE_FORMAT") == "6 December 2026"
        moment = datetime.datetime(2026, 12, 6, 14, 3)
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "06/12/2026 14:03"
