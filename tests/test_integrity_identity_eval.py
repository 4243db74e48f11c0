"""Issue 11's evaluation of identity disclosure and probes on cases written for it.

`identity_eval_{en,zh}.jsonl` (460 cases) is split once by a hash of each text into a
development part and a held-out part (about 30%) whose cases no rule was written from: only its
figures were read, nine times (docs/integrity.md gives each). `identity_validation*.jsonl`
(cases written later, in rounds, to test how the rules generalise) were read and are
development data now."""

import hashlib
import json
from pathlib import Path

import pytest

from arena.integrity.disclosure import evaluate_detector
from arena.integrity.probes import is_probe

DATA = Path(__file__).parent / "data"
HELD_OUT_BELOW = 77  # first byte of the text's SHA-256 below this: held out (77/256 ≈ 30%)


def held_out(text: str) -> bool:
    return hashlib.sha256(text.encode("utf-8")).digest()[0] < HELD_OUT_BELOW


def read(*names: str) -> list[dict]:
    cases = []
    for name in names:
        with open(DATA / name, encoding="utf-8") as lines:
            cases += [json.loads(line) for line in lines if line.strip()]
    return cases


EVALUATION = read("identity_eval_en.jsonl", "identity_eval_zh.jsonl")
# A second held-out set (466 cases, half Chinese), written on 2026-12-04 without sight of the
# detector or of earlier cases, committed before the round of rules that followed; no rule was
# written from it, and its figures were read eight times: before round 5, after it, after its
# review, after round 6 and its review, after one last narrowing (unchanged), after the probe
# model (stop 27), after a fix to its gate (unchanged), after the judge-question rule, and after
# validation set 13 (nine times). No case of it is trained on (tests/test_integrity_probe_model.py).
HELD_OUT_2 = read("identity_heldout2_en.jsonl", "identity_heldout2_zh.jsonl")
# A third held-out set, of probes only (385 cases, half Chinese), written on 2026-12-04 (stop 27)
# from the brief alone by writers asked for phrasings of their own, committed before it was read:
# once on the rules and the probe model as they stood, once after the judge-question rule, once
# after validation set 13.
HELD_OUT_3 = read("identity_heldout3_en.jsonl", "identity_heldout3_zh.jsonl")
# A fourth held-out set, of probes only (973 cases, half Chinese), written on 2026-12-05 (stop 28)
# from the brief alone by writers asked for variety of register, place and kind of question
# (tests/data/identity_cases_brief.md and its round note), committed before anything was trained
# on the cases written after it; the 28 texts that an earlier set already held were dropped.
HELD_OUT_4 = read("identity_heldout4_en.jsonl", "identity_heldout4_zh.jsonl")
# A fifth (782 cases, half Chinese), written in stop 28 as a week of a public arena's traffic,
# committed unread and read once, on the final detector of stop 28; then once on stop 27's, for
# the comparison.
HELD_OUT_5 = read("identity_heldout5_en.jsonl", "identity_heldout5_zh.jsonl")
# A sixth, of disclosures only (720 model answers, half Chinese), written in stop 28 with the
# development set 16 (disclosure answers of the hardest kinds) and committed unread before any
# rule was written from set 16; read once on the final rules of stop 28, then once on stop 27's.
HELD_OUT_6 = read("identity_heldout6_en.jsonl", "identity_heldout6_zh.jsonl")
# A seventh, of probes only (813 prompts, half Chinese), and an eighth, of disclosures only (720
# answers, half Chinese), written in stop 29 as a week of a public arena's prompts and answers,
# with the development sets 17, 18 and 19, and committed unread before anything was trained or
# written from those; each read once on the final detectors of stop 29, then once on stop 28's.
HELD_OUT_7 = read("identity_heldout7_en.jsonl", "identity_heldout7_zh.jsonl")
HELD_OUT_8 = read("identity_heldout8_en.jsonl", "identity_heldout8_zh.jsonl")
# A ninth (probes, 822 prompts) and a tenth (disclosures, 721 answers), both half Chinese, written
# in stop 29 as a company-internal and a university course's arena over a month, with the
# development sets 20 and 21, committed unread; each read once on stop 29's second round, then
# on its first round and on stop 28's detectors.
HELD_OUT_9 = read("identity_heldout9_en.jsonl", "identity_heldout9_zh.jsonl")
HELD_OUT_10 = read("identity_heldout10_en.jsonl", "identity_heldout10_zh.jsonl")
# Stop 32 read the probes of the fifth, seventh and ninth once more, for counts at lower
# thresholds than the model's (docs/integrity.md, "Lower thresholds"); no detector changed.
# An eleventh set (probes, 778 prompts, half Chinese; a game-modding community's and a hospital
# IT department's arenas), written in stop 32 from the brief alone and committed unread, was read
# once in stop 33, after validation set 22 (595 ordinary prompts of work and everyday traffic),
# the rules written from it and the model retrained with it among the ordinary prompts.
HELD_OUT_11 = read("identity_heldout11_en.jsonl", "identity_heldout11_zh.jsonl")
# A twelfth (disclosures, 400 answers, half Chinese; a regional news site's and a game studio's
# arenas over a fortnight, half of the self-references by assistants no list holds), written in
# stop 33 from the brief alone and read once on the disclosure rules as they were: no rule has
# been written since.
HELD_OUT_12 = read("identity_heldout12_en.jsonl", "identity_heldout12_zh.jsonl")
# Stop 34 wrote rules from the twelfth's misses (a development set since). Then a thirteenth
# (disclosures, 400 answers, half Chinese, about half of the self-references by assistants no
# list holds) and a fourteenth (probes, 400 prompts, half Chinese; 43 that repeated a text of an
# earlier set taken out, 357 left), written by two writers from the brief alone, were read once,
# on stop 33's detectors and on stop 34's: the same figures on both.
HELD_OUT_13 = read("identity_heldout13_en.jsonl", "identity_heldout13_zh.jsonl")
HELD_OUT_14 = read("identity_heldout14_en.jsonl", "identity_heldout14_zh.jsonl")
# Stop 35: a fifteenth (disclosures, 400 answers, half Chinese; a hospital network's and a
# cross-border seller-support team's arenas; 25 long answers a language in pairs that differ only
# by the self-reference) and a sixteenth (probes, 400 prompts, half Chinese; a law school's and a
# mobile-game community's arenas; 16 that repeated an earlier set's text taken out, 384 left),
# written by two writers from the brief alone and committed unread. The fifteenth was read with
# and without the disclosure model (chosen by cross-validation before it was read; not trained
# on it), and once more after a defect of the model's reading was mended (a long answer's
# sign-off was cut off; found by a test, not by a case); the sixteenth once, on stop 34's probe detector, then its misses and false
# alarms were read and rules written from them (a development set since).
HELD_OUT_15 = read("identity_heldout15_en.jsonl", "identity_heldout15_zh.jsonl")
HELD_OUT_16 = read("identity_heldout16_en.jsonl", "identity_heldout16_zh.jsonl")
# An eighteenth (probes, 400 prompts, half Chinese, each language written on its own; a
# fitness-club chain's and a translation agency's arenas; 16 repeats taken out, 384 left),
# committed unread and read once on the detectors with set 16's rules, then on stop 34's; its
# false alarms were then read and rules written from them (a development set since).
HELD_OUT_18 = read("identity_heldout18_en.jsonl", "identity_heldout18_zh.jsonl")
# A seventeenth (disclosures, 400 answers, half Chinese; a tourism board's and an open-source
# foundation's arenas), written from the brief alone with the development set 23 (880
# disclosure answers of varied shapes) and committed unread; read once on each of three
# detectors fixed before: the rules alone, the rules with the model trained without set 23, and
# with the model trained with it. Neither model is trained on it.
HELD_OUT_17 = read("identity_heldout17_en.jsonl", "identity_heldout17_zh.jsonl")
# A nineteenth (disclosures, 400 answers, half Chinese, each language written on its own; an
# insurer's claims handlers' and a maths olympiad club's arenas), written from the brief alone
# with the development set 24 (1,000 disclosure answers, half of the others hard look-alikes)
# and committed unread; read once on each of three detectors fixed before: the rules alone, the
# rules with the model trained with set 23, and with the model trained with set 24 too.
HELD_OUT_19 = read("identity_heldout19_en.jsonl", "identity_heldout19_zh.jsonl")
# Stop 36: the fifteenth, seventeenth and nineteenth sets' misses were read and rules written
# from their shapes (development sets since, and trained on by the disclosure model). Three
# fresh sets, each by one writer from the brief alone, each language written on its own, and
# committed unread: a twentieth (disclosures, 400 answers; a city library's reference desk's and
# an electric-car maker's after-sales engineers' arenas), a twenty-first (probes, 400 prompts; a
# chemistry department's and a second-hand marketplace's arenas; 35 repeats taken out, 365
# left) and a twenty-second (disclosures, 400 answers; a regional airline's cabin-crew trainers'
# and a secondary school's history and geography teachers' arenas).
HELD_OUT_20 = read("identity_heldout20_en.jsonl", "identity_heldout20_zh.jsonl")
HELD_OUT_21 = read("identity_heldout21_en.jsonl", "identity_heldout21_zh.jsonl")
HELD_OUT_22 = read("identity_heldout22_en.jsonl", "identity_heldout22_zh.jsonl")
# The twentieth's and twenty-second's misses were then read and rules written from their shapes
# (development sets since, trained on by the disclosure model), and two more disclosure sets
# written the same way and committed unread: a twenty-third (a hotel chain's and a city
# government's citizen-services hotline's arenas) and a twenty-fourth (a veterinary clinic
# network's and a game studio's localisation testers' arenas), 400 answers each.
HELD_OUT_23 = read("identity_heldout23_en.jsonl", "identity_heldout23_zh.jsonl")
HELD_OUT_24 = read("identity_heldout24_en.jsonl", "identity_heldout24_zh.jsonl")
# The twenty-first's misses and false alarms were then read and probe rules written from them (a
# development set since), and a twenty-fifth (probes, 400 prompts; a farming cooperative's and a
# music conservatory's arenas; 41 repeats of earlier sets' texts taken out, 359 left) written the
# same way and committed unread.
HELD_OUT_25 = read("identity_heldout25_en.jsonl", "identity_heldout25_zh.jsonl")
# Stop 37: the twenty-fifth's misses and false alarms were read and probe rules written from them,
# and the twenty-third's and twenty-fourth's misses were read and disclosure rules written from
# them (development sets since, the two disclosure sets trained on by the disclosure model).
# Three fresh sets, each by one writer from the brief alone and committed unread before any rule
# of that round was written: a twenty-sixth (disclosures, 400 answers), a twenty-seventh
# (disclosures, 400 answers of deployed assistants: banks, airlines, hospitals, shops, government
# portals, games, copilots; one repeat taken out, 399 left) and a twenty-eighth (probes, 360
# prompts; 63 repeats of earlier sets' texts taken out, 297 left).
HELD_OUT_26 = read("identity_heldout26_en.jsonl", "identity_heldout26_zh.jsonl")
HELD_OUT_27 = read("identity_heldout27_en.jsonl", "identity_heldout27_zh.jsonl")
HELD_OUT_28 = read("identity_heldout28_en.jsonl", "identity_heldout28_zh.jsonl")
# Their misses and false alarms were then read and a second round of rules written (development
# sets since, the disclosure sets trained on), and four more fresh sets written the same way and
# committed unread: a twenty-ninth (probes; a computer-science department's and a gaming
# community's arenas; 17 repeats taken out, 343 left), a thirtieth (probes; a law firm's and a
# small-business forum's; 20 repeats taken out, 340 left), a thirty-first (disclosures, 400
# answers; a newsroom's and a transport operator's) and a thirty-second (disclosures, 400
# answers; a pharmaceutical regulatory team's and a primary school parents' association's).
HELD_OUT_29 = read("identity_heldout29_en.jsonl", "identity_heldout29_zh.jsonl")
HELD_OUT_30 = read("identity_heldout30_en.jsonl", "identity_heldout30_zh.jsonl")
HELD_OUT_31 = read("identity_heldout31_en.jsonl", "identity_heldout31_zh.jsonl")
HELD_OUT_32 = read("identity_heldout32_en.jsonl", "identity_heldout32_zh.jsonl")
# In stop 38 the misses and false alarms of the twenty-ninth and thirtieth were read and rules
# written from them (development sets since, trained on by the probe model with the twenty-first,
# twenty-fifth and twenty-eighth), after two more fresh sets of probes were written the same way
# and committed unread: a thirty-third (311 prompts; 38 repeats taken out) and a thirty-fourth
# (300; 47 repeats taken out).
HELD_OUT_33 = read("identity_heldout33_en.jsonl", "identity_heldout33_zh.jsonl")
HELD_OUT_34 = read("identity_heldout34_en.jsonl", "identity_heldout34_zh.jsonl")
# Their misses and false alarm were then read, a second round of rules written (development sets
# since, trained on by the probe model), and two more fresh probe sets written the same way and
# committed unread first: a thirty-fifth (a university library's and an anime and gaming
# community's arenas; 348 prompts, 6 repeats taken out) and a thirty-sixth (a small-business
# owners' association's and an open-source developer community's; 335, 22 repeats taken out).
HELD_OUT_35 = read("identity_heldout35_en.jsonl", "identity_heldout35_zh.jsonl")
HELD_OUT_36 = read("identity_heldout36_en.jsonl", "identity_heldout36_zh.jsonl")
# Then the same once more: two fresh probe sets committed unread, a thirty-seventh (a hospital
# network's and a high-school teachers' forum's arenas; 329 prompts, 22 repeats taken out) and a
# thirty-eighth (a travel company's and an AI-evaluation hobbyists' group's; 344, 7 taken out);
# the thirty-fifth's and thirty-sixth's misses read and a third round of rules written.
HELD_OUT_37 = read("identity_heldout37_en.jsonl", "identity_heldout37_zh.jsonl")
HELD_OUT_38 = read("identity_heldout38_en.jsonl", "identity_heldout38_zh.jsonl")
# And once more: a forty-first (a news organisation's readers' and a cross-border e-commerce
# sellers' arenas; 329 prompts, 24 repeats taken out) and a forty-second (a fitness community's
# and a translators' and language teachers' group's; 338, 18 taken out) committed unread, the
# thirty-seventh's and thirty-eighth's misses read, a fourth round of rules written and the probe
# model trained with a larger table and a lighter penalty (chosen by cross-validation). And two
# fresh sets of disclosures written the same way and committed unread, read once on stop 37's
# disclosure detector (no disclosure rule was written in stop 38): a thirty-ninth (a city service
# desk's and a research computing group's arenas) and a fortieth (an electronics retailer's and a
# literature and history society's), 400 answers each.
HELD_OUT_39 = read("identity_heldout39_en.jsonl", "identity_heldout39_zh.jsonl")
HELD_OUT_40 = read("identity_heldout40_en.jsonl", "identity_heldout40_zh.jsonl")
HELD_OUT_41 = read("identity_heldout41_en.jsonl", "identity_heldout41_zh.jsonl")
HELD_OUT_42 = read("identity_heldout42_en.jsonl", "identity_heldout42_zh.jsonl")
# Then the thirty-ninth's and fortieth's misses read (development, trained on), a round of
# disclosure rules written, after two more fresh disclosure sets were committed unread: a
# forty-third (an insurance company's and a fiction writers' community's arenas) and a forty-fourth
# (an agricultural cooperative's and a software company's developer platform's), 400 answers each.
HELD_OUT_43 = read("identity_heldout43_en.jsonl", "identity_heldout43_zh.jsonl")
HELD_OUT_44 = read("identity_heldout44_en.jsonl", "identity_heldout44_zh.jsonl")
# Stop 39: no identity rule changed; two fresh pairs committed unread and read once on this
# detector: a forty-fifth (probes; a gaming and esports community's arena; 352 prompts, 5 repeats
# taken out) and a forty-sixth (a law and accounting firm's; 346, 12 taken out); a forty-seventh
# (disclosures; answers to an arena's everyday prompts) and a forty-eighth (to engineers' and
# scientists'), 400 answers each.
HELD_OUT_45 = read("identity_heldout45_en.jsonl", "identity_heldout45_zh.jsonl")
HELD_OUT_46 = read("identity_heldout46_en.jsonl", "identity_heldout46_zh.jsonl")
HELD_OUT_47 = read("identity_heldout47_en.jsonl", "identity_heldout47_zh.jsonl")
HELD_OUT_48 = read("identity_heldout48_en.jsonl", "identity_heldout48_zh.jsonl")
# Then two more fresh probe sets committed unread: a forty-ninth (a university's students' and
# lecturers' arena; 338 prompts, 18 repeats taken out) and a fiftieth (a home-improvement forum's
# and a parenting community's; 332, 22 taken out); the forty-fifth's and forty-sixth's misses
# read (development, trained on) and stop 39's round of probe rules written.
HELD_OUT_49 = read("identity_heldout49_en.jsonl", "identity_heldout49_zh.jsonl")
HELD_OUT_50 = read("identity_heldout50_en.jsonl", "identity_heldout50_zh.jsonl")
# Stop 40: no identity rule changed; two fresh pairs committed unread and read once on stop 39's
# detector: a fifty-first (probes; a hospital group's and health insurer's arena; 330 prompts, 20
# repeats taken out) and a fifty-second (an online retailer's; 338, 12 taken out); a fifty-third
# (disclosures; answers to writers' and translators' prompts) and a fifty-fourth (to IT support
# staff's and analysts'), 400 answers each.
HELD_OUT_51 = read("identity_heldout51_en.jsonl", "identity_heldout51_zh.jsonl")
HELD_OUT_52 = read("identity_heldout52_en.jsonl", "identity_heldout52_zh.jsonl")
HELD_OUT_53 = read("identity_heldout53_en.jsonl", "identity_heldout53_zh.jsonl")
HELD_OUT_54 = read("identity_heldout54_en.jsonl", "identity_heldout54_zh.jsonl")
# Then two more fresh probe sets, committed unread and read once on the same detector: a
# fifty-fifth (a retail bank's staff and customers; 329 prompts, 21 repeats taken out) and a
# fifty-sixth (a school district's teachers, parents and students; 326, 24 taken out).
HELD_OUT_55 = read("identity_heldout55_en.jsonl", "identity_heldout55_zh.jsonl")
HELD_OUT_56 = read("identity_heldout56_en.jsonl", "identity_heldout56_zh.jsonl")
VALIDATION = read(*sorted(p.name for p in DATA.glob("identity_validation*.jsonl")))
DEVELOPMENT = [c for c in EVALUATION if not held_out(c["text"])] + VALIDATION
HELD_OUT = [c for c in EVALUATION if held_out(c["text"])]


