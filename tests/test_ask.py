"""facts ask: questions as reporters, councillors and researchers put them, each read as one command."""

import json
import shlex
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import META, POLICE_META, police_store, role_fact, write_store
from factcli.answers.ask import NotUnderstood, route
from factcli.cli import cli
from factcli.storage.loading import load
from factcli.storage.location import BUNDLED_STORE

# (question, the command it becomes) against the bundled store.
BUNDLED_TABLE = [
    # People and posts: roles as worded, the store's aliases, names, typos and word forms.
    ("who was director in 2021", "who --role director --year 2021"),
    ("Who was Blackpool's director of children's services in 2019?", "who --role \"director of children's services\" --year 2019"),
    ("who was the DCS in 2021?", "who --role dcs --year 2021"),
    ("who led the council in 2015", "who --role leader --year 2015"),
    ("who ran the council?", "who --role leader"),
    ("who was council leader in 2021?", "who --role 'council leader' --year 2021"),
    ("who is the lead member for children?", "who --role 'lead member'"),
    ("Who was the portfolio holder in 2024?", "who --role 'portfolio holder' --year 2024"),
    ("who was the children's minister in 2015?", "who --role \"children's minister\" --year 2015"),
    ("who was the minster in 2015?", "who --role minister --year 2015"),
    ("directors", "who --role director"),
    ("list the directors", "who --role director"),
    ("whos the dirctor", "who --role director"),
    ("WHO WAS THE MINSTER IN 2015", "who --role minister --year 2015"),
    ("who was directer in 2021??", "who --role director --year 2021"),
    ("when did Diane Booth leave?", "who --name 'Diane Booth'"),
    ("who is Vicky Gent?", "who --name 'Vicky Gent'"),
    ("when was Diane Booth director?", "who --role director --name 'Diane Booth'"),
    ("who was in charge of children's services in 2019?", "who --role director --year 2019"),
    ("who was the commissioner", "who --role commissioner"),
    ("who held the post of cabinet member in 2024?", "who --role 'cabinet member' --year 2024"),
    ("Who were the council leaders?", "who --role 'council leader'"),
    ("who was leader of blackpool council in 2015", "who --role 'leader of blackpool council' --year 2015"),
    ("what was timpson's job", "who --name Timpson"),
    ("who was the director between 2019 and 2021", "who --role director"),
    ("who is the current director?", "who --role director"),
    ("who?", "who"),
    # Ratings: the inspectorate's name, verdict words, grades of the scale, areas, year ranges.
    ("what was ofsted's verdict in 2019", "rating --year 2019"),
    ("How was Blackpool rated in 2012?", "rating --year 2012"),
    ("what rating did the council get in 2022?", "rating --year 2022"),
    ("ofstead rating 2019", "rating --year 2019"),
    ("what was the grade in 2019?!", "rating --year 2019"),
    ("latest rating?", "rating"),
    ("Ofsted judgments", "rating"),
    ("what did ofsted rate blackpool in March 2019", "rating --year 2019"),
    ("ratings between 2015 and 2023", "timeline --from 2015 --to 2023 --kind rating"),
    ("what was the overall judgement in 2023", "rating --year 2023 --area overall"),
    ("how was the protection of children from harm judged in 2012?", "rating --year 2012 --area 'protection of children from harm'"),
    ("how were care leavers rated", "rating --area 'care leavers'"),
    ("was blackpool ever rated outstanding?", "search outstanding --kind rating"),
    ("when was it rated requires improvement", "search 'requires improvement' --kind rating"),
    ("when was it rated inadequate?", "search inadequate --kind rating"),
    # What happened, and when: years, months, ranges, decades, kinds of fact.
    ("what happened in 2019?", "timeline --from 2019 --to 2019"),
    ("What happened in March 2021?", "timeline --from 2021-03 --to 2021-03"),
    ("what happened in july 2012?", "timeline --from 2012-07 --to 2012-07"),
    ("what happened between 2015 and 2019?", "timeline --from 2015 --to 2019"),
    ("what happened after 2021", "timeline --from 2022"),
    ("what happened in the 2010s?", "timeline --from 2010 --to 2019"),
    ("what happened last year?", "timeline"),
    ("interventions in 2018", "timeline --from 2018 --to 2018 --kind intervention"),
    ("what were the plans in 2019", "timeline --from 2019 --to 2019 --kind plan"),
    ("when did ofsted inspect?", "timeline --kind inspection"),
    ("when was the last inspection?", "timeline --kind inspection"),
    ("since 2021, what events?", "timeline --from 2021 --kind event"),
    ("when was the improvement notice lifted?", "search 'improvement notice lifted'"),
    ("when was the statutory direction imposed?", "search 'statutory direction imposed'"),
    ("how much money was invested?", "search 'money invested' --kind figure"),
    ("how much money was put in?", "search money --kind figure"),
    ("what did david johnston say?", "search 'David Johnston'"),
    ("who replaced diane booth?", "who --role \"director of children's services\""),
    ("who succeeded Simon Blackburn as leader", "who --role 'Leader of Blackpool Council'"),
    ("how many social workers were recruited?", "search 'social workers recruited' --kind figure"),
    ("what happened to Diane Booth?", "search 'Diane Booth'"),
    # What people said and found.
    ("what did Diane Booth say?", "search 'Diane Booth' --kind statement"),
    ("What did Simon Blackburn say?", "search 'Simon Blackburn' --kind statement"),
    ("what did Lynn Williams say in 2021?", "search 'Lynn Williams' --kind statement"),
    ("what did the commissioner find?", "search commissioner --kind finding"),
    ("what did ofsted find in 2019?", "search Ofsted --kind finding"),
    ("What did the council chiefs say?", "search 'council chiefs' --kind statement"),
    ("what was said in 2015", "timeline --from 2015 --to 2015 --kind statement"),
    ("what did the minister say about blackpool", "search minister --kind statement"),
    ("who said blackpool was failing", "search failing --kind statement"),
    # Words to look for.
    ("chronic neglect", "search 'chronic neglect'"),
    ("sofa surfing?", "search 'sofa surfing'"),
    ('"social workers"', "search '\"social workers\"'"),
    ("tell me about the improvement board", "search 'improvement board'"),
    ("chronc neglect", "search 'chronic neglect'"),
    # Sources, their disagreements, one fact.
    ("where do the sources disagree?", "conflicts"),
    ("do any sources contradict each other?", "conflicts"),
    ("Conflicts", "conflicts"),
    ("what are the sources?", "sources"),
    ("which articles does this come from", "sources"),
    ("show rating-2019-01-overall-inadequate", "show rating-2019-01-overall-inadequate"),
    ("show me rating-2019-01-overal-inadequate", "show rating-2019-01-overall-inadequate"),
]

