"""The content checker's messages, in English and Dutch, in one place.

A message is a `Msg`: a `str` holding the English text (so `file:line: message`
output and every comparison stay as they were), which also remembers its id and
values and can be shown in Dutch with `msg.in_language("nl")`. Values may be
messages themselves ("option 2 of question 3"); they are translated along.

The CLI follows `LANG` (`cli_language`), the web the user's language (`web_language`).
"""
import os

CATALOGUE: dict[str, tuple[str, str]] = {
    # -- where in a file (used inside other messages)
    "where.front_matter": ("the front matter", "de front matter"),
    "where.quiz_file": ("the quiz file", "het quizbestand"),
    "where.quiz": ("the quiz", "de quiz"),
    "where.question": ("question {number}", "vraag {number}"),
    "where.option": ("option {number} of {where}", "antwoordoptie {number} van {where}"),
    "where.field": ("field {number}", "veld {number}"),
    "where.criterion": ("rubric criterion {number}", "rubriccriterium {number}"),
    "where.level": ("level {number} of {where}", "niveau {number} van {where}"),
    # -- values and structure
    "mapping": ("{what} must be a list of 'key: value' lines",
                "{what} moet een lijst van regels 'sleutel: waarde' zijn"),
    "unknown_field": ("unknown field '{key}' in {where}", "onbekend veld '{key}' in {where}"),
    "missing_field": ("missing field '{key}' in {where}", "veld '{key}' ontbreekt in {where}"),
    "not_text": ("'{key}' must be text", "'{key}' moet tekst zijn"),
    "empty": ("'{key}' is empty", "'{key}' is leeg"),
    "not_whole_number": ("'{key}' must be a whole number", "'{key}' moet een geheel getal zijn"),
    "between": ("'{key}' must be between {low} and {high}", "'{key}' moet tussen {low} en {high} liggen"),
    "at_least": ("'{key}' must be at least {low}", "'{key}' moet minstens {low} zijn"),
    "not_boolean": ("'{key}' must be true or false", "'{key}' moet true of false zijn"),
    "not_list": ("'{key}' must be a list", "'{key}' moet een lijst zijn"),
    "item_not_text": ("item {number} of '{key}' must be a line of text",
                      "onderdeel {number} van '{key}' moet een regel tekst zijn"),
    "bad_id": ("'{value}' is not a valid id: use lowercase letters, digits and dashes",
               "'{value}' is geen geldige id: gebruik kleine letters, cijfers en streepjes"),
    "duplicate_id": ("duplicate id '{value}' (also on line {line})", "dubbele id '{value}' (ook op regel {line})"),
    "too_long": ("'{key}' is {length} characters long; the limit is {limit}",
                 "'{key}' is {length} tekens lang; de grens is {limit}"),
    # -- files
    "not_utf8": ("the file is not UTF-8 text: save it with the encoding UTF-8",
                 "het bestand is geen UTF-8-tekst: sla het op met de codering UTF-8"),
    "unreadable": ("the file cannot be read ({reason})", "het bestand kan niet worden gelezen ({reason})"),
    "front_not_closed": ("the front matter is not closed with a '---' line",
                         "de front matter wordt niet afgesloten met een regel '---'"),
    "no_front_matter": ("the file must start with front matter between '---' lines",
                        "het bestand moet beginnen met front matter tussen regels '---'"),
    # -- YAML
    "yaml.alias": ("YAML references (&name and *name) are not supported: write the value out in full "
                   "(a '*' or '&' at the start of a text needs quotes)",
                   "YAML-verwijzingen (&naam en *naam) worden niet ondersteund: schrijf de waarde helemaal uit "
                   "(een '*' of '&' aan het begin van een tekst moet tussen aanhalingstekens)"),
    "yaml.plain_key": ("a key must be a plain word", "een sleutel moet een gewoon woord zijn"),
    "yaml.duplicate_key": ("duplicate key '{key}'", "dubbele sleutel '{key}'"),
    "yaml.unreadable_value": ("unreadable value ({detail})", "onleesbare waarde ({detail})"),
    "yaml.tab": ("this line is indented with a tab; YAML needs spaces",
                 "deze regel springt in met een tab; YAML heeft spaties nodig"),
    "yaml.syntax_here": ("YAML syntax error: {detail} (check the quotes and indentation on this line and the line "
                         "above)", "YAML-fout: {detail} (controleer de aanhalingstekens en het inspringen op deze "
                         "regel en de regel erboven)"),
    "yaml.syntax": ("YAML syntax error: {detail}", "YAML-fout: {detail}"),
    "yaml.too_deep": ("the file is nested too deeply to read", "het bestand is te diep genest om te lezen"),
    # -- Markdown: images and links
    "image_no_alt": ("image '{target}' has no description (alt text)",
                     "afbeelding '{target}' heeft geen beschrijving (alt-tekst)"),
    "broken_anchor": ("broken link '{target}': no heading has that anchor",
                      "kapotte link '{target}': geen kop heeft dat anker"),
    "broken_link": ("broken link '{target}': link to a web address (https://…) or a heading (#…)",
                    "kapotte link '{target}': link naar een webadres (https://…) of naar een kop (#…)"),
    "image_external": ("image '{target}' must be a file in the module folder",
                       "afbeelding '{target}' moet een bestand in de modulemap zijn"),
    "image_outside": ("image '{target}' is outside the module folder: put the image in the module folder and use "
                      "its file name", "afbeelding '{target}' staat buiten de modulemap: zet de afbeelding in de "
                      "modulemap en gebruik de bestandsnaam"),
    "image_missing": ("broken image link '{target}': no such file in the module folder",
                      "kapotte afbeeldingslink '{target}': dat bestand staat niet in de modulemap"),
    "image_type": ("image '{target}' must be a .png, .jpg, .gif, .svg or .webp file",
                   "afbeelding '{target}' moet een .png-, .jpg-, .gif-, .svg- of .webp-bestand zijn"),
    # -- the course cover (course.yml `cover:` and `cover_alt:`)
    "cover_outside": ("cover '{target}' must be the name of an image file in the course folder (next to "
                      "course.yml), without a folder or a web address",
                      "omslag '{target}' moet de naam zijn van een afbeelding in de cursusmap (naast course.yml), "
                      "zonder map of webadres"),
    "cover_missing": ("cover '{target}': no such file in the course folder",
                      "omslag '{target}': dat bestand staat niet in de cursusmap"),
    "cover_type": ("cover '{target}' must be a .png, .jpg, .gif, .svg or .webp file",
                   "omslag '{target}' moet een .png-, .jpg-, .gif-, .svg- of .webp-bestand zijn"),
    "cover_no_alt": ("cover '{target}' needs 'cover_alt': a short description of the image for people who "
                     "cannot see it", "omslag '{target}' heeft 'cover_alt' nodig: een korte beschrijving van de "
                     "afbeelding voor wie hem niet kan zien"),
    "cover_alt_without_cover": ("'cover_alt' describes a cover, but there is no 'cover'",
                                "'cover_alt' beschrijft een omslag, maar er is geen 'cover'"),
    # -- module files
    "reading_empty": ("the reading has no text after the front matter",
                      "de leestekst heeft geen tekst na de front matter"),
    "quiz_no_questions": ("the quiz has no questions", "de quiz heeft geen vragen"),
    "unknown_question_type": ("unknown question type '{kind}': use {types} or {last}",
                              "onbekend vraagtype '{kind}': gebruik {types} of {last}"),
    "too_few_options": ("{where} needs at least 2 options", "{where} heeft minstens 2 antwoordopties nodig"),
    "truefalse_two_options": ("{where} is true/false and needs exactly 2 options",
                              "{where} is waar/niet waar en heeft precies 2 antwoordopties nodig"),
    "no_correct_answer": ("{where} has no correct answer", "{where} heeft geen goed antwoord"),
    "too_many_correct": ("{where} is {kind} and has {correct} correct answers; it needs exactly 1",
                         "{where} is {kind} en heeft {correct} goede antwoorden; er moet er precies 1 goed zijn"),
    "assignment_empty": ("the assignment has no instructions after the front matter",
                         "de opdracht heeft geen instructie na de front matter"),
    "no_fields": ("the assignment has no fields", "de opdracht heeft geen velden"),
    "rubric_size": ("the rubric needs 3 to 5 criteria; it has {count}",
                    "de rubric heeft 3 tot 5 criteria nodig; er zijn er {count}"),
    "no_levels": ("{where} has no levels", "{where} heeft geen niveaus"),
    "criterion_field_unknown": ("{where} names field '{value}', which this assignment does not have",
                                "{where} noemt veld '{value}', dat deze opdracht niet heeft"),
    "no_reading": ("module '{slug}' has no reading.md", "module '{slug}' heeft geen reading.md"),
    # -- course.yml
    "bad_folder_name": ("the folder name '{name}' is not a valid id: use lowercase letters, digits and dashes",
                        "de mapnaam '{name}' is geen geldige id: gebruik kleine letters, cijfers en streepjes"),
    "bad_format": ("format {version} is not supported; this Leerlijn reads format {supported}",
                   "format {version} wordt niet ondersteund; deze Leerlijn leest format {supported}"),
    "unlisted_folder": ("this folder is not listed under 'modules' in course.yml; it is not loaded",
                        "deze map staat niet onder 'modules' in course.yml; hij wordt niet geladen"),
    "bad_language": ("'language' must be nl or en", "'language' moet nl of en zijn"),
    "bad_colour": ("colour '{value}' must look like #0b5d6b", "kleur '{value}' moet eruitzien als #0b5d6b"),
    "attendance_nothing": ("'attendance' asks for nothing: give 'sessions' or 'hours' (at least 1), or leave "
                           "'attendance' out", "'attendance' vraagt niets: geef 'sessions' of 'hours' (minstens 1), "
                           "of laat 'attendance' weg"),
    "no_modules": ("the course has no modules", "de cursus heeft geen modules"),
    "empty_module_item": ("item {number} under 'modules' is empty: write a module folder name after the '-'",
                          "onderdeel {number} onder 'modules' is leeg: schrijf een modulemapnaam na de '-'"),
    "bad_module_id": ("'{slug}' is not a valid module id: use lowercase letters, digits and dashes",
                      "'{slug}' is geen geldige module-id: gebruik kleine letters, cijfers en streepjes"),
    "bad_retired_id": ("'{slug}' is not a valid module id", "'{slug}' is geen geldige module-id"),
    "duplicate_module": ("duplicate module '{slug}'", "dubbele module '{slug}'"),
    "reserved_module_id": ("'{slug}' cannot be a module id: the course uses it for a page of its own "
                           "(not: {words}); rename the module folder",
                           "'{slug}' kan geen module-id zijn: de cursus gebruikt het voor een eigen pagina "
                           "(niet: {words}); geef de modulemap een andere naam"),
    "unknown_module": ("unknown module '{slug}': there is no folder {folder}/{slug}",
                       "onbekende module '{slug}': er is geen map {folder}/{slug}"),
    "listed_twice": ("module '{slug}' is listed both under 'modules' and 'retired'",
                     "module '{slug}' staat zowel onder 'modules' als onder 'retired'"),
    "no_such_folder": ("no such folder", "deze map bestaat niet"),
    "no_courses": ("no course folders found (each needs a course.yml)",
                   "geen cursusmappen gevonden (elke cursusmap heeft een course.yml nodig)"),
    "no_course_file": ("the course folder has no course.yml", "de cursusmap heeft geen course.yml"),
    # -- loading
    "unlisted_with_data": ("module '{slug}' has learner data but is no longer listed under 'modules'; put it "
                           "back, or list it under 'retired:' to keep its data and hide it",
                           "module '{slug}' heeft gegevens van deelnemers maar staat niet meer onder 'modules'; "
                           "zet hem terug, of zet hem onder 'retired:' om de gegevens te bewaren en hem te "
                           "verbergen"),
    # -- the command's summary lines
    "cli.problems": ("{count} problem(s) found; nothing was changed.",
                     "{count} probleem/problemen gevonden; er is niets veranderd."),
    "cli.ok": ("Content OK: {courses} course(s), {modules} module(s).",
               "Inhoud in orde: {courses} cursus(sen), {modules} module(s)."),
}
LANGUAGES = ("en", "nl")