def disclosure_score(cases: list[dict]):
    return evaluate_detector(
        {"text": c["text"], "discloses": c["label"]} for c in cases if c["task"] == "disclosure"
    )


def probe_score(cases: list[dict]) -> tuple[float, float, list[str], list[str]]:
    """Recall, false-positive rate, misses and false alarms of the probe detector."""
    cases = [c for c in cases if c["task"] == "probe"]
    misses = [c["text"] for c in cases if c["label"] and not is_probe(c["text"])]
    alarms = [c["text"] for c in cases if not c["label"] and is_probe(c["text"])]
    positives = sum(c["label"] for c in cases)
    negatives = len(cases) - positives
    return 1 - len(misses) / positives, len(alarms) / negatives, misses, alarms


def test_the_set_has_400_cases_or_more_half_chinese_with_hard_negatives_in_both_languages():
    assert len(EVALUATION) >= 400
    assert sum(c["lang"] == "zh" for c in EVALUATION) * 2 == len(EVALUATION)
    every = EVALUATION + VALIDATION
    assert len({c["text"] for c in every}) == len(every)
    for lang in ("en", "zh"):
        kinds = {c["class"] for c in EVALUATION if c["lang"] == lang and not c["label"]}
        assert {"vendor_news", "sdk_code", "homonym", "quoted_or_compared"} <= kinds
        kinds = {c["class"] for c in EVALUATION if c["lang"] == lang and c["label"]}
        assert {"unlisted_assistant", "indirect_self_intro", "paraphrase"} <= kinds


