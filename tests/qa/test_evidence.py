"""Evidence passages that say which thing they mean: a news article names its subject once ("Ford is pulling the
plug ...") and then calls it "the company". A sentence speaking of the kind of name asked for without naming it
is joined to the sentence before it. Real index, embedder, selection and verification; the model is scripted
where the test is about what the pipeline does with its reply."""
from index.articles import Article
from qa.evidence import _REFERRING_OPENING, _REFERS_WITHIN, _SUBJECT_OPENING, kind_reference
from tests.conftest import ScriptedLLM, make_engine

FORD = ("New York CNN Business —\n\n"
        "Ford is pulling the plug on its effort to build a fully self-driving car, at a cost of $2.7 billion.\n\n"
        "The company announced Wednesday it would no longer pay for the self-driving car project.\n\n"
        "The project was started in 2016 in Pittsburgh and employs about 2,000 people.")
SEATS = ("Senate races are tight this year.\n\n"
         "Pennsylvania has long been the seat most likely to flip, analysts said on Monday.")
QUESTION = "Which company announced it is shutting down its self-driving car effort?"


def _store(empty_store):
    empty_store.add([Article("ford", FORD, title="Ford ends its self-driving effort"),
                     Article("seats", SEATS, title="Senate seats most likely to flip"),
                     Article("other", "Tesla showed a humanoid robot called Optimus at its AI Day event on Friday.",
                             title="Tesla robot")])
    return empty_store


def test_a_sentence_calling_the_answer_the_company_is_joined_to_the_sentence_naming_it(empty_store):
    store = _store(empty_store)
    engine = make_engine(store, ScriptedLLM())
    snap = store.snapshot()
    asked = engine.parts.analyzer.run(QUESTION, snap, as_of="2022-10-30")
    selection = engine.parts.selector.run(asked, engine.parts.retriever.run(asked, snap))
    joined = [e for e in selection.evidence if "The company announced" in e.text]
    assert len(joined) == 1
    e = joined[0]
    assert e.text.startswith("Ford is pulling the plug") and e.text.endswith("self-driving car project.")
    assert snap.articles["ford"].text[e.start:e.end] == e.text  # one exact span of its article
    assert e.vector is not None  # the verifier compares sentences to the passage as joined
    # the sentence now inside the passage is not read a second time
    assert not any(x is not e and x.doc_id == "ford" and e.start <= x.start < e.end for x in selection.evidence)
    assert [x.number for x in selection.evidence] == list(range(1, len(selection.evidence) + 1))


def test_the_model_reads_the_passage_on_one_line_and_the_answer_quotes_it_with_the_name(empty_store):
    llm = ScriptedLLM("The company announced it would no longer pay for the project [1].\nShort answer: Ford")
    a = make_engine(_store(empty_store), llm).answer(QUESTION, as_of="2022-10-30")
    prompt = llm.calls[0].user
    assert "Ford is pulling the plug on its effort to build a fully self-driving car, at a cost of $2.7 billion. " \
           "The company announced Wednesday" in prompt  # no paragraph break inside a numbered line
    assert a.short_answer == "Ford" and a.text.startswith("Ford: “Ford is pulling the plug")
    c = next(c for c in a.citations if "Ford is pulling" in c.quote)
    assert "The company announced" in c.quote
    assert c.doc_id == "ford" and FORD[c.start:c.end] == c.quote


def test_a_sentence_that_names_what_it_calls_the_seat_is_not_joined(empty_store):
    store = _store(empty_store)
    engine = make_engine(store, ScriptedLLM())
    snap = store.snapshot()
    asked = engine.parts.analyzer.run("Which Senate seat is most likely to flip?", snap, as_of="2022-10-30")
    selection = engine.parts.selector.run(asked, engine.parts.retriever.run(asked, snap))
    seat = next(e for e in selection.evidence if "Pennsylvania" in e.text)
    assert seat.text.startswith("Pennsylvania has long been")  # "has long been the seat": named in place


def test_only_a_kind_that_says_what_it_is_is_looked_for():
    assert kind_reference("place") is None and kind_reference("person or organization") is None
    assert kind_reference("") is None
    show = kind_reference("wildly popular show")
    assert show.search("Netflix said the wildly popular South Korean show is back")
    assert show.search("The shows earned several nominations")
    assert not show.search("The showrunner said so")
    countries = kind_reference("countries")
    assert countries.search("the country’s most populous island") and countries.search("the two Nordic countries")