# The same kinds of question against a store about a police force: nothing of the bundled topic.
POLICE_TABLE = [
    ("who was the chief constable in 2023?", "who --role 'chief constable' --year 2023"),
    ("who is the pcc?", "who --role pcc"),
    ("who ran the force?", "who --role chief"),
    ("who ran Northshire Police in 2023", "who --role chief --year 2023"),
    ("who was cheif in 2023", "who --role chief --year 2023"),
    ("who was the police and crime comissioner in 2023", "who --role 'police and crime commissioner' --year 2023"),
    ("who is Ben Marsh", "who --name 'Ben Marsh'"),
    ("what was the HMICFRS grade in 2020?", "rating --year 2020"),
    ("how was Northshire Police rated in 2023?", "rating --year 2023"),
    ("was the force ever rated adequate?", "search adequate --kind rating"),
    ("when was it graded good", "search good --kind rating"),
    ("ratings between 2019 and 2023", "timeline --from 2019 --to 2023 --kind rating"),
    ("how much money was set aside?", "search 'money set aside' --kind figure"),
    ("what happened in 2023?", "timeline --from 2023 --to 2023"),
    ("where do the sources disagree?", "conflicts"),
]

UNANSWERABLE = ["what is the meaning of life", "Blackpool", "???", "the council's children's services"]