def test_the_second_held_out_set_is_apart_half_chinese_and_holds_every_task_and_label():
    assert len(HELD_OUT_2) >= 400
    assert abs(sum(c["lang"] == "zh" for c in HELD_OUT_2) * 2 - len(HELD_OUT_2)) <= 10
    texts = {c["text"] for c in HELD_OUT_2}
    assert len(texts) == len(HELD_OUT_2)
    assert not texts & {c["text"] for c in EVALUATION + VALIDATION}
    for task in ("disclosure", "probe"):
        for label in (True, False):
            assert sum(c["task"] == task and c["label"] == label for c in HELD_OUT_2) >= 100


def test_the_held_out_part_is_about_a_third_and_holds_every_task_and_label():
    assert 0.2 <= len(HELD_OUT) / len(EVALUATION) <= 0.4
    for task in ("disclosure", "probe"):
        for label in (True, False):
            assert sum(c["task"] == task and c["label"] == label for c in HELD_OUT) >= 15


def test_on_the_development_cases_the_figures_do_not_fall():
    # Disclosure met the goal here until validation set 16 (1,000 answers of the hardest kinds,
    # stop 28) joined the development cases: 65.4% (en) and 49.3% (zh) of its disclosures were
    # found before the rules written from it, 77.1% and 75.7% after; all development cases
    # 89.8% (1,187/1,322) at 0.6% (7/1,197). Validation set 18 (1,000 answers that name
    # themselves once, in passing, stop 29): 67.5% (en) and 60.0% (zh) before the rules written
    # from it, 82.9% and 80.0% after (set 16: 78.2% and 80.0%); all development cases 88.1%
    # (1,658/1,882) at 1.0% (16/1,637). Validation set 21 (1,000 answers of assistants no table
    # lists, in unusual grammar, stop 29): 50.4% (en) and 33.6% (zh) before its rules, 58.2% and
    # 44.3% after; all development cases 79.9% (1,951/2,442) at 1.1% (22/2,077).
    # Validation set 23 (880 answers of varied shapes, stop 35): the rules found 55.5% (en) and
    # 60.0% (zh) of its disclosures, with the disclosure model trained without it 66.4% and 68.6%;
    # all development cases, the model trained on it: 85.5% (2,463/2,882) at 1.1% (26/2,437).
    # Validation set 24 (1,000 answers, stop 35): the rules 67.6% (en) and 70.0% (zh), with the
    # model trained without it 79.6% and 77.2%; all development cases, the model trained on it:
    # 82.8% (2,801/3,382) at 1.2% (34/2,937).
    score = disclosure_score(DEVELOPMENT)
    assert score.recall >= 0.79, score.misses
    assert score.false_positive_rate <= 0.02, score.false_alarms
    # Probes met the goal here until validation sets 14 and 15 (3,958 varied cases, stop 28)
    # joined the development cases: rules and the model retrained on them find 84.5%
    # (3,063/3,623) at 1.2% (48/3,887). Validation sets 17 (1,987 prompts of particular
    # communities: 83.8% en, 71.9% zh before) and 19 (1,194 prompts that are no probe, half of
    # them speaking to the assistant in the second person) and a second, higher threshold for
    # prompts without a word of identity (stop 29): 89.1% (4,293/4,817) at 1.3% (75/5,874). Then
    # validation set 20 (1,384 probes by allusion, without the obvious words: 62.1% en, 55.2% zh
    # before; 69.5% and 65.5% trained on) and the rules of set 17: 86.2% (4,875/5,656) at 1.2%
    # (79/6,419). Validation set 22 (595 ordinary prompts), its rules and the model retrained
    # with it (stop 33): 88.5% (5,004/5,656) at 1.0% (70/7,014). The rules of set 16 and the model
    # trained again (stop 35): 90.3% (5,105/5,656) at 0.9% (66/7,014); those of set 18 and the
    # model trained again: 89.9% (5,082/5,656) at 0.8% (59/7,014).
    recall, false_positives, misses, alarms = probe_score(DEVELOPMENT)
    assert recall >= 0.88, misses
    assert false_positives <= 0.05, alarms


