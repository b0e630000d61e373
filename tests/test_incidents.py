"""Incidents: sentence splitting, event types, tolls, actors and dates on sentences; whole
articles against golden files; the `incidents` command's exit codes and files."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.articles import Article, read_articles
from geomap.cli import cli
from geomap.frame import COLUMNS
from geomap.incidents import Incident, extract_incidents
from geomap.incidents.actors import find_actors, find_speaker
from geomap.evaluate.incidents import evaluate_seed_incidents, score_seed_incidents
from geomap.incidents.casualties import find_fatalities, parse_number
from geomap.incidents.sentences import split_sentences
from geomap.incidents.timing import event_time, sentence_dates
from geomap.incidents.classify import classify
from geomap.incidents.taxonomy import TAXONOMY
from geomap.scan import LiteralStarts, literal_prefixes, matches_at
from geomap.incidents.triggers import TRIGGERS

D = dt.date
THU = D(2020, 10, 1)
MON = D(2020, 10, 5)
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ARTICLES = FIXTURES / "articles"
GOLDEN = FIXTURES / "incidents_golden"
SEEDS = ROOT / "seeds"
SHARED_GOLD = ROOT.parent / "shared" / "gold" / "seeds.json"
# the fields a golden file pins down (confidence and notes are left free to evolve)
GOLDEN_FIELDS = ("event_type", "sub_event_type", "event_date", "end_date", "time_precision",
                 "location", "country_code", "geo_precision", "fatalities", "fatalities_parts",
                 "historical", "actor1", "actor2", "sentence_start")


# --- sentences -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Fighting resumed. Dr. Aliyev said 5 died.", ["Fighting resumed.", "Dr. Aliyev said 5 died."]),
    ("He left the U.S. Army in May. Then he spoke.", ["He left the U.S. Army in May.", "Then he spoke."]),
    ('"We condemn it," he said. "It is grave."', ['"We condemn it," he said.', '"It is grave."']),
    ("Headline without a full stop\nThe body starts here.", ["Headline without a full stop", "The body starts here."]),
    ("A line that wraps\nin the middle of a sentence.", ["A line that wraps\nin the middle of a sentence."]),
    ("First paragraph\n\nSecond one.", ["First paragraph", "Second one."]),
    ("It hit the city. , raising fears.", ["It hit the city. , raising fears."]),
    ("  • World\n  • Conflict", ["• World", "• Conflict"]),
])
def test_split_sentences(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_sentences_keep_paragraph_numbers():
    sentences = split_sentences("One. Two.\n\nThree.")
    assert [(s.text, s.paragraph) for s in sentences] == [("One.", 0), ("Two.", 0), ("Three.", 1)]


# --- event types -----------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, event_type, sub_event_type", [
    ("Rocket fire in the Nagorno-Karabakh region, October 1, 2020.", "Explosions/Remote violence",
     "Shelling/artillery/missile attack"),
    ("Large-scale fighting between the two armies resumed Sunday.", "Battles", "Armed clash"),
    ("An air strike hit a market in the town.", "Explosions/Remote violence", "Air/drone strike"),
    ("Military jets bombed a village on Tuesday.", "Explosions/Remote violence", "Air/drone strike"),
    ("A roadside bomb struck a patrol.", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at a mosque.", "Explosions/Remote violence", "Suicide bomb"),
    ("Rebels fired three missiles at the airport.", "Explosions/Remote violence",
     "Shelling/artillery/missile attack"),
    ("Gunmen kidnapped 20 students from a school.", "Violence against civilians",
     "Abduction/forced disappearance"),
    ("Gunmen killed 12 villagers in the night.", "Violence against civilians", "Attack"),
    ("Militiamen attacked a camp for displaced people.", "Violence against civilians", "Attack"),
    ("Thousands of protesters marched peacefully to parliament.", "Protests", "Peaceful protest"),
    ("Police fired tear gas to disperse the protesters.", "Protests", "Protest with intervention"),
    ("Security forces opened fire on demonstrators, killing four.", "Protests",
     "Excessive force against protesters"),
    ("Protesters set fire to tyres and threw stones at police.", "Riots", "Violent demonstration"),
    ("A mob lynched a man accused of theft.", "Riots", "Mob violence"),
    ("Flash floods swept through villages, killing 11.", "Disasters", "Flood"),
    ("A magnitude 5.6 earthquake struck the city.", "Disasters", "Earthquake"),
    ("The army recaptured the town after a week.", "Battles", "Government regains territory"),
])
def test_event_types(sentence, event_type, sub_event_type):
    primary, _ = classify(sentence, has_toll=find_fatalities(sentence) is not None)
    assert (primary.event_type, primary.sub_event_type) == (event_type, sub_event_type)


@pytest.mark.parametrize("sentence", [
    "The Minsk group never managed to end the clashes along the front line.",
    "They called for the immediate cessation of hostilities.",
    "The opposition has called for further demonstrations every Monday.",
    "The president said the army needed more long-range artillery.",
    "Germany will suspend deportations from the quake zone.",
    "Riot police stood by.",
    "The war in the region has shaped politics for a generation.",
    "The two sides claim to have killed 2,000 enemy soldiers.",
])
def test_no_violent_event(sentence):
    primary, _ = classify(sentence, has_toll=find_fatalities(sentence) is not None)
    assert primary is None


@pytest.mark.parametrize("sentence, family, sub_event_type", [
    ("Canada announced Monday that it will suspend arms exports to Turkey.", "policy", "Other"),
    ("Fighters left by passing through Gaziantep to reach the front.", "movement",
     "Change to group/activity"),
    ("Police arrested 24 opposition activists overnight.", "arrest", "Arrests"),
    ("The two sides signed a ceasefire agreement in Doha.", "agreement", "Agreement"),
    ("Armed men burned houses in two villages.", "looting", "Looting/property destruction"),
])
def test_strategic_developments(sentence, family, sub_event_type):
    primary, actions = classify(sentence)
    assert primary is None
    assert [(a.family, a.sub_event_type) for a in actions][:1] == [(family, sub_event_type)]


# Each non-event sentence has a control that differs in what the codebook's definition turns on
# (who acts, whom, what kind of death): the guard, not a missing trigger, keeps it out.
@pytest.mark.parametrize("non_event, event", [
    ("Police arrested three suspects over a burglary in Harare.",
     "Police arrested three opposition activists in Harare."),
    ("A bus crash killed 12 people near Nakuru.", "Gunmen killed 12 people near Nakuru."),
    ("Cholera killed 12 residents in Beira.", "Militants killed 12 residents in Beira."),
    ("The finance minister attacked the opposition's budget plan.", "Militants attacked an army post."),
    ("Troops paraded through the capital to mark the anniversary.", "Troops shelled the capital."),
    ("The two firms signed a gas pipeline agreement.", "The two sides signed a ceasefire agreement."),
    ("The minister said in Paris that the talks had gone well.",
     "Protesters marched in Paris against the talks."),
    ("Wydad's attack bombarded the goal in the second half of the match.",
     "Artillery bombarded the town in the second half of the night."),
    ("The two sides claim to have killed 3,000 enemy soldiers.", "The two sides killed 30 enemy soldiers."),
])
def test_non_events_have_no_type(non_event, event):
    assert classify(non_event, has_toll=find_fatalities(non_event) is not None) == (None, [])
    primary, actions = classify(event, has_toll=find_fatalities(event) is not None)
    assert primary is not None or actions


def test_taxonomy_holds_every_trigger_type():
    for _, event_type, sub_type, _ in TRIGGERS:
        assert sub_type in TAXONOMY[event_type]


# --- patterns tried only where their first words stand -------------------------------------------

@pytest.mark.parametrize("pattern, prefixes", [
    (r"\b(?:shell(?:ing|ed)|(?:land)?mines?)\b", ("land", "mine", "shell")),
    (r"(?-i:march(?:ed)?)|sit-ins?|IEDs?", ("ied", "march", "sit-in")),
    (r"bomb[(|)]s|blast", ("blast", "bomb")),
    (r"\d+\s+killed|killed", None),  # a figure has no literal start
    (r"(?=a)abc|abd", None),
    (r"(?:\w+\s+){0,3}attack", None),
])
def test_literal_prefixes(pattern, prefixes):
    assert literal_prefixes(pattern) == prefixes


@pytest.mark.parametrize("text, spans", [
    ("Shelling and landmines; a mine. Shells landed.", [(0, 8), (13, 22), (26, 30), (32, 45)]),
    ("Minesweepers, shellfish and a shell-shocked MINE", [(44, 48)]),
    ("İlandmine, a ſhelled town", [(13, 20)]),  # "ſ" is "s" to re.IGNORECASE; "İlandmine" no word start
])
def test_matches_at_finds_what_finditer_finds(text, spans):
    pattern = re.compile(r"\b(?:(?:land)?mines?|shell(?:ing|ed)|shells\s+landed)\b", re.I)
    positions = LiteralStarts([pattern]).starts(text).get(0, [])
    assert [m.span() for m in matches_at(pattern, text, positions)] == spans
    assert [m.span() for m in pattern.finditer(text)] == spans


def test_trigger_rows_tried_at_their_starts_find_what_a_scan_finds():
    sentences = [s.text for path in sorted(ARTICLES.iterdir()) for s in split_sentences(path.read_text())]
    patterns = [re.compile(rf"\b(?:{pattern})\b", re.I) for *_, pattern in TRIGGERS]
    table = LiteralStarts(patterns)
    assert table.everywhere == []  # every row has literal starts
    scanned = quick = 0
    for text in sentences:
        starts = table.starts(text)
        for row, pattern in enumerate(patterns):
            spans = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in matches_at(pattern, text, starts.get(row, []))] == spans
            scanned, quick = scanned + len(spans), quick + len(starts.get(row, []))
    assert scanned > 50 and quick < 4 * scanned  # the fixtures hold triggers; few tries are wasted


# --- fatalities ------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, count, qualifier, parts, high", [
    ("According to partial reports, they killed at least 128 people.", 128, "at least", (), None),
    ("Nearly 130 dead in a few days", 130, "about", (), None),
    ("clashes that left some 20 people dead.", 20, "about", (), None),
    ("a war in the early 1990s that left 30,000 dead.", 30000, "exact", (), None),
    ("19 Armenians and 44 Azeri civilians have been killed since September 27, including 5 and "
     "11 respectively since Sunday.", 63, "exact", (19, 44), None),
    ("Between 2,000 and 3,000 people died in the floods.", 2000, "range", (), 3000),
    ("Dozens of people were killed.", 12, "about", (), None),
    ("A dozen villagers were shot dead.", 12, "exact", (), None),
    ("Twenty-five people drowned.", 25, "exact", (), None),
    ("The blast killed three soldiers and wounded 14.", 3, "exact", (), None),
    ("Air strikes killed 14 people overnight, including three children.", 14, "exact", (), None),
    ("On September 27 two people were killed.", 2, "exact", (), None),
    ("The death toll rose to 45 on Tuesday.", 45, "exact", (), None),
    ("with a balance of 110 dead.", 110, "exact", (), None),
    # ACLED's rules: a lone victim is one; groups are summed; a suicide bomber counts too
    ("A policeman was killed in the attack.", 1, "exact", (), None),
    ("15 fighters and two soldiers were killed.", 17, "exact", (15, 2), None),
    ("Gunmen killed a teacher and two pupils.", 3, "exact", (1, 2), None),
    ("The bomber drove into the checkpoint, killing four soldiers and himself.", 5, "exact", (4, 1), None),
    ("Rebels hacked and shot to death 14 civilians.", 14, "exact", (), None),
    ("Nobody was hurt in the blast.", 0, "exact", (), None),
])
def test_fatalities(sentence, count, qualifier, parts, high):
    toll = find_fatalities(sentence)
    assert (toll.count, toll.qualifier, toll.parts, toll.high) == (count, qualifier, parts, high)


@pytest.mark.parametrize("sentence", [
    "The attack comes a week after 30 people were killed in a raid.",  # an earlier event's toll
    "A bomb damaged the road.",  # "a" counts a person only
    "Casualties were not immediately known.",
])
def test_no_toll(sentence):
    assert find_fatalities(sentence) is None


def test_unknown_toll_stays_blank_and_unmentioned_toll_is_zero(tiny_gazetteer):
    unknown = Article(id="u", text="Shelling hit Ganja on Sunday. Casualties were not known.", published=THU)
    silent = Article(id="s", text="Shelling hit Ganja on Sunday.", published=THU)
    [a] = extract_incidents(unknown, gazetteer=tiny_gazetteer)
    [b] = extract_incidents(silent, gazetteer=tiny_gazetteer)
    assert (a.fatalities, b.fatalities) == (None, 0)


# --- where: towns the gazetteer lacks, no place at all, two events in one sentence ----------------

def test_a_town_the_gazetteer_lacks_is_kept_and_placed_in_its_region(tiny_gazetteer):
    article = Article(id="k", text="Gunmen killed five villagers in Kukawa, Gaziantep province, on Sunday.",
                      published=THU)
    [incident] = extract_incidents(article, gazetteer=tiny_gazetteer)
    assert (incident.location_text, incident.place_kind, incident.geo_precision) == ("Kukawa", "admin1", 2)
    assert "Kukawa (not in the gazetteer)" in incident.notes and incident.fatalities == 5


def test_an_event_with_no_place_is_reported_without_a_point(tiny_gazetteer):
    [incident] = extract_incidents(Article(id="n", text="Two people were killed in an air raid.",
                                           published=THU), gazetteer=tiny_gazetteer)
    assert incident.event_type == "Explosions/Remote violence" and incident.fatalities == 2
    assert (incident.latitude, incident.geo_precision, incident.location) == (None, None, None)


def test_the_country_a_report_is_about_places_an_unplaced_event(tiny_gazetteer):
    text = "Azerbaijani officials said two soldiers were killed in an ambush in the mountains."
    [incident] = extract_incidents(Article(id="c", text=text, published=THU), gazetteer=tiny_gazetteer)
    assert (incident.country_code, incident.place_kind, incident.geo_precision) == ("AZ", "country", 3)


def test_two_events_at_two_places_in_one_sentence(tiny_gazetteer):
    text = "Police fired tear gas at protesters in Baku on Sunday, while in Ganja rioters torched shops."
    found = extract_incidents(Article(id="t", text=text, published=THU), gazetteer=tiny_gazetteer)
    assert [(i.location, i.event_type) for i in found] == [("Baku", "Protests"), ("Ganja", "Riots")]
    # the control: one event told with two places stays one incident
    one = extract_incidents(Article(id="o", text="Shelling hit Ganja near Baku on Sunday.", published=THU),
                            gazetteer=tiny_gazetteer)
    assert len(one) == 1


def test_dateline_city_is_where_the_report_is_filed(tiny_gazetteer):
    text = "BAKU, Azerbaijan — Shelling hit Ganja on Sunday. Gunmen attacked a village later, killing two."
    found = extract_incidents(Article(id="d", text=text, published=THU), gazetteer=tiny_gazetteer)
    assert [i.location for i in found] == ["Ganja", "Ganja"]


@pytest.mark.parametrize("sentence", [
    "The two sides claim to have killed between 2,000 and 3,000 enemy soldiers.",
    "Police said 12 were injured.",
    "Floods destroyed more than 1,200 homes.",
    "Some 33 million people had been affected.",
])
def test_no_fatalities(sentence):
    assert find_fatalities(sentence) is None


@pytest.mark.parametrize("words, number", [
    ("2,000", 2000), ("a dozen", 12), ("twenty-five", 25), ("1.5 million", 1_500_000), ("seven", 7),
])
def test_parse_number(words, number):
    assert parse_number(words) == number


def test_no_count_of_people_exceeds_the_people_alive():
    assert parse_number("8,000,000,000") == 8_000_000_000  # the positive control
    assert parse_number("20,000,000,000") is None
    assert parse_number("9" * 400) is None  # float() of 309+ digits is infinite


def test_a_count_written_with_a_long_s_is_read():
    # re.IGNORECASE equates "ſ" with "s": the vague count it matched is looked up the same way
    assert find_fatalities("The epidemic killed thousands.").count == 1000
    assert find_fatalities("The epidemic killed thouſands.").count == 1000


# --- actors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, event_type, actors", [
    ("Large-scale fighting between Azerbaijani forces and Yerevan-backed separatists resumed.",
     "Battles", ("Azerbaijani forces", "Yerevan-backed separatists")),
    ("Further clashes between the Armenian separatist forces in the region, supported by Yerevan, "
     "and the Azerbaijani army, which affected the city.", "Battles",
     ("Armenian separatist forces", "Azerbaijani army")),
    ("Police fired tear gas at protesters on Tuesday.", "Protests", ("protesters", "Police")),
    ("Gunmen killed 12 villagers, police said.", "Violence against civilians", ("Gunmen", "villagers")),
    ("Civilians were killed in the night.", "Violence against civilians", (None, "Civilians")),
])
def test_actors(sentence, event_type, actors):
    assert find_actors(sentence, event_type=event_type) == actors


@pytest.mark.parametrize("sentence, verb, speaker", [
    ("The day before, in Riga, Emmanuel Macron had also said he was concerned.", "said", "Emmanuel Macron"),
    ("Arriving Thursday in Brussels, the French President revealed that...", "revealed", "the French President"),
])
def test_speaker(sentence, verb, speaker):
    assert find_speaker(sentence, sentence.index(verb)) == speaker


# --- dates of events -------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, published, anchor, expected", [
    ("Fighting resumed Sunday and continued on Thursday.", THU, None, (D(2020, 9, 27), D(2020, 10, 1), False)),
    ("Arriving Thursday in Brussels, he said so today.", THU, None, (THU, None, False)),
    ("19 were killed since the resumption of conflict on September 27.", MON, None,
     (D(2020, 9, 27), MON, False)),
    ("In July this year, clashes left some 20 people dead.", MON, None, (D(2020, 7, 1), D(2020, 7, 31), True)),
    ("The most important fighting dates back to April 2016.", MON, None, (D(2016, 4, 1), D(2016, 4, 30), True)),
    ("It led to a war in the early 1990s.", THU, None, (D(1990, 1, 1), D(1993, 12, 31), True)),
    ("The day before, in Riga, he spoke.", THU, THU, (D(2020, 9, 30), None, False)),
    ("Rioters burned cars on the same day.", THU, D(2020, 9, 29), (D(2020, 9, 29), None, False)),
    ("Floods have killed 1,136 people since mid-June.", D(2022, 8, 30), None,
     (D(2022, 6, 11), D(2022, 8, 30), False)),
    ("Violence has killed 1,000 civilians since 2017.", D(2022, 2, 3), None,
     (D(2017, 1, 1), D(2022, 2, 3), True)),
    ("Gunmen attacked the town on Sunday.", None, None, (None, None, False)),
])
def test_event_time(sentence, published, anchor, expected):
    when = event_time(sentence, sentence_dates(sentence, published, anchor), published)
    assert (when.date, when.end_date, when.historical) == expected


# --- whole articles ----------------------------------------------------------------------------

def test_seeds_match_the_gold_with_the_tiny_gazetteer(tiny_gazetteer):
    gold = json.loads(SHARED_GOLD.read_text(encoding="utf-8")) if SHARED_GOLD.is_file() else None
    if gold is None:
        pytest.skip(f"no seed gold at {SHARED_GOLD}")
    incidents = [i for a in read_articles(SEEDS) for i in extract_incidents(a, gazetteer=tiny_gazetteer)]
    report = score_seed_incidents(gold, incidents)
    want = sum(len(a["incidents"]) for a in gold["articles"])
    assert (report["matched_full"], report["gold"], report["historical_leaks"]) == (want, want, 0)
    assert report["unmatched_predictions"] == 0


def test_seed_details(tiny_gazetteer):
    incidents = {(i.article[:3], i.location, i.event_type): i
                 for a in read_articles(SEEDS) for i in extract_incidents(a, gazetteer=tiny_gazetteer)
                 if not i.historical}
    battle = incidents[("000", "Nagorno-Karabakh", "Battles")]
    assert (battle.event_date, battle.end_date, battle.fatalities, battle.fatalities_qualifier) == (
        D(2020, 9, 27), D(2020, 10, 1), 128, "at least")
    assert (battle.actor1, battle.actor2) == ("Military Forces of Azerbaijan", "Yerevan-backed separatists")
    # a leader's words where he said them are no event (the seed gold's not_incidents)
    assert not any(location in ("Riga", "Brussels") for _, location, _ in incidents)
    civilians = incidents[("002", "Nagorno-Karabakh", "Violence against civilians")]
    assert (civilians.fatalities, civilians.fatalities_parts) == (63, (19, 44))
    canada = incidents[("002", "Canada", "Strategic developments")]
    assert (canada.geo_precision, canada.event_date) == (3, MON)
    assert incidents[("002", "Xankandi", "Explosions/Remote violence")].geo_precision == 1


def test_unknown_published_date_leaves_relative_dates_unresolved(tiny_gazetteer):
    article = Article(id="x.txt", text="Shelling hit Ganja on Sunday, killing three civilians.")
    [incident] = extract_incidents(article, gazetteer=tiny_gazetteer)
    assert incident.event_date is None and "unresolved" in incident.notes
    assert incident.location == "Ganja" and incident.fatalities == 3


def test_incident_record_has_the_columns(tiny_gazetteer):
    article = Article(id="x.txt", text="Rocket fire hit Ganja on Sunday.", published=THU)
    [incident] = extract_incidents(article, gazetteer=tiny_gazetteer)
    assert isinstance(incident, Incident)
    record = incident.as_record()
    assert set(COLUMNS) - {"event_id_cnty"} <= set(record)
    assert (record["event_date"], record["year"], record["location"]) == ("2020-09-27", 2020, "Ganja")


def _golden_view(incidents: list[Incident]) -> list[dict]:
    rows = []
    for incident in incidents:
        record = incident.as_record()
        rows.append({name: record[name] for name in GOLDEN_FIELDS})
    return rows


FIXTURE_FILES = sorted(p for p in ARTICLES.iterdir() if p.suffix in (".md", ".txt", ".jsonl"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture_articles_match_golden(path, gazetteer, regen_golden):
    articles = read_articles(path)
    assert articles, path
    got = {a.id: _golden_view(extract_incidents(a, gazetteer=gazetteer)) for a in articles}
    golden = GOLDEN / f"{path.stem}.json"
    if regen_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_seeds_match_golden(gazetteer, regen_golden):
    got = {a.id: _golden_view(extract_incidents(a, gazetteer=gazetteer)) for a in read_articles(SEEDS)}
    golden = GOLDEN / "seeds.json"
    if regen_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_evaluate_seed_incidents_reads_the_shared_folder(tiny_gazetteer):
    if not SHARED_GOLD.is_file():
        pytest.skip(f"no seed gold at {SHARED_GOLD}")
    report = evaluate_seed_incidents(SHARED_GOLD.parents[1], tiny_gazetteer)
    gold = json.loads(SHARED_GOLD.read_text(encoding="utf-8"))
    assert report["matched_full"] == report["gold"] == sum(len(a["incidents"]) for a in gold["articles"])


# --- the command -------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_incidents_json(tiny_db, tmp_path):
    out = tmp_path / "incidents.json"
    result = run("incidents", str(SEEDS), "--db", str(tiny_db), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["article"] for r in records} == {p.name for p in SEEDS.glob("*.txt")}
    assert list(records[0]) == COLUMNS
    assert any(r["location"] == "Ganja" and r["event_date"] == "2020-10-05" for r in records)
    assert not any(r["location"] in ("Riga", "Brussels") for r in records)  # statements are no events


def test_cli_incidents_bad_files_reported_good_ones_processed(tiny_db, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Shelling hit Ganja on 4 October 2020.", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    out = tmp_path / "out.csv"
    result = run("incidents", str(folder), "--db", str(tiny_db), "--format", "csv", "-o", str(out))
    assert result.exit_code == 1
    assert f"{folder / 'empty.txt'}: empty file" in result.stderr
    assert f"{folder / 'binary.txt'}: binary file" in result.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].split(",")[:3] == ["event_id_cnty", "event_date", "year"]
    assert "Ganja" in rows[1] and "2020-10-04" in rows[1]


def test_cli_incidents_published_option(tiny_db, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rocket fire hit Ganja on Sunday.", encoding="utf-8")
    result = run("incidents", str(article), "--db", str(tiny_db), "--format", "json",
                 "--published", "2020-10-01")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["event_date"] == "2020-09-27"
    result = run("incidents", str(article), "--db", str(tiny_db), "--format", "json")
    assert json.loads(result.stdout)[0]["event_date"] is None
    assert "no published date" in result.stderr


def test_cli_incidents_usage_errors(tiny_db, tmp_path):
    assert run("incidents", str(SEEDS), "--db", str(tiny_db), "--format", "gpkg").exit_code == 2
    assert run("incidents", str(SEEDS), "--db", str(tiny_db), "--published", "soon").exit_code == 2
    missing = run("incidents", str(SEEDS), "--db", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1


DEVSET = FIXTURES / "devset" / "incidents.jsonl"


@pytest.mark.slow
def test_devset_floors(gazetteer):
    """The dev set's figures (README) do not slip: a guard against regressions, not a target."""
    from geomap.evaluate.incidents import evaluate_event_reports

    dev = evaluate_event_reports(DEVSET, gazetteer, split="dev")
    assert dev["accuracy"]["incident"] >= 0.95 and dev["accuracy"]["event_type"] >= 0.9
    assert dev["accuracy"]["date"] >= 0.85 and dev["accuracy"]["fatalities"] >= 0.85
    assert dev["non_event_false_positive_rate"] <= 0.1
    held = evaluate_event_reports(DEVSET, gazetteer, split="test")
    assert held["accuracy"]["incident"] >= 0.85 and held["accuracy"]["event_type"] >= 0.7