@pytest.fixture
def bundled(monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    monkeypatch.setenv("FACTS_TODAY", "2026-11-23")
    return load(str(BUNDLED_STORE), "never", None)


@pytest.fixture
def police(tmp_path, monkeypatch):
    path = police_store(tmp_path / "police.json")
    monkeypatch.setenv("FACTS_DB", str(path))
    return load(str(path), "never", None)


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("question, command", BUNDLED_TABLE, ids=[q for q, _ in BUNDLED_TABLE])
def test_a_question_becomes_one_command(bundled, question, command):
    chosen = route(bundled, question)
    assert [chosen.command, *chosen.args] == shlex.split(command)


@pytest.mark.parametrize("question, command", POLICE_TABLE, ids=[q for q, _ in POLICE_TABLE])
def test_a_question_about_another_subject_becomes_one_command(police, question, command):
    chosen = route(police, question)
    assert [chosen.command, *chosen.args] == shlex.split(command)


def test_the_table_is_large_and_varied():
    assert len(BUNDLED_TABLE) >= 60
    assert len({question.casefold() for question, _ in BUNDLED_TABLE}) == len(BUNDLED_TABLE)
    commands = {command.split()[0] for _, command in BUNDLED_TABLE}
    assert commands == {"who", "rating", "timeline", "search", "show", "sources", "conflicts"}


@pytest.mark.parametrize("question, command", BUNDLED_TABLE, ids=[q for q, _ in BUNDLED_TABLE])
def test_ask_json_is_byte_identical_to_the_routed_command_json(bundled, question, command):
    asked = run("ask", question, "--json")
    direct = run(*shlex.split(command), "--json")
    assert asked.exit_code == direct.exit_code == 0, asked.output
    assert asked.stdout_bytes == direct.stdout_bytes
    # The printed line, read by a shell, is the command (an apostrophe's argument in double quotes).
    assert shlex.split(asked.stderr.splitlines()[0]) == ["facts", *shlex.split(command), "--json"]


@pytest.mark.parametrize("question, command", POLICE_TABLE, ids=[q for q, _ in POLICE_TABLE])
def test_ask_json_about_another_subject_is_the_routed_command_json(police, question, command):
    asked = run("ask", question, "--json")
    direct = run(*shlex.split(command), "--json")
    assert asked.exit_code == direct.exit_code == 0, asked.output
    assert asked.stdout_bytes == direct.stdout_bytes


@pytest.mark.parametrize(
    "options",
    [[], ["--format", "csv"], ["--format", "jsonl"], ["--limit", "1"], ["--fields", "id,person", "--json"],
     ["--format", "csv", "--raw-cells"], ["--include-retracted", "--json"]],
)  # fmt: skip
def test_output_options_reach_the_routed_command(bundled, options):
    asked = run("ask", "who was director in 2021", *options)
    direct = run("who", "--role", "director", "--year", "2021", *options)
    assert asked.exit_code == direct.exit_code == 0
    assert asked.stdout == direct.stdout
    printed = shlex.split(asked.stderr.splitlines()[0])
    assert printed[:6] == ["facts", "who", "--role", "director", "--year", "2021"]
    assert sorted(printed[6:]) == sorted(options)
    assert run(*printed[1:]).stdout == asked.stdout


def test_the_question_may_be_given_unquoted(bundled):
    assert run("ask", "who", "was", "director", "in", "2021", "--json").stdout == run("ask", "who was director in 2021", "--json").stdout


def test_limit_counts_the_rest_as_the_routed_command_does(bundled):
    asked = run("ask", "what happened in 2019", "--limit", "2")
    assert asked.exit_code == 0
    assert any("more not shown (--limit 2)" in line for line in asked.stderr.splitlines())


def test_include_retracted_goes_to_the_routed_command_conflicts_too(bundled):
    result = run("ask", "where do the sources disagree?", "--include-retracted", "--json")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "facts conflicts --json --include-retracted"
    assert json.loads(result.stdout) == json.loads(run("conflicts", "--include-retracted", "--json").stdout)


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_a_question_it_cannot_read_exits_2_with_one_line_then_three_examples_that_work(bundled, question):
    result = run("ask", question)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and lines[0].startswith("Error: no question recognised in ")
    for line in lines[1:]:
        asked = shlex.split(line.strip())
        assert asked[:2] == ["facts", "ask"]
        assert run(*asked[1:]).exit_code == 0, line


def test_examples_come_from_the_store_in_use(bundled, police):
    with pytest.raises(NotUnderstood) as bundled_error:
        route(bundled, "what is the meaning of life")
    with pytest.raises(NotUnderstood) as police_error:
        route(police, "what is the meaning of life")
    assert bundled_error.value.examples != police_error.value.examples
    assert any("HMICFRS" in example for example in police_error.value.examples)
    assert any("Ada Quill" in example or "Ben Marsh" in example for example in police_error.value.examples)
    for example in police_error.value.examples:
        route(police, example)  # each one is read, not refused


def test_the_error_names_the_words_no_fact_uses(bundled):
    with pytest.raises(NotUnderstood, match="no fact uses 'life'"):
        route(bundled, "what is the meaning of life")


def test_subject_words_come_from_the_store_meta_not_the_code(tmp_path, monkeypatch):
    """"Blackpool" is passed over because the meta says it is the subject; a store about
    somewhere else searches for it like any other word."""
    path = write_store(tmp_path / "other.json", meta={**META, "subject": "Sandford Council", "title": "Sandford",
                                                       "common_words": ["council"]})  # fmt: skip
    store = load(str(path), "never", None)
    assert route(store, "tell me about Blackpool").args == ("blackpool",)
    bundled_meta = load(str(write_store(tmp_path / "same.json")), "never", None)
    with pytest.raises(NotUnderstood):
        route(bundled_meta, "tell me about Blackpool")


def test_dates_are_never_resolved_against_today(bundled, monkeypatch):
    answers = set()
    for today in ("2020-01-01", "2026-11-23", "2031-06-30"):
        monkeypatch.setenv("FACTS_TODAY", today)
        result = run("ask", "what happened last year?", "--json")
        assert result.exit_code == 0
        answers.add(result.stderr.splitlines()[0])
        assert "'last year' is not read as a date: facts ask does not count from today" in result.stderr
    assert answers == {"facts timeline --json"}


def test_months_are_read_as_their_year_and_said_so(bundled):
    chosen = route(bundled, "who was the director in March 2021?")
    assert chosen.args == ("--role", "director", "--year", "2021")
    assert "Read March 2021 as the whole year: this command takes years." in chosen.notes
    # The timeline takes months: a month asked about is that month.
    assert route(bundled, "what happened in march 2021?").args == ("--from", "2021-03", "--to", "2021-03")


def test_a_year_search_cannot_take_is_named_as_left_out(bundled):
    chosen = route(bundled, "what did Lynn Williams say in 2021?")
    assert any("2021 is left out" in note for note in chosen.notes)


def test_a_corrected_word_is_said(bundled):
    result = run("ask", "who was the minster in 2015?")
    assert result.stderr.splitlines()[:2] == ["facts who --role minister --year 2015", "Read minster as minister."]


def two_director_posts(tmp_path, monkeypatch):
    facts = [
        role_fact(),
        role_fact(id="role-pat-lee-director-of-public-health", claim="Pat Lee was director of public health in 2019.",
                  person="Pat Lee", role="director of public health", date="2019-02"),
        role_fact(id="role-sam-roe-director-of-public-health", claim="Sam Roe was director of public health in 2017.",
                  person="Sam Roe", role="director of public health", date="2017"),
    ]  # fmt: skip
    path = write_store(tmp_path / "two.json", facts=facts)
    monkeypatch.setenv("FACTS_DB", str(path))
    return load(str(path), "never", None)


def test_a_post_word_matching_two_posts_picks_the_more_specific_and_says_so(tmp_path, monkeypatch):
    store = two_director_posts(tmp_path, monkeypatch)
    chosen = route(store, "who was director in 2019")
    # Both posts are held in 2019 (per the gazette of 2019-02); public health has more on record.
    assert chosen.args == ("--role", "director of public health", "--year", "2019")
    assert [note for note in chosen.notes if "matches 2 posts" in note] == [
        "'director' matches 2 posts; read it as director of public health (held in 2019),"
        " not director of children's services."
    ]
    named = route(store, "who was director of children's services in 2019")
    assert named.args == ("--role", "director of children's services", "--year", "2019") and not named.notes


def test_a_name_that_is_also_an_everyday_word_is_read_as_the_name_and_said_so(tmp_path, monkeypatch):
    from conftest import POLICE_SOURCE, police_facts

    facts = police_facts() + [
        {
            "id": "event-2023-marsh-flooded", "kind": "event", "claim": "The marsh by the station flooded in 2023.",
            "date": "2023", "date_note": None, "citations": [{"source": "courier-2023", "quote": "crime commissioner"}],
        }
    ]  # fmt: skip
    store = load(str(write_store(tmp_path / "marsh.json", facts, [POLICE_SOURCE], meta=POLICE_META)), "never", None)
    chosen = route(store, "what did marsh say?")
    # No statement is by Ben Marsh: facts of every kind are searched for his name, and said so.
    assert (chosen.command, chosen.args) == ("search", ("Ben Marsh",))
    assert chosen.notes == (
        "Read 'marsh' as the name Ben Marsh; the store also uses it as a word (facts search marsh).",
        "No statement on record has Ben Marsh as its speaker (what was written or said may be on record as"
        " findings): searching facts of every kind for the name.",
    )
    assert route(store, "who is ben marsh").notes == ()


def test_ask_works_in_a_batch_as_a_single_call_does(bundled):
    requests = [["ask", "who was the minster in 2015?"], ["ask", "what is the meaning of life"],
                ["ask", "what happened in 2019", "--limit", "1"]]  # fmt: skip
    result = CliRunner().invoke(cli, ["batch"], input="".join(json.dumps(r) + "\n" for r in requests))
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [reply["exit"] for reply in replies] == [0, 2, 0]
    single = run("ask", "who was the minster in 2015?", "--json")
    assert replies[0]["answer"] == json.loads(single.stdout)
    # The batch's answer is JSON whatever the request asks; what ask prints is the command as asked.
    assert sorted(replies[0]["notes"]) == sorted(run("ask", "who was the minster in 2015?").stderr.splitlines())
    assert replies[1]["error"].startswith("no question recognised") and replies[1]["error"].count("facts ask") == 3
    assert len(replies[2]["answer"]) == 1


def test_ask_is_the_first_command_of_the_ask_section(bundled):
    help_text = run("--help").stdout
    section = help_text.split("Ask commands:")[1]
    assert section.split()[0] == "ask"


def test_rapidfuzz_is_imported_by_ask_only():
    code = (
        "import sys; from factcli.cli import main; sys.argv = ['facts'] + sys.argv[1:]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('rapidfuzz' in sys.modules, file=sys.stderr)"
    )
    for args, imported in ((["--help"], "False"), (["sources", "--json"], "False"), (["ask", "who", "--json"], "True")):
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
        assert result.stderr.splitlines()[-1] == imported, (args, result.stderr)


@pytest.mark.parametrize(
    "question, command",
    [("what happened between 2021 and 2019?", "timeline --from 2019 --to 2021"),
     ("what happened 2019-2001", "timeline --from 2001 --to 2019"),
     ("what happened before 2013", "timeline --to 2012")],
)  # fmt: skip
def test_years_are_read_in_order_and_within_the_years_the_commands_take(bundled, question, command):
    chosen = route(bundled, question)
    assert [chosen.command, *chosen.args] == shlex.split(command)


@pytest.mark.parametrize("question", ["before 1900", "after 2100"])
def test_a_bound_outside_the_years_the_commands_take_is_no_question(bundled, question):
    assert run("ask", question).exit_code == 2


def test_a_long_question_is_shortened_in_the_error(bundled):
    result = run("ask", "x" + "a" * 100000)
    assert result.exit_code == 2
    assert max(len(line) for line in result.stderr.splitlines()) < 300


def test_an_error_of_the_routed_command_names_that_command(bundled):
    result = run("ask", "who was director", "--fields", "nope")
    assert result.exit_code == 2
    assert "--fields: no key 'nope' for facts who" in result.stderr
    assert "ask" not in result.stderr.split("Error:")[0].replace("facts who --role director --fields nope", "")


@pytest.mark.parametrize(
    "question",
    [
        "who was the mayor in 2020?",
        "what did Ofsted rate Lancashire in 2019?",
        "what was the police rating in 2019?",
        "who was the chief executive in 2021?",
    ],
)
def test_a_word_no_fact_of_the_kind_uses_is_refused_not_left_out(bundled, question):
    # Answering without the word would answer another question: Diane Booth is no mayor.
    result = run("ask", question, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: no fact uses ")


def test_a_word_the_kind_uses_is_left_out_with_a_note(bundled):
    result = run("ask", "what was the rating of the department in 2019?", "--json")
    assert result.exit_code == 0
    assert "Left out 'department'" in result.stderr


def test_still_with_a_grade_lists_every_judgment_not_only_that_grade(bundled):
    result = run("ask", "is Blackpool still inadequate?", "--json")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "facts rating --json"
    grades = [judgment["judgment"] for judgment in json.loads(result.stdout)]
    assert grades[-1] != "inadequate" and "inadequate" in grades


def test_the_printed_command_puts_an_apostrophe_in_double_quotes(bundled):
    result = run("ask", "who was the children's minister in 2015?")
    assert result.stderr.splitlines()[0] == "facts who --role \"children's minister\" --year 2015"


def test_what_someone_said_finds_statements_by_them_under_a_form_of_address(tmp_path):
    """A statement by "Cllr Diane Booth" is by Diane Booth: asked what she said, ask keeps to statements."""
    said = {"id": "statement-booth", "kind": "statement", "claim": "Ms Booth said a plan was being laid out.",
            "date": "2019-02", "date_basis": "reported", "date_note": None, "speaker": "Cllr Diane Booth",
            "citations": [{"source": "gazette-2019", "quote": "Ms Booth said"}]}  # fmt: skip
    store = load(str(write_store(tmp_path / "said.json", [role_fact(), said])), "never", None)
    chosen = route(store, "what did diane booth say?")
    assert (chosen.command, chosen.args) == ("search", ("Diane Booth", "--kind", "statement"))