def test_the_show_stands_only_for_a_name_before_it():
    from qa.evidence import as_named

    text = ("“Succession” won big on Monday. The show took home best drama series, as well as a best supporting "
            "actor win for Matthew Macfadyen.")
    assert "Succession took home best drama series" in as_named(text, "Succession", "show")
    assert as_named(text, "Matthew Macfadyen", "show") == text  # named after "The show": not what it stands for
    assert as_named(text, "Succession", "place") == text  # "place" says too little to be referred to


def test_a_reference_followed_or_preceded_by_its_name_is_named_in_place():
    from qa.evidence import unnamed

    def refs(wanted, text):
        return [unnamed(text, m) for m in kind_reference(wanted).finditer(text)]

    assert refs("UK city", "Hindu-right groups confronted Muslims in the city of Gurugram, outside Delhi.") == [False]
    assert refs("show", "Netflix said the hit show “Squid Game” is back, and the show is big.") == [False, True]
    assert refs("seat", "Pennsylvania has long been the seat most likely to flip.") == [False]
    assert refs("company", "The company announced Wednesday it would stop.") == [True]


def test_a_sentence_opening_with_the_company_is_joined_to_the_sentence_naming_what_the_question_asks_of(
        empty_store):
    """"Instead, the company is diversifying ..." leaves OpenAI, which the question names, to the sentence
    before: the passage read and quoted holds both."""
    text = ("OpenAI has been gradually reducing its use of Scale AI's services over the past year. Instead, the "
            "company is partnering with emerging companies like Mercor and deploying open models with Cloudflare.")
    _store(empty_store).add([Article("openai", text, title="OpenAI and its partners")])
    passage = _passage(empty_store, "Who did OpenAI partner with for open model deployments?", "Cloudflare")
    assert passage.text == text and empty_store.snapshot().articles["openai"].text[passage.start:passage.end] == text
    other = _passage(empty_store, "Who deployed open models with Cloudflare?", "Cloudflare")  # names none before
    assert other.text.startswith("Instead, the company")


def test_a_sentence_buying_these_devices_is_read_with_the_sentence_saying_what_they_are(empty_store):
    """"... will be able to buy these devices ... without a prescription" leaves what the devices are to the
    sentence before: a question asking which item is read with both; one asking who is not."""
    text = ("Traditional prescription hearing aids cost on average $2,000 per ear. But the FDA's rule change means "
            "that people with hearing loss will be able to buy these devices online without a prescription.")
    _store(empty_store).add([Article("aids", text, title="Buying over the counter")])
    passage = _passage(empty_store, "Which item can US adults now buy without a prescription?", "these devices")
    assert passage.text == text
    who = _passage(empty_store, "Who changed the rule on buying without a prescription?", "these devices")
    assert who.text.startswith("But the FDA")
    from qa.evidence import _THESE

    assert _THESE.search("buy these devices online") and _THESE.search("those hearing aids")
    for words in ("these days", "those weeks", "these are", "those early days", "these are products",
                  "those with needs", "these two years"):
        assert not _THESE.search(words), words


def test_what_counts_as_referring_back():
    for opening in ("Instead, the company is", "He put away", "However, he said", "They won", "The company said",
                    "It was reported", "The reason for this decision", "This tension has", "These moves",
                    "However, this is", "Over the years, the company has"):
        assert _REFERRING_OPENING.match(opening), opening
    for opening in ("Italy won", "Hershey said", "Theirs is", "The reason was", "Heavy rain fell", "This week, Meta",
                    "The reasoning", "Thistle farms", "That year"):
        assert not _REFERRING_OPENING.match(opening), opening
    for opening in ("The pair married", "The couple said", "The two married", "The duo won", "Later, the two met"):
        assert _REFERRING_OPENING.match(opening) and _SUBJECT_OPENING.match(opening), opening
    for opening in ("The two-time champion", "The pairing", "The twofold rise", "The three-day festival",
                    "The Two Popes won", "The three largest banks", "The two biggest"):
        assert not _REFERRING_OPENING.match(opening) and not _SUBJECT_OPENING.match(opening), opening
    for within in ("Google, one such competitor, has", "A film by the same name won", "another such case",
                   "a town of the same name"):
        assert _REFERS_WITHIN.search(within), within
    for within in ("one of such", "on the same day", "such as Mercor", "one suchlike", "the same names"):
        assert not _REFERS_WITHIN.search(within), within


