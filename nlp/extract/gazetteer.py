"""Word lists for the rule-based baseline (`nlp.extract.rules`).

Short, hand-written and deliberately incomplete: they make the baseline useful on
news-like and US-federal text, not good. Every entry is matched case-sensitively
against whole tokens or whole spans (multi-word entries match a whole candidate span).
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    """Entries separated by ``|`` or newlines; surrounding blanks are ignored."""
    return frozenset(w.strip() for line in block.splitlines() for w in line.split("|") if w.strip())


COUNTRIES = _words("""
Afghanistan|Albania|Algeria|Argentina|Armenia|Australia|Austria|Bangladesh|Belgium|Bolivia
Bosnia|Brazil|Britain|Great Britain|Bulgaria|Cambodia|Canada|Chile|China|Colombia|Cuba
Croatia|Czech Republic|Czechoslovakia|Denmark|Ecuador|Egypt|El Salvador|England|Ethiopia
Finland|France|Germany|West Germany|East Germany|Ghana|Greece|Guatemala|Haiti|Honduras
Hungary|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kenya|Korea
North Korea|South Korea|Kuwait|Lebanon|Libya|Lithuania|Malaysia|Mexico|Morocco|Nepal
Netherlands|Holland|New Zealand|Nicaragua|Nigeria|Norway|Pakistan|Panama|Peru|Philippines
Poland|Portugal|Romania|Russia|Saudi Arabia|Scotland|Serbia|Singapore|Somalia|South Africa
Soviet Union|Spain|Sri Lanka|Sudan|Sweden|Switzerland|Syria|Taiwan|Thailand|Tunisia|Turkey
Uganda|Ukraine|United Kingdom|United States|United States of America|America|Uruguay
Venezuela|Vietnam|Wales|Yemen|Yugoslavia|Zimbabwe|Vatican|Palestine|Tibet
U.S.|US|USA|U.S.A.|UK|U.K.|USSR|U.S.S.R.
""")

US_STATES = _words("""
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia
Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts
Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey
New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania
Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington
West Virginia|Wisconsin|Wyoming|District of Columbia|D.C.|Puerto Rico|Guam
Ala.|Ariz.|Ark.|Calif.|Colo.|Conn.|Del.|Fla.|Ga.|Ill.|Ind.|Kan.|Ky.|La.|Md.|Mass.|Mich.
Minn.|Miss.|Mo.|Mont.|Neb.|Nev.|N.H.|N.J.|N.M.|N.Y.|N.C.|N.D.|Okla.|Ore.|Pa.|R.I.|S.C.
S.D.|Tenn.|Tex.|Va.|Vt.|Wash.|W.Va.|Wis.|Wyo.
""")

CITIES = _words("""
New York City|Los Angeles|Chicago|Houston|Philadelphia|Phoenix|San Antonio|San Diego
Dallas|San Francisco|Boston|Seattle|Denver|Detroit|Atlanta|Miami|Baltimore|Pittsburgh
Cleveland|St. Louis|New Orleans|Las Vegas|Minneapolis|Cincinnati|Honolulu|Anchorage
Sacramento|Nashville|Memphis|Richmond|Austin|Portland|Brooklyn|Manhattan|Hollywood
Oakland|Berkeley|Cambridge|Princeton|Harlem|Arlington|Alexandria|Bethesda
London|Paris|Berlin|Rome|Madrid|Moscow|Vienna|Warsaw|Prague|Budapest|Athens|Stockholm
Oslo|Copenhagen|Amsterdam|Brussels|Geneva|Zurich|Dublin|Edinburgh|Lisbon|Istanbul
Beijing|Shanghai|Hong Kong|Tokyo|Osaka|Seoul|Taipei|Manila|Bangkok|Hanoi|Saigon|Jakarta
Delhi|New Delhi|Bombay|Mumbai|Calcutta|Karachi|Kabul|Tehran|Baghdad|Damascus|Beirut
Jerusalem|Tel Aviv|Cairo|Riyadh|Nairobi|Johannesburg|Lagos|Sydney|Melbourne|Toronto
Montreal|Vancouver|Ottawa|Quebec|Havana|Mexico City|Bogota|Lima|Buenos Aires|Santiago
Sao Paulo|Rio de Janeiro|Caracas|Managua|Panama City|Kiev|Kyiv|Belgrade|Sarajevo|Munich
Frankfurt|Hamburg|Milan|Naples|Venice|Florence|Barcelona|Leningrad|St. Petersburg
""")

REGIONS = _words("""
Africa|Asia|Europe|North America|South America|Latin America|Central America|Antarctica
Australia|Oceania|Middle East|Far East|Mideast|Caribbean|Balkans|Scandinavia|Siberia
West Bank|Gaza|Gaza Strip|Persian Gulf|Pacific|Atlantic|Mediterranean|Midwest|New England
Southeast Asia|Eastern Europe|Western Europe|Sahara|Arctic|Kashmir|Northern Ireland
""")

LOCATIONS = COUNTRIES | US_STATES | CITIES | REGIONS
"""Every gazetteer location; a whole candidate span must equal an entry."""

DEMONYMS = _words("""
American|Americans|British|Briton|Britons|English|French|German|Germans|Italian|Italians
Spanish|Russian|Russians|Soviet|Soviets|Chinese|Japanese|Korean|Koreans|Indian|Indians
Pakistani|Afghan|Iranian|Iranians|Iraqi|Iraqis|Israeli|Israelis|Palestinian|Palestinians
Arab|Arabs|Arabic|Egyptian|Saudi|Syrian|Lebanese|Turkish|Greek|Polish|Czech|Hungarian
Ukrainian|Serbian|Serb|Serbs|Croatian|Croat|Croats|Bosnian|Dutch|Belgian|Swiss|Swedish
Norwegian|Danish|Finnish|Irish|Scottish|Welsh|Canadian|Canadians|Mexican|Mexicans|Cuban
Cubans|Brazilian|Argentine|Chilean|Colombian|Peruvian|Venezuelan|Nicaraguan|Salvadoran
African|Africans|Asian|Asians|European|Europeans|Latin|Nigerian|Kenyan|Australian
Vietnamese|Thai|Filipino|Indonesian|Taiwanese|Tibetan|Western|Eastern|Communist|Communists
Democrat|Democrats|Democratic|Republican|Republicans|Christian|Christians|Catholic
Catholics|Protestant|Muslim|Muslims|Moslem|Moslems|Islamic|Jewish|Jew|Jews|Hindu|Sikh
Buddhist|Sunni|Shiite|Marxist|Nazi|Nazis|English-speaking|Olympic|Olympics
""")
"""Nationalities, religions and political adjectives: MISC under CoNLL-2003."""

ORG_SUFFIXES = _words("""
Inc|Inc.|Corp|Corp.|Corporation|Company|Co|Co.|Ltd|Ltd.|LLC|L.L.C.|PLC|plc|AG|GmbH|S.A.
N.V.|LP|L.P.|Cos.|Bros.|Brothers|Group|Holdings|Industries|Enterprises|Partners
Associates|Airlines|Airways|Motors|Systems|Technologies|Laboratories|Pharmaceuticals
Times|Post|Journal|Tribune|Herald|Gazette|Press|News|Network|Broadcasting|Magazine
""")
"""Last-token ORG cues: company forms and a few media/industry heads."""

ORG_WORDS = _words("""
Department|Dept.|Agency|Administration|Bureau|Commission|Committee|Subcommittee|Court
Senate|House|Congress|Parliament|Assembly|Legislature|University|Institute|Institution
College|School|Academy|Association|Council|Bank|Service|Office|Board|Party|Ministry
Foundation|Federation|Union|Organization|Organisation|League|Society|Fund|Reserve|Army
Navy|Marines|Corps|Force|Police|Guard|Authority|Center|Centre|Hospital|Church|Club|Team
Coalition|Alliance|Movement|Front|Cabinet|Secretariat|Trust|Exchange|Program|Project
Laboratory|Lab|Museum|Orchestra|Commissioners|Tribunal|Directorate|Division|Unit|Prison
Penitentiary|Embassy|Consulate|Government|Regime|Caucus|Nations|Clinic
""")
"""ORG heads anywhere in a span (``Department of Justice``, ``Bank of America``)."""

LOC_LAST = _words("""
City|County|River|Street|St.|Avenue|Ave.|Road|Boulevard|Lake|Mountain|Mountains|Island
Islands|Valley|Bay|Gulf|Ocean|Sea|Park|Square|Province|Canyon|Desert|Peninsula|Strait
Coast|Falls|Heights|Hills|Beach|Harbor|Harbour|Airport|Bridge|Plaza|Palace|Township
Region|Territory|Prefecture|District|Parish|Village|Creek|Channel|Sound|Basin|Plains
""")
"""Last-token LOC cues (``Cook County``, ``Hudson River``, ``Wall Street``)."""

LOC_FIRST = _words(
    "Mount|Mt.|Lake|Gulf|Republic|Kingdom|Isle|Cape|Fort|Port|Strait|Bay|San|Santa|Los|Las"
)
"""First-token LOC cues (``Mount Everest``, ``Republic of Korea``)."""

MISC_CUES = _words("""
Prize|Award|Awards|Act|War|Cup|Games|Olympics|Festival|Treaty|Accord|Accords|Doctrine
Day|Week|Year|Revolution|Crisis|Conference|Summit|Bible|Koran|Constitution|Amendment
""")
"""Last-token MISC cues (events, laws, prizes)."""

HONORIFICS = _words("""
Mr.|Mrs.|Ms.|Miss|Mr|Mrs|Ms|Dr.|Dr|Prof.|Professor|Sen.|Senator|Rep.|Representative
Gov.|Governor|Gen.|Lt.|Col.|Sgt.|Capt.|Adm.|Maj.|Cmdr.|Rev.|Reverend|Sir|Dame|Lord|Lady
Justice|Judge|President|Vice|Chief|Premier|Chancellor|Mayor|Congressman|Congresswoman
Councilman|Councilwoman|Secretary|Ambassador|Minister|Prime|King|Queen|Prince|Princess
Pope|Cardinal|Bishop|Rabbi|Sheik|Ayatollah|Chairman|Chairwoman|Spokesman|Spokeswoman
Director|Commissioner|Attorney|Sheriff|Officer|Detective|Agent|Coach|Father|Sister|Brother
Assistant|Deputy|Acting|Administrator
""")
"""Title tokens that signal a following PER; they are not part of the PER span."""

START_ONLY_TITLES = _words("""
King|Queen|Prince|Princess|Bishop|Cardinal|Father|Brother|Sister|Lord|Lady|Dame|Sir|Pope
Agent|Officer|Coach|Miss|Deputy|Acting|Assistant|Vice|Prime
""")
"""Titles that are also name parts (``Martin Luther King``): they only count at the start
of a run, never in its middle."""

FIRST_NAMES = _words("""
Aaron|Adam|Al|Alan|Albert|Alex|Alexander|Alfred|Alice|Amy|Andrew|Ann|Anna|Anne|Anthony
Arthur|Barack|Barbara|Ben|Benjamin|Betty|Bill|Bob|Boris|Brian|Bruce|Carl|Carol|Caroline
Catherine|Charles|Charlie|Chris|Christopher|Claire|Daniel|Dan|David|Deborah|Dennis|Diana
Dick|Donald|Douglas|Ed|Edward|Elizabeth|Emily|Emma|Eric|Frank|Fred|Gary|George|Gerald
Gordon|Greg|Harold|Harry|Helen|Henry|Howard|Ian|Jack|Jacques|James|Jane|Janet|Jason|Jean
Jeff|Jennifer|Jerry|Jesse|Jim|Jimmy|Joan|Joe|John|Jonathan|Joseph|Juan|Judith
Julia|Karen|Kate|Kevin|Larry|Laura|Lee|Leonard|Linda|Lisa|Louis|Margaret|Maria|Mark
Martin|Mary|Matthew|Michael|Mike|Mohammed|Muhammad|Nancy|Nelson|Nicholas|Oliver|Pat
Patricia|Patrick|Paul|Peter|Philip|Ralph|Richard|Robert|Ronald|Roger|Ruth|Sam|Samuel
Sarah|Scott|Sharon|Stephen|Steve|Steven|Susan|Ted|Thomas|Tim|Timothy|Tom|Tony|Victor
Vladimir|Walter|William|Willie|Yasser|Mikhail|Helmut|Francois|Pierre|Hans|Karl|Carlos
Jose|Luis|Manuel|Pedro|Ali|Ahmed|Hussein|Kim|Li|Wang|Zhang|Hiroshi|Yuri|Ivan|Sergei
""")
"""A few common given names: a span starting with one is likely PER."""

PARTICLES = _words("de|da|del|della|di|du|van|von|der|den|le|la|bin|ibn|al|el|y")
"""Lower-case name particles allowed inside a capitalised run (``Charles de Gaulle``)."""

SENTENCE_STARTERS = _words("""
The|A|An|In|On|At|Of|For|From|To|By|With|As|After|Before|During|Since|Until|Under|Over
Among|Between|Despite|Although|Though|Because|If|When|While|Where|What|Which|Who|Whom
Whose|Why|How|He|She|It|They|We|You|His|Her|Its|Their|Our|My|Your|This|That|These|Those
There|Here|But|And|Or|Nor|So|Yet|Then|Also|However|Meanwhile|Still|Some|Many|Most|All
Both|Each|Every|Other|Another|Such|No|Not|Yes|Now|Today|Yesterday|Tomorrow|Tonight|Last
Next|Earlier|Later|Only|Even|Just|Once|Thus|Instead|Moreover|Furthermore|According|About
Asked|Several|Few|One|Two|Three|Four|Five|Ten|Hundreds|Thousands|Dozens|Millions|First
Second|Third|Finally|True|Besides|Like|Unlike|Officials|Police|Please|Let
""")
"""Capitalised only because they start a sentence; dropped at the start of a run."""

NEVER = _words("""
I|I'm|I'd|I've|OK|He|She|It|We|You|They|Me|Him|Us|Them|His|Its|Our|Your|Their|My
January|February|March|April|May|June|July|August|September|October|November|December
Jan.|Feb.|Mar.|Apr.|Jun.|Jul.|Aug.|Sept.|Sep.|Oct.|Nov.|Dec.
Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday
""")
"""Capitalised tokens that are never (part of) a mention: the pronoun I, dates."""

SPEECH_VERBS = _words("said|says|told|added|argued|asked|testified|wrote|explained|insisted|noted")
"""A bare name right before one of these is taken for a person (``Redman said``)."""

ORG_STAFF = _words("""
chairman|chairwoman|spokesman|spokeswoman|director|executive|executives|ceo|administrator
official|officials|employee|employees|analyst|analysts|founder|shareholders|shares|stock
""")
"""Lower-cased words after an unknown name that make it an ORG (``Zentrix chairman``)."""

OF_HEADS = (
    ORG_WORDS
    | LOC_FIRST
    | _words("Palace|Statue|City|Sea|District|States|Commonwealth|Duke|Hall|Friends|Sons|Bay")
)
"""Tokens after which ``of`` may continue a name (``Bank of America``, ``City of London``)."""