# Issue 11's goals: disclosure recall ≥ 95% at ≤ 2% false positives, probes ≥ 95% at ≤ 5%.
# Measured on the first held-out part (docs/integrity.md) after the sixth round of rules:
# disclosure 95.7% at 0% (en 21/22, zh 24/25): met; probes 77.8% at 0% (en 6/8 with no false
# alarm in 7, zh 8/10 with none in 10): missed. (Its four probe misses and one false alarm were
# seen once, by mistake, in round 6: a development score was run over the whole file. No rule was
# written from them.) On the second held-out set, after round 5 and its review: disclosure 89.2%
# at 0.8%, probes 82.1% at 2.6%; after round 6 (rules from four new validation sets, 770 cases)
# and its review: disclosure 90.0% (en 55/60 with 1 false alarm in 60, zh 53/60 with none),
# probes 84.8% at 1.8% (en 43/54 with 2 false alarms in 58, zh 52/58 with none in 56): both
# recalls missed. These floors keep the figures from getting worse; the messages give counts
# only, so that no rule is written from a held-out case.
# After the probe model (stop 27; the sixth and seventh reads of the second set, counts only):
# probes on the first part 83.3% (15/18) at 0%, on the second 90.2% (101/112: en 46/54, zh 55/58) at 1.8%
# (2/114, the rules' two); disclosure unchanged. After the judge-question rule (the eighth read):
# 92.0% (103/112: en 47/54, zh 56/58) at 1.8%, the first part unchanged; after validation set 13
# (the ninth read): 92.0% (103/112: en 48/54, zh 55/58) at 1.8%. After validation set 14 and
# the threshold of stop 28 (the tenth read): 96.4% (108/112: en 51/54, zh 57/58) at 1.8% (2/114);
# the first part 100% (18/18) at 0%. After validation set 15 (the eleventh): the second
# unchanged; the first part 94.4% (17/18: en 8/8, zh 9/10) at 0%. After the disclosure rules of
# validation set 16 (the twelfth): disclosure on the second set 92.5% (111/120: en 56/60, zh
# 55/60) at 0.8% (1/120); the first part unchanged. Stop 29 (the thirteenth): disclosure 93.3%
# (112/120: en 57/60, zh 55/60) at 0.8%, probes 97.3% (109/112: en 52/54, zh 57/58) at 1.8%;
# then (the fourteenth), once an apostrophe no longer opens a code comment unless it opens the
# line (VBA's; in prose it is a quotation), disclosure 92.5% (111/120: en 56/60): the one it
# lost was found by a code-comment rule reading a quotation.
FLOORS = {  # (disclosure recall, its false positives, probe recall, its false positives)
    ("first", "en"): (0.95, 0.0, 1.0, 0.0),
    ("first", "zh"): (0.96, 0.0, 0.9, 0.0),
    ("second", "en"): (0.93, 0.017, 0.96, 0.035),
    ("second", "zh"): (0.91, 0.0, 0.98, 0.0),
}