def test_a_sentence_referring_back_to_a_name_the_question_gives_is_read_with_the_sentence_giving_it(empty_store):
    """"The pair married when Lynn was 15" leaves whom to the sentence before, which names Loretta (asked) and
    Doolittle; "A 1980 biographical film by the same name ..." leaves the name to the sentence before, which
    gives “Coal Miner’s Daughter” (asked): each passage holds both sentences."""
    married = ("As a young teenager, Loretta met the love of her life in Oliver “Doolittle” Lynn. The pair "
               "married when Lynn was 15, a fact cleared up in 2012.")
    film = ("She documented her upbringing in the 1976 memoir “Coal Miner’s Daughter.” A 1980 biographical film "
            "by the same name won an Academy Award for actress Sissy Spacek.")
    _store(empty_store).add([Article("married", married, title="Loretta Lynn dies at 90"),
                             Article("film", film, title="Loretta Lynn's life")])
    assert _passage(empty_store, "Who was Loretta Lynn married to?", "The pair married").text == married
    passage = _passage(empty_store, "Who played Loretta Lynn in the film Coal Miner's Daughter?", "Spacek")
    assert passage.text == film


def test_a_quote_speaking_for_us_is_read_with_the_sentence_saying_whom_its_speaker_speaks_for(empty_store):
    """"“... Meta thinks of us as their biggest competitor,” Altman said." leaves who "us" is to the sentence
    before ("OpenAI CEO Sam Altman"); a quote without "us", or whose speaker the sentence before does not name,
    stands alone."""
    from qa.evidence import _WE_QUOTE

    text = ("OpenAI CEO Sam Altman accused Meta of making giant offers to poach OpenAI workers. “I’ve heard that "
            "Meta thinks of us as their biggest competitor,” Altman said.")
    _store(empty_store).add([Article("altman", text, title="Altman on Meta")])
    passage = _passage(empty_store, "Which company does Meta see as its biggest competitor?", "thinks of us")
    assert passage.text == text
    assert _WE_QUOTE.search("“We are doing the best we can,” Brad Orrison said")[1] == "Brad Orrison"
    assert _WE_QUOTE.search("“We serve our guests,” Spirit CEO Ted Christie said")[1] == "Spirit CEO Ted Christie"
    assert _WE_QUOTE.search("“We won,” said O.B. Curtis.")[2] == "O.B. Curtis"
    for quote in ("“It is safe to take baths in,” Lumumba said.", "“Our fans,” the club said."):
        assert not _WE_QUOTE.search(quote), quote


def test_a_sentence_giving_the_reason_for_this_decision_is_read_with_the_decision(empty_store):
    """"The reason for this decision ..." leaves Google, which the question names, to the sentence before: a
    "Why ...?" question reads both as one passage."""
    text = ("Google, one such competitor, has reportedly decided to sever or pause ties with Scale AI. The reason "
            "for this decision stems from the fear that Meta's investment in Scale AI might give it an advantage.")
    _store(empty_store).add([Article("google", text, title="Google and Scale AI")])
    passage = _passage(empty_store, "Why did Google cut ties with Scale AI?", "fear")
    assert passage.text == text and empty_store.snapshot().articles["google"].text[passage.start:passage.end] == text


def _retrieved(store, question: str):
    """(engine, the question as read, what the real retriever returns for it from `store`)."""
    engine = make_engine(store, ScriptedLLM())
    snap = store.snapshot()
    asked = engine.parts.analyzer.run(question, snap)
    return engine, asked, engine.parts.retriever.run(asked, snap)


def _selection(store, question: str):
    """What the real evidence selector picks for `question` from `store`."""
    engine, asked, result = _retrieved(store, question)
    return engine.parts.selector.run(asked, result)


def _passage(store, question: str, holding: str):
    """The evidence passage holding `holding` that the real selector picks for `question` from `store`."""
    return next(e for e in _selection(store, question).evidence if holding in e.text)