def render(code: str, language: str, params: dict) -> str:
    template = CATALOGUE[code][LANGUAGES.index(language) if language in LANGUAGES else 0]
    values = {k: v.in_language(language) if isinstance(v, Msg) else v for k, v in params.items()}
    return template.format(**values)


class Msg(str):
    """A checker message: its English text, plus its id and values for translation."""

    code: str
    params: dict

    def __new__(cls, code: str, **params):
        message = super().__new__(cls, render(code, "en", params))
        message.code, message.params = code, params
        return message

    def in_language(self, language: str) -> str:
        return render(self.code, language, self.params)


def in_language(message: str, language: str) -> str:
    """Any checker message (or plain text) in `language`."""
    return message.in_language(language) if isinstance(message, Msg) else str(message)


def cli_language(environ=None) -> str:
    """`flask content check` speaks Dutch when LANG starts with nl (nl_NL.UTF-8, nl_BE, nl)."""
    environ = os.environ if environ is None else environ
    return "nl" if environ.get("LANG", "").lower().startswith("nl") else "en"


def web_language() -> str:
    """The user's language on the web (Flask-Babel's choice), for an editor showing problems."""
    from flask_babel import get_locale

    locale = get_locale()
    return "nl" if locale is not None and locale.language == "nl" else "en"