# Fresh sets (probes, and the sixth of disclosures), each read only for its counts
# (docs/integrity.md).
# The third, read twice: rules and model 72.4% (142/196) at 3.2% (6/189), then with the
# judge-question rule and the threshold it let fall to 1.0: 78.6% (154/196: en 80/98, zh 74/98)
# at 3.2% (en 1/95, zh 5/94, all five the rules'). Rules alone at the first read: 64.3%. Read a
# third time after the model was trained on a further probe set (validation 13, 482 cases):
# 81.1% (159/196: en 84/98, zh 75/98) at 3.2%, threshold 1.25.
# The fourth, read once on the detector of stop 27: 66.8% (396/593: en 211/297, zh 185/296) at
# 4.2% (16/379: en 8/191, zh 8/188).
# Both read again after the model was trained on validation set 14 and its threshold set by
# cross-validated false positives (0.5; docs/integrity.md): the third (its fourth read) 91.3%
# (179/196: en 93/98, zh 86/98) at 3.7% (7/189: en 2/95, zh 5/94); the fourth (its second read)
# 81.5% (483/593: en 255/297, zh 228/296) at 4.2% (16/379: en 7/191, zh 9/188). And after
# validation set 15 (whose harder look-alikes raised the threshold by the same rule to 1.0):
# the third (fifth read) 89.8% (176/196: en 93/98, zh 83/98) at 3.2% (6/189: en 1/95, zh 5/94);
# the fourth (third read) 79.6% (472/593: en 248/297, zh 224/296) at 4.2% (en 7/191, zh 9/188).
# The fifth: 83.1% (364/438: en 184/218, zh 180/220) at 1.7% (6/344: en 3/173, zh 3/171); stop
# 27's detector found 74.0% (324/438) at 1.5% (5/344). Read a second time after validation sets
# 17 and 19 and the second threshold (stop 29): 86.1% (377/438: en 187/218, zh 190/220) at 1.7%
# (6/344: en 2/173, zh 4/171).
# The sixth (disclosures), read once on the final rules of stop 28: 75.5% (302/400: en 157/200,
# zh 145/200) at 0.3% (1/320: en 1/160, zh 0/160); the rules of stop 27 found 69.8% (279/400).
# Stop 29, after validation sets 17–19, the disclosure rules of set 18 and the probes' second
# threshold (counts only): the third (sixth read) 91.8% (180/196: en 93/98, zh 87/98) at 3.2%
# (6/189); the fourth (fourth read) 83.6% (496/593: en 253/297, zh 243/296) at 4.2% (16/379);
# the sixth (second read) 80.0% (320/400: en 157/200, zh 163/200) at 0.3% (1/320).
# The seventh (probes), read once: 88.9% (415/467: en 213/235, zh 202/232) at 4.9% (17/346: en
# 7/172, zh 10/174); stop 28's detector 85.9% (401/467) at the same 4.9%.
# The eighth (disclosures), read once: 79.8% (319/400: en 147/200, zh 172/200) at 0.9% (3/320:
# en 2/160, zh 1/160); stop 28's rules 75.3% (301/400) at the same 0.9%.
# After stop 29's second round (validation sets 20 and 21 and their rules; counts only): the
# seventh (second read) 90.6% (423/467) at 4.9%, the eighth (second read) 80.0% (320/400) at
# 0.9%, the sixth (third) 80.5% (322/400) at 0.3%, the fifth (third) 87.9% (385/438) at 2.0%
# (7/344), the fourth (fifth) 84.0% (498/593) at 4.2%, the third (seventh) 92.9% (182/196) at 3.2%.
# The sixth once more (counts only) after the review folded the rules that repeated older ones:
# 80.8% (323/400), no false alarm more.
# The ninth (probes), read once: 92.6% (435/470: en 219/238, zh 216/232) at 3.1% (11/352: en
# 3/176, zh 8/176); the first round 92.1% (431/470) at 2.8%; stop 28's detector 88.9% (418/470)
# at 2.8%.
# Stop 33, validation set 22 (595 ordinary prompts: stop 32's detector flagged 17 of its first
# 600, 2.8%: quotations to translate, song words and titles quoted, a tour guide told to
# introduce itself, questions about a named model's base or team) and its rules, the model
# retrained with it among the ordinary prompts (thresholds 0.75 and 1.75, CV 82.4% at 1.0% of
# the ordinary prompts and 1.95% of all): the eleventh (probes), read once: 88.3% (401/454: en
# 194/227, zh 207/227) at 4.0% (13/324: en 5/164, zh 8/160); stop 32's detector 86.6% (393/454)
# at 4.6% (15/324). The others (counts only): the ninth 92.8% (436/470) at 3.1%, the seventh
# 90.8% at 4.0% (was 90.6% at 4.9%), the fifth 88.4% at 2.0%, the fourth 85.3% at 3.7% (was
# 84.0% at 4.2%), the third 92.9% at 2.6% (was 3.2%); the development cases 88.5% at 1.0% (was
# 86.2% at 1.4%).
# The twelfth (disclosures), read once on stop 32's rules: 70.5% (141/200: en 67/100, zh 74/100)
# at 0.5% (1/200: en 1/100, zh 0/100); stop 34's rules, written from its misses: 77.0% (154/200)
# at 0.5%.
# The thirteenth (disclosures), read once: 84.0% (168/200: en 81/100, zh 87/100) at 1.5% (3/200:
# en 2/100, zh 1/100); then rules written from its misses (a development set since): 87.0%. The fourteenth (probes), read once: 91.5% (184/201: en 94/103, zh 90/98) at
# 2.6% (4/156: en 4/77, zh 0/79).
# The tenth (disclosures), read once: 78.0% (312/400: en 143/200, zh 169/200) at 2.2% (7/321:
# en 2/160, zh 5/161); the first round 77.0% (308/400) at 2.2%; stop 28's rules 73.8% (295/400)
# at 1.9% (6/321).
FRESH = {  # name -> (cases, task, at least this many cases, and of each language and label)
    "third": (HELD_OUT_3, "probe", 380, 90),
    "fourth": (HELD_OUT_4, "probe", 380, 90),
    "fifth": (HELD_OUT_5, "probe", 380, 90),
    "sixth": (HELD_OUT_6, "disclosure", 700, 150),
    "seventh": (HELD_OUT_7, "probe", 800, 150),
    "eighth": (HELD_OUT_8, "disclosure", 700, 150),
    "ninth": (HELD_OUT_9, "probe", 800, 150),
    "tenth": (HELD_OUT_10, "disclosure", 700, 150),
    "eleventh": (HELD_OUT_11, "probe", 700, 150),
    "twelfth": (HELD_OUT_12, "disclosure", 400, 100),
    "thirteenth": (HELD_OUT_13, "disclosure", 400, 100),
    "fourteenth": (HELD_OUT_14, "probe", 350, 75),
    "fifteenth": (HELD_OUT_15, "disclosure", 400, 100),
    "sixteenth": (HELD_OUT_16, "probe", 380, 80),
    "seventeenth": (HELD_OUT_17, "disclosure", 400, 100),
    "eighteenth": (HELD_OUT_18, "probe", 380, 80),
    "nineteenth": (HELD_OUT_19, "disclosure", 400, 100),
    "twentieth": (HELD_OUT_20, "disclosure", 400, 100),
    "twenty-first": (HELD_OUT_21, "probe", 350, 75),
    "twenty-second": (HELD_OUT_22, "disclosure", 400, 100),
    "twenty-third": (HELD_OUT_23, "disclosure", 400, 100),
    "twenty-fourth": (HELD_OUT_24, "disclosure", 400, 100),
    "twenty-fifth": (HELD_OUT_25, "probe", 350, 75),
    "twenty-sixth": (HELD_OUT_26, "disclosure", 400, 100),
    "twenty-seventh": (HELD_OUT_27, "disclosure", 399, 99),
    "twenty-eighth": (HELD_OUT_28, "probe", 297, 59),
    "twenty-ninth": (HELD_OUT_29, "probe", 343, 74),
    "thirtieth": (HELD_OUT_30, "probe", 340, 75),
    "thirty-first": (HELD_OUT_31, "disclosure", 400, 100),
    "thirty-second": (HELD_OUT_32, "disclosure", 400, 100),
    "thirty-third": (HELD_OUT_33, "probe", 311, 60),
    "thirty-fourth": (HELD_OUT_34, "probe", 300, 61),
    "thirty-fifth": (HELD_OUT_35, "probe", 348, 71),
    "thirty-sixth": (HELD_OUT_36, "probe", 335, 70),
    "thirty-seventh": (HELD_OUT_37, "probe", 329, 67),
    "thirty-eighth": (HELD_OUT_38, "probe", 344, 74),
    "thirty-ninth": (HELD_OUT_39, "disclosure", 400, 100),
    "fortieth": (HELD_OUT_40, "disclosure", 400, 100),
    "forty-first": (HELD_OUT_41, "probe", 329, 68),
    "forty-second": (HELD_OUT_42, "probe", 338, 69),
    "forty-third": (HELD_OUT_43, "disclosure", 400, 100),
    "forty-fourth": (HELD_OUT_44, "disclosure", 400, 100),
    "forty-fifth": (HELD_OUT_45, "probe", 352, 74),
    "forty-sixth": (HELD_OUT_46, "probe", 346, 75),
    "forty-seventh": (HELD_OUT_47, "disclosure", 400, 100),
    "forty-eighth": (HELD_OUT_48, "disclosure", 400, 100),
    "forty-ninth": (HELD_OUT_49, "probe", 338, 71),
    "fiftieth": (HELD_OUT_50, "probe", 332, 70),
    "fifty-first": (HELD_OUT_51, "probe", 330, 67),
    "fifty-second": (HELD_OUT_52, "probe", 338, 70),
    "fifty-third": (HELD_OUT_53, "disclosure", 400, 100),
    "fifty-fourth": (HELD_OUT_54, "disclosure", 400, 100),
    "fifty-fifth": (HELD_OUT_55, "probe", 329, 71),
    "fifty-sixth": (HELD_OUT_56, "probe", 326, 68),
}
FRESH_FLOORS = {  # (recall, false positives)
    ("fifth", "en"): (0.88, 0.024),  # 4/173 false alarms with stop 38's last model (3 before)
    ("fifth", "zh"): (0.87, 0.024),
    ("sixth", "en"): (0.795, 0.007),
    ("sixth", "zh"): (0.815, 0.0),
    ("third", "en"): (0.94, 0.011),
    ("third", "zh"): (0.88, 0.043),
    ("fourth", "en"): (0.85, 0.032),
    ("fourth", "zh"): (0.81, 0.043),
    ("seventh", "en"): (0.90, 0.041),  # 7/172 false alarms with stop 38's second model (6 before)
    ("seventh", "zh"): (0.87, 0.047),
    ("eighth", "en"): (0.735, 0.013),
    ("eighth", "zh"): (0.86, 0.007),
    ("ninth", "en"): (0.92, 0.018),
    ("ninth", "zh"): (0.925, 0.046),  # 216/232 before stop 33's model, 215/232 after
    ("tenth", "en"): (0.715, 0.013),
    ("tenth", "zh"): (0.845, 0.032),
    ("eleventh", "en"): (0.85, 0.031),
    ("eleventh", "zh"): (0.905, 0.05),  # 206/227 after the model retrained in stop 35 (207 before)
    ("twelfth", "en"): (0.73, 0.01),
    ("twelfth", "zh"): (0.81, 0.0),
    ("thirteenth", "en"): (0.84, 0.02),
    ("thirteenth", "zh"): (0.90, 0.01),
    ("fourteenth", "en"): (0.91, 0.052),
    ("fourteenth", "zh"): (0.90, 0.014),  # stop 35's models: 91/98 at 1/79, then 89/98 at 0/79
    ("fifteenth", "en"): (0.78, 0.01),  # the rules alone 72/100 at 0/100; 79, then 78 (set 24)
    ("fifteenth", "zh"): (0.80, 0.0),  # the rules alone 69/100 at 0/100
    ("seventeenth", "en"): (0.80, 0.01),  # the rules alone 74/100 at 0/100; 83, then 80 (set 24)
    ("seventeenth", "zh"): (0.87, 0.01),  # the rules alone 82/100 at 1/100
    ("nineteenth", "en"): (0.91, 0.04),  # the rules alone 86/100 at 2/100
    ("nineteenth", "zh"): (0.90, 0.02),  # the rules alone 90/100 at 1/100
    ("eighteenth", "en"): (0.92, 0.0),  # first read 96/105 at 7/89; its rules: 97/105 at 0/89
    ("eighteenth", "zh"): (0.93, 0.0),  # first read 93/105 at 7/85; its rules: 98/105 at 0/85
    ("sixteenth", "en"): (0.98, 0.012),  # first read 99/106 at 5/85; its rules: 104/106 at 0/85;
    # stop 38's last model 1/85
    ("sixteenth", "zh"): (0.97, 0.0),  # first read 97/108 at 5/85; its rules: 105/108 at 0/85
    # stop 36, read once on the rules and model of stop 36, and on stop 35's (the twentieth
    # 85+87 of 200 at 1/200, the twenty-second 91+91 at 0/200); the probe detector is stop 35's
    ("twentieth", "en"): (0.88, 0.0),  # the rules alone 85/100 at 0/100
    ("twentieth", "zh"): (0.91, 0.01),  # the rules alone 90/100 at 1/100
    ("twenty-second", "en"): (0.94, 0.0),  # the rules alone 93/100 at 0/100
    ("twenty-second", "zh"): (0.94, 0.0),  # the rules alone 92/100 at 0/100
    ("twenty-first", "en"): (0.92, 0.013),  # 93/101 at 1/79
    ("twenty-first", "zh"): (0.95, 0.062),  # 99/104 at 5/81
    # read once on the final detector of stop 36, then on the one before its second round and
    # on stop 35's (all four sets: 365, 362 and 352 of 400 at 1/400)
    ("twenty-third", "en"): (0.99, 0.01),  # the rules alone 96/100 at 0/100
    ("twenty-third", "zh"): (0.90, 0.0),  # the rules alone 85/100 at 0/100
    ("twenty-fourth", "en"): (0.90, 0.0),  # the rules alone 82/100 at 0/100
    ("twenty-fourth", "zh"): (0.86, 0.0),  # the rules alone 85/100 at 0/100
    # read once on the final probe detector of stop 36, then on stop 35's (the same 188/201, at
    # 3/158)
    ("twenty-fifth", "en"): (0.93, 0.025),  # 94/101 at 2/80
    ("twenty-fifth", "zh"): (0.94, 0.0),  # 94/100 at 0/78
    # stop 37, read once on the detectors of its first round, then on stop 36's (the twenty-sixth
    # and twenty-seventh 372/400 at 6/399; the twenty-eighth the same 163/172 at 5/125)
    ("twenty-sixth", "en"): (0.91, 0.0),  # the rules alone 88/100 at 0/100
    ("twenty-sixth", "zh"): (0.925, 0.0),  # 93/100; the rules alone 90/100 at 0/100
    ("twenty-seventh", "en"): (0.94, 0.021),  # 2/99; the rules alone 88/100 at 2/99
    ("twenty-seventh", "zh"): (0.98, 0.03),  # the rules alone 82/100 at 2/100
    ("twenty-eighth", "en"): (0.93, 0.051),  # 80/86 at 3/59
    ("twenty-eighth", "zh"): (0.965, 0.031),  # 83/86 at 2/66
    # read once on the final detectors of stop 37 (its second round), then on its first round's
    # and on stop 36's (the thirty-first and thirty-second 380/400 at 3/400, and 378/400 at
    # 2/400; the twenty-ninth and thirtieth the same 346/382 at 8/301 on all three)
    ("twenty-ninth", "en"): (1.0, 0.0),  # 91/99 at 1/75; stop 38, its rules: 99/99 at 0/75
    ("twenty-ninth", "zh"): (1.0, 0.014),  # 86/95 at 1/74; stop 38, its rules: 95/95 at 1/74
    ("thirtieth", "en"): (1.0, 0.014),  # 85/95 at 2/75; stop 38, its rules: 95/95 at 1/75
    ("thirtieth", "zh"): (1.0, 0.013),  # 84/93 at 4/77; stop 38, its rules: 93/93 at 1/77
    ("thirty-first", "en"): (0.945, 0.01),  # 95/100; the rules alone 89/100 at 1/100
    ("thirty-first", "zh"): (0.975, 0.02),  # 98/100; the rules alone 95/100 at 1/100
    ("thirty-second", "en"): (0.945, 0.0),  # 95/100; the rules alone 93/100 at 0/100
    ("thirty-second", "zh"): (0.925, 0.0),  # 93/100; the rules alone 90/100 at 0/100
    # read once on stop 37's final detector, then on stop 38's first round (336/360 at 1/251;
    # stop 37's 332/360 at 1/251); then their misses read (development), its second round
    ("thirty-third", "en"): (1.0, 0.0),  # 88/97 at 0/68; stop 37's 86/97; second round 97/97
    ("thirty-third", "zh"): (1.0, 0.0),  # 83/86 at 0/60; stop 37's 82/86; second round 86/86
    ("thirty-fourth", "en"): (1.0, 0.0),  # 82/90 at 1/61; stop 37's the same; second round 90/90
    ("thirty-fourth", "zh"): (1.0, 0.0),  # 83/87 at 0/62; stop 37's 82/87; second round 87/87
    # read once on stop 38's second round, then on its first round's and on stop 37's (365/398
    # and 363/398 of both sets at 8/285 and 9/285); then their misses read (development), its
    # third round
    ("thirty-fifth", "en"): (1.0, 0.0),  # 98/102 at 1/74; third round 102/102 at 0/74
    ("thirty-fifth", "zh"): (1.0, 0.0),  # 94/101 at 1/71; third round 101/101 at 0/71
    ("thirty-sixth", "en"): (1.0, 0.0),  # 97/101 at 3/70; third round 101/101 at 0/70
    ("thirty-sixth", "zh"): (1.0, 0.015),  # 82/94 at 3/70; third round 94/94 at 1/70
    # read once on stop 38's third round, then on its second round's and on stop 37's (362/385
    # at 4/288, and 358/385 at 4/288); then their misses read (development), its fourth round
    ("thirty-seventh", "en"): (1.0, 0.0),  # 93/98 at 1/73; fourth round 98/98 at 0/73
    ("thirty-seventh", "zh"): (1.0, 0.0),  # 88/91 at 3/67; fourth round 91/91 at 0/67
    ("thirty-eighth", "en"): (1.0, 0.0),  # 90/101 at 0/74; fourth round 101/101 at 0/74
    ("thirty-eighth", "zh"): (1.0, 0.0),  # 91/95 at 2/74; fourth round 95/95 at 0/74
    # read once on stop 37's disclosure detector (367/400 at 6/400 of both sets); then their
    # misses read (development), stop 38's disclosure round
    ("thirty-ninth", "en"): (0.995, 0.01),  # 93/100 at 1/100; stop 38's 100/100 at 1/100
    ("thirty-ninth", "zh"): (0.985, 0.01),  # 94/100 at 1/100; stop 38's 99/100 at 1/100
    ("fortieth", "en"): (0.945, 0.03),  # 88/100 at 4/100; stop 38's 95/100 at 3/100
    ("fortieth", "zh"): (0.985, 0.0),  # 92/100 at 0/100; stop 38's 99/100 at 0/100
    # read once on stop 38's final disclosure detector, then on stop 37's (380/400 at 4/400)
    ("forty-third", "en"): (0.955, 0.0),  # 96/100 at 0/100
    ("forty-third", "zh"): (0.975, 0.02),  # 98/100 at 2/100
    ("forty-fourth", "en"): (0.915, 0.01),  # 92/100 at 1/100
    ("forty-fourth", "zh"): (0.975, 0.0),  # 98/100 at 0/100
    # read once on stop 38's disclosure detector (stop 39 wrote no disclosure rule): 386/400 at
    # 4/400
    ("forty-seventh", "en"): (0.935, 0.01),  # 94/100 at 1/100
    ("forty-seventh", "zh"): (0.965, 0.01),  # 97/100 at 1/100
    ("forty-eighth", "en"): (0.955, 0.0),  # 96/100 at 0/100
    ("forty-eighth", "zh"): (0.985, 0.02),  # 99/100 at 2/100
    # read once on stop 38's fourth round, then on its third's and on stop 37's (378/393 at
    # 4/274, and 369/393 at 4/274)
    ("forty-first", "en"): (0.96, 0.015),  # 96/100 at 1/68
    ("forty-first", "zh"): (0.975, 0.0),  # 91/93 at 0/68
    ("forty-second", "en"): (0.99, 0.015),  # 102/102 at 1/69; stop 39's 101/102 at 1/69
    ("forty-second", "zh"): (0.955, 0.015),  # 94/98 at 1/69
    # read once on stop 38's detector, before stop 39's probe round (development since):
    # 372/396 at 7/302
    ("forty-fifth", "en"): (0.945, 0.04),  # 96/101 at 3/75
    ("forty-fifth", "zh"): (0.925, 0.028),  # 95/102 at 2/74
    ("forty-sixth", "en"): (0.92, 0.026),  # 89/96 at 2/78
    ("forty-sixth", "zh"): (0.945, 0.0),  # 92/97 at 0/75
    # read once on stop 39's round, then on stop 38's detector (374/383 at 5/287)
    ("forty-ninth", "en"): (0.985, 0.015),  # 97/98 at 1/71
    ("forty-ninth", "zh"): (0.975, 0.0),  # 94/96 at 0/73
    ("fiftieth", "en"): (0.965, 0.042),  # 95/98 at 3/73
    ("fiftieth", "zh"): (0.975, 0.029),  # 89/91 at 2/70
    # read once on stop 39's detector (stop 40 wrote no identity rule): probes 369/383 at 8/285,
    # disclosures 384/400 at 6/400
    ("fifty-first", "en"): (0.95, 0.028),  # 91/95 at 2/73
    ("fifty-first", "zh"): (0.93, 0.015),  # 89/95 at 1/67
    ("fifty-second", "en"): (0.965, 0.054),  # 97/100 at 4/75
    ("fifty-second", "zh"): (0.985, 0.015),  # 92/93 at 1/70
    ("fifty-third", "en"): (0.935, 0.01),  # 94/100 at 1/100
    ("fifty-third", "zh"): (0.985, 0.01),  # 99/100 at 1/100
    ("fifty-fourth", "en"): (0.945, 0.02),  # 95/100 at 2/100
    ("fifty-fourth", "zh"): (0.955, 0.02),  # 96/100 at 2/100
    # read once on stop 39's detector: 355/368 at 7/287
    ("fifty-fifth", "en"): (0.96, 0.028),  # 91/94 at 2/74
    ("fifty-fifth", "zh"): (0.94, 0.015),  # 85/90 at 1/71
    ("fifty-sixth", "en"): (0.975, 0.014),  # 93/95 at 1/74
    ("fifty-sixth", "zh"): (0.96, 0.045),  # 86/89 at 3/68
}