def test_a_sentence_leaving_its_subject_to_the_one_before_is_ranked_as_read_with_it(empty_store):
    """"Over the years, the company has shifted to employing more skilled professionals" says nothing of Scale
    AI by itself; read with the sentence before, it answers what kind of workers Scale AI employs, and ranks
    above sentences that only name Scale AI. A sentence opening "It was reported" is ranked as it stands."""
    from qa.evidence import rank_sentences

    text = ("Scale AI was founded in 2016 and sells annotated datasets to AI labs. The startup's valuation rose "
            "this year. Scale AI initially relied on a large network of contractors to label images and text. "
            "Over the years, the company has shifted to employing more skilled professionals. Scale AI counts "
            "Meta, Anthropic and Cohere among its customers. Scale AI said its revenue grew in the last quarter.")
    _store(empty_store).add([Article("scale", text, title="Scale AI")])
    engine, asked, result = _retrieved(empty_store, "What kind of workers does Scale AI employ now?")
    snap = result.snapshot
    ranked = rank_sentences(asked, result, engine.parts.selector.embedder)
    assert ranked[0].text.startswith("Over the years, the company has shifted")
    assert ranked[0].text == snap.articles["scale"].text[ranked[0].start:ranked[0].end]  # the sentence alone
    for opening in ("Over the years, the company has", "He said", "Instead, they", "Its shares fell"):
        assert _SUBJECT_OPENING.match(opening), opening
    for opening in ("It was reported", "This deal", "Theater is", "Hershey said"):
        assert not _SUBJECT_OPENING.match(opening), opening


def test_a_passage_joined_to_the_sentence_before_is_as_relevant_as_its_best_sentence(empty_store):
    """"The company said in the release: ..." is joined to the sentence before it, which answers where Wang is
    going: the passage keeps that sentence's relevance, so retrieval does not look weak."""
    text = ("Scale announced that it received a significant investment from Meta and that Alexandr Wang will "
            "join Meta while continuing to serve as a director on Scale's board. The company said in the release: "
            "Scale remains an independent leader in AI.")
    _store(empty_store).add([Article("scale", text, title="Scale AI")])
    selection = _selection(empty_store, "Where is Alexandr Wang going to work?")
    joined = next(e for e in selection.evidence if "The company said" in e.text)
    assert joined.text.startswith("Scale announced")
    alone = next(e for e in selection.ranked if e.text.startswith("Scale announced"))
    assert (joined.dense, joined.overlap, joined.score) == (alone.dense, alone.overlap, alone.score)


def test_a_sentence_saying_what_is_asked_of_this_deal_is_read_with_the_sentence_naming_it(empty_store):
    """"This deal, Meta's second-largest acquisition to date, ..." says what is asked of what the sentence before
    names: the passage holds both. Asked something else of it, the sentence stands alone."""
    text = ("In a significant move, tech giant Meta has acquired Scale AI, a data labeling startup founded in 2016. "
            "This deal, Meta's second-largest acquisition to date, has sparked a ripple effect among competitors.")
    _store(empty_store).add([Article("deal", text, title="Meta and Scale AI")])
    passage = _passage(empty_store, "What was Meta's second-largest acquisition?", "second-largest")
    assert passage.text == text
    other = _passage(empty_store, "What sparked a ripple effect among Meta's rivals?", "ripple")
    assert other.text.startswith("This deal")


def test_a_sentence_added_for_the_name_offered_is_read_with_the_sentence_it_refers_back_to(empty_store):
    """The sentence added to the evidence for a name offered ("... actress Sissy Spacek") is joined to the
    sentence before it when it refers back to it, as evidence sentences are, numbered after the evidence and
    with a vector for the verifier; not when that sentence is already evidence."""
    from qa.evidence import _span

    film = ("Loretta Lynn died at 90. She documented her upbringing in the 1976 memoir “Coal Miner’s Daughter.” "
            "A 1980 biographical film by the same name won an Academy Award for actress Sissy Spacek.")
    _store(empty_store).add([Article("film", film, title="Loretta Lynn's life")])
    question = "Who played Loretta Lynn in the film Coal Miner's Daughter?"
    engine, asked, _result = _retrieved(empty_store, question)
    evidence = [_span("film", 0, film.index(" She"), film)]
    at = film.index("A 1980")
    added = _span("film", at, len(film), film)
    generator = engine.parts.generator
    read = generator._joined(asked, [*evidence, added], evidence, empty_store.snapshot())
    assert read[0] == evidence[0] and len(read) == 2
    assert read[1].number == 2 and read[1].text == film[film.index("She documented"):]
    assert read[1].vector is not None
    memoir = film.index("She documented")  # the sentence before already read: the added one stands alone
    before = _span("film", memoir, at - 1, film)
    read = generator._joined(asked, [before, added], [before], empty_store.snapshot())
    assert [e.text for e in read] == [before.text, added.text] and read[1].number == 2