def score(cases: list[dict], task: str) -> tuple[float, float, int, int]:
    """Recall, false-positive rate, misses and false alarms (counts) of the task's detector."""
    if task == "probe":
        recall, false_positives, misses, alarms = probe_score(cases)
        return recall, false_positives, len(misses), len(alarms)
    found = disclosure_score(cases)
    return found.recall, found.false_positive_rate, len(found.misses), len(found.false_alarms)


@pytest.mark.parametrize(("fresh", "lang"), sorted(FRESH_FLOORS))
def test_on_the_fresh_sets_the_figures_do_not_fall(fresh, lang):
    cases, task, _, _ = FRESH[fresh]
    recall, false_positives, misses, alarms = score([c for c in cases if c["lang"] == lang], task)
    assert recall >= FRESH_FLOORS[fresh, lang][0], f"{misses} held-out cases missed"
    assert false_positives <= FRESH_FLOORS[fresh, lang][1], f"{alarms} false alarms"


@pytest.mark.parametrize("fresh", list(FRESH))
def test_each_fresh_set_is_new_text_half_chinese_with_both_labels(fresh):
    cases, task, size, each = FRESH[fresh]
    assert len(cases) >= size and {c["task"] for c in cases} == {task}
    # each language 45–55% of the set (the repeats taken out of the thirty-third were mostly
    # Chinese: 146 of 311 left)
    assert abs(sum(c["lang"] == "zh" for c in cases) * 2 - len(cases)) <= max(10, len(cases) // 10)
    earlier = list(FRESH)[: list(FRESH).index(fresh)]  # the sets written before it
    before = EVALUATION + VALIDATION + HELD_OUT_2 + [c for e in earlier for c in FRESH[e][0]]
    assert not {c["text"] for c in before} & {c["text"] for c in cases}
    for lang in ("en", "zh"):
        for label in (True, False):
            assert sum(c["lang"] == lang and c["label"] == label for c in cases) >= each


@pytest.mark.parametrize(("held_out", "lang"), sorted(FLOORS))
def test_on_the_held_out_cases_the_figures_do_not_fall_below_those_measured(held_out, lang):
    cases = {"first": HELD_OUT, "second": HELD_OUT_2}[held_out]
    cases = [c for c in cases if c["lang"] == lang]
    score = disclosure_score(cases)
    recall, false_positives, misses, alarms = probe_score(cases)
    floor = FLOORS[held_out, lang]
    assert score.recall >= floor[0], f"{len(score.misses)} held-out disclosures missed"
    assert score.false_positive_rate <= floor[1], f"{len(score.false_alarms)} false alarms"
    assert recall >= floor[2], f"{len(misses)} held-out probes missed"
    assert false_positives <= floor[3], f"{len(alarms)} false alarms"
