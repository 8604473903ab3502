"""Stance cues in six languages: who speaks in a clause, what it supports or opposes, and which words negate it.

Lexicons list the positive form of each cue only; a negation shortly before a cue flips it, so "do not support"
opposes and "do not oppose" supports (double negation) without a second list to keep in step. A negated belief
verb ("we do not believe", "nous ne pensons pas") flips every cue after it in the clause, as a reader would.

Latin, Cyrillic and Arabic cues match whole words (an Arabic word may carry the conjunction و or ف); Chinese cues
match anywhere, since Chinese has no spaces, and the negation must stand just before them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

SUPPORT, OPPOSE, NEUTRAL = "support", "oppose", "neutral"

# Strong cues: a verb or phrase of taking a side. (Lower-case; "|" separates entries.)
_SUPPORT_STRONG = (
    # en
    "support|supports|supported|supporting|favour|favor|favours|favors|in favour of|in favor of|endorse|endorses|"
    "endorsed|advocate|advocates|propose|proposes|proposed|call for|calls for|calling for|urge|urges|recommend|"
    "recommends|welcome|welcomes|championed|champion|champions|argue for|argues for|press for|"
    "are committed to|is committed to|agree with|we want|wants|we ask|ask that|request that|encourage|insist|"
    "no objection|have no objection|applaud|applauds|commend|commends|concur|concurs|we agree|agree that|agrees that|"
    "we appreciate|appreciates the|call on|calls on|called on|calling on|we call upon|calls upon|asks|asked|"
    "we wish|wish to see|we intend|intends to|we back|backs|would back|will back|stand behind|stands behind|"
    "deserves serious consideration|deserves consideration|merits consideration|merits serious consideration|"
    "worth considering|worth exploring|could back|can back|back an|back a|back the|accept|accepts|would accept|"
    # "Oui au logiciel libre", "yes to a fund".
    "yes to|oui à|oui au|oui aux|sí a la|sí al|sí a los|sí a las|"
    "acceptons|accepte|accepterons|accepterions|aceptaremos|принять|примем|приняли бы|接受|نقبل|سنقبل|"
    "мы за|я за|أؤيد|أدعم|أؤيده|أدعمه|"
    "دراسة جادة|دراسةً جادة|"
    # Withdrawn objections: the speaker now accepts.
    "withdraws its reservations|withdrew its reservations|withdraws its earlier reservations|"
    "withdrew its earlier reservations|withdraw our reservations|withdraws its objection|withdrew its objection|"
    "lifts its objection|lifted its objection|drops its objection|dropped its objection|"
    "retire ses réserves|a retiré ses réserves|retirons nos réserves|lève ses objections|a levé ses objections|"
    "retira sus reservas|retiró sus reservas|retiramos nuestras reservas|levanta sus objeciones|"
    "сняла свои возражения|снял свои возражения|сняли свои возражения|снимаем свои возражения|снимает возражения|"
    "撤回了|撤回|سحبت تحفظاتها|سحب تحفظاته|نسحب تحفظاتنا|سحبت اعتراضها|"
    # fr
    "soutenons|soutient|soutenir|soutien|appuyons|appuie|appuyer|favorables|favorable|plaidons|plaide|proposons|"
    "propose|préconisons|préconise|recommandons|recommande|demandons|demande|appelons|appelle à|appelons à|"
    "encourageons|sommes pour|se prononce pour|nous prononçons pour|appuierions|appuierons|"
    "soutiendrons|soutiendrions|réclament|réclame|réclamons|exigeons|contribuerait|contribuerions|"
    "aucune objection|défendons|plaident|plaidé|proposent|proposé|préconisent|recommandent|demandent|appellent à|"
    "appuient|appuiera|appuieront|appuierait|appuieraient|appuyons|soutiennent|soutiendra|soutiendront|"
    "soutiendrait|soutiendraient|souhaitons|souhaite|souhaitent|entendons|exigent|réclamer|prônons|prône|prônent|"
    "approuvons|approuve|approuvent|favorisons|pas d'inconvénient|aucun inconvénient|mérite d'être examinée|"
    "mérite d'être examiné|mérite un examen|mérite considération|souscrire|souscrivons|souscrit|"
    "ne voyons pas d'inconvénient|ne voit pas d'inconvénient|n'y voyons pas d'inconvénient|no vemos inconveniente|"
    "ne verrions pas d'inconvénient|ne verrait pas d'inconvénient|n'y verrions pas d'inconvénient|"
    # Denied unreasonableness, and not ruling out: "it is not unreasonable to", "no descarta aceptar".
    "not unreasonable|pas déraisonnable|no es descabellado|no sería descabellado|не лишено смысла|不无道理|"
    "does not rule out|do not rule out|n'exclut pas|n'excluons pas|no descarta|no descartamos|не исключает|"
    "не исключаем|不排除|لا نستبعد|لا يستبعد|"
    "acceptons|accepterions|accepterons|accepter|"
    "no vemos ningún inconveniente|не видим препятствий|не видим возражений|"
    # es
    "apoyamos|apoya|apoyar|respaldamos|respalda|proponemos|propone|abogamos|aboga|pedimos|pide|solicitamos|"
    "recomendamos|recomienda|instamos|a favor de|favorecemos|defendemos|promovemos|apoyaríamos|respaldaríamos|"
    "apoyaremos|contribuiríamos|piden|exigimos|ninguna objeción|apoyan|apoyará|apoyaría|apoyarán|apoyarían|"
    "respaldan|respaldará|respaldaría|respaldarán|respaldarían|proponen|propuso|propusieron|abogan|reclaman|"
    "reclama|reclamamos|recomiendan|instan|insta|defienden|defiende|promueven|promueve|deseamos|desea|"
    "pretendemos|solicitan|solicita|ningún inconveniente|merece consideración|merece una seria consideración|"
    "merece ser considerada|merece ser considerado|merece estudiarse|respaldar|apoyarla|apoyarlo|apoyarlas|"
    "apoyarlos|respaldarla|respaldarlo|respaldarlas|respaldarlos|aceptar|aceptaríamos|aceptamos|"
    # ru
    "поддерживаем|поддерживает|поддержать|поддержка|предлагаем|предлагает|выступаем за|выступает за|"
    "призываем|призывает|рекомендуем|рекомендует|настаиваем|настаивает|одобряем|одобряет|за создание|"
    "ратуем|просим|призывают|предлагают|поддерживают|выступают за|настаивают|"
    "поддержали бы|поддержим|поддержали|требуем|внесём вклад|поддерживаю|поддержит|поддержат|поддержал бы|"
    "поддержала бы|предложили|предложил|предложила|предлагаю|призвали|призвал|призвала|выступили за|"
    "рекомендуют|одобряют|хотим|хотели бы|желаем|намерены|намерен|намерена|собираемся|"
    "заслуживает рассмотрения|заслуживает серьёзного рассмотрения|заслуживает серьезного рассмотрения|"
    "заслуживает внимания|заслуживает поддержки|поддержало бы|согласиться на|согласимся на|"
    "сняла свои возражения против|снял свои возражения против|сняли свои возражения против|"
    # zh
    "支持|赞成|主张|建议|呼吁|提议|提出|倡议|倡导|赞同|拥护|希望|要求|坚持|愿意|值得认真考虑|值得考虑|值得研究|"
    "打算|"
    # ar
    "نؤيد|يؤيد|تؤيد|ندعم|يدعم|تدعم|نقترح|يقترح|تقترح|ندعو|يدعو|تدعو|نوصي|يوصي|توصي|نطالب|يطالب|تطالب|نحث|"
    "يحث|تحث|نشجع|نساند|لصالح|نرحب|يرحب|ترحب|سنؤيد|سندعم|سنسهم|نؤيده|ندعمه|ستؤيد|سيؤيد|ستدعم|سيدعم|يؤيدون|"
    "يدعون|يطالبون|يقترحون|تأييد|نود|نرغب|ننوي|نعتزم|لا مانع|تستحق الدراسة|تستحق النظر|يستحق الدراسة|"
    "يستحق النظر|جديرة بالدراسة|جدير بالدراسة|"
    "تستحق مزيدًا من الاهتمام|تستحق مزيدا من الاهتمام|يستحق مزيدا من الاهتمام|deserves more attention|"
    "deserve more attention|mérite davantage d'attention|mérite plus d'attention|merece más atención|"
    "заслуживает большего внимания|值得更多关注"
)
# Weak cues: necessity and obligation. They take a side on what the clause is about, so they count only where
# the whole clause is close to the position.
_SUPPORT_WEAK = (
    "should|must|need|needs|needed|necessary|essential|important|needs to|have to|has to|require|requires|"
    "demand|demands|exige|exigent|impose|imposent|s'impose|s'imposent|se impone|se imponen|exigen|требуют|"
    "требует|تشترط|يشترط|"
    "doit|devrait|devraient|doivent|faut|nécessaire|indispensable|essentiel|besoin|"
    "debe|deberían|debería|deben|necesario|necesaria|necesidad|imprescindible|esencial|hace falta|hacen falta|"
    "necesitan|necesita|necesitamos|hay que|habría que|tenemos que|tienen que|"
    "должен|должна|должно|должны|следует|необходимо|необходим|необходима|необходимости|нужно|нужен|нужна|важно|"
    "应当|应该|应|必须|需要|必要|有必要|亟需|急需|势在必行|"
    "يجب|ينبغي|ضروري|ضرورة|بحاجة|حاجة|يتعين|لا بد|لابد|نحتاج|تحتاج"
)
# Evaluations: what is valuable is supported, what is harmful opposed, where the whole clause is about it (as
# necessities are: "creation of a data service holds excellent value", "these changes are shameful and cruel").
_SUPPORT_EVALUATIVE = (
    "the right decision|the right choice|the right thing to do|la bonne décision|la bonne voie|le bon choix|"
    "la decisión correcta|la decisión acertada|правильное решение|正确的决定|正确的选择|القرار الصحيح|قرار صائب|"
    # What it would do, good: "X would finally give small countries a voice", "mettraient fin aux conflits".
    "would allow|would enable|would finally|would help|would strengthen|would improve|would serve|would let|"
    "could finally|permettrait|permettraient|renforcerait|aiderait|servirait|serviraient|saurait enfin|"
    "comprendraient enfin|pourrait enfin|pourraient enfin|permitiría|permitirían|ayudaría|fortalecería|serviría|"
    "podría por fin|podrían por fin|позволит|позволило бы|позволили бы|поможет|помогло бы|укрепит|наконец дал бы|"
    "наконец дало бы|наконец позволил бы|将使|有助于|能够让|将有助于|终于|سيتيح|من شأن|يتيح|سيساعد|سيعزز|"
    "no alternative to|pas d'alternative à|aucune alternative|no hay alternativa|нет альтернативы|别无选择|لا بديل عن|"
    "valuable|beneficial|useful|helpful|excellent|commendable|step forward|right direction|sound starting point|"
    "good idea|great idea|"
    # Denied opposition or fault, as one phrase: "we are not against", "не вижу ничего плохого в том".
    "not against|n't against|nothing wrong with|no problem with|ne sommes pas contre|ne suis pas contre|"
    "rien de mal à|no estamos en contra|no estoy en contra|nada descabellado|не вижу ничего плохого|"
    "не видим ничего плохого|没什么不好|没有什么不好|لا مانع من|لا أرى مانعا|لا نرى مانعا|"
    "precious|utile|utiles|bénéfique|bénéfiques|précieux|précieuse|bonne direction|"
    "útil|útiles|beneficioso|beneficiosa|valioso|valiosa|buena idea|dirección correcta|"
    "полезно|полезным|полезный|полезна|ценным|ценный|шаг вперёд|шаг вперед|правильном направлении|"
    "有益|有用|宝贵|正确方向|"
    "مفيد|مفيدة|قيّم|قيمة مضافة|الاتجاه الصحيح|"
    # The only way out: the speaker rules out every alternative to it.
    "only way|only path|only solution|only option|only answer|only realistic|only viable|seule voie|seule issue|"
    "seule solution|seule option|seul moyen|única salida|única vía|única solución|única opción|único camino|"
    "единственный выход|единственный путь|единственное решение|единственный способ|唯一出路|唯一途径|唯一办法|"
    "唯一的出路|唯一的办法|唯一选择|المخرج الوحيد|السبيل الوحيد|الحل الوحيد|الطريق الوحيد"
)
# The status quo, judged: what exists already suffices (an argument against anything new: "AI is already covered by
# existing law"), or falls short (an argument for it). On an assessment ("spam is not adequately addressed") they
# agree or disagree with the statement itself: see ``stance.StanceDetector._vote``.
_SUFFICIENT = (
    "already covered|already addressed|already subject to|already regulated|already exists|already exist|"
    "is sufficient|are sufficient|déjà couvert|déjà couverte|déjà couverts|suffisant|suffisante|suffisants|"
    "ya cubierto|ya cubierta|ya regulado|es suficiente|son suficientes|уже охвачен|уже охвачены|уже регулируется|"
    "достаточно|已经涵盖|已涵盖|已经足够|مشمولة بالفعل|كافية|"
    "has been solved|have been solved|is solved|been resolved|work well|works well|are working|already work|"
    "déjà bien encadrée|déjà bien encadré|bien encadrée|bien encadré|été résolu|été résolue|est résolu|"
    "fonctionnent|fonctionne bien|está resuelto|está resuelta|ha sido resuelto|funcionan|funcionan bien|решена|"
    "решён|решен|решены|работают|хорошо работают|已经解决|得到解决|行之有效|حُلّت|حلت|تعمل بشكل جيد|فعالة|"
    # Adverbs of adequacy: denied, they judge what exists insufficient ("aucun cadre ne couvre ... de manière
    # satisfaisante").
    "adequately|satisfactorily|de manière satisfaisante|de façon satisfaisante|adéquatement|"
    "de manière adéquate|adecuadamente|de manera satisfactoria|de forma adecuada|надлежащим образом|"
    "удовлетворительно|妥善|بشكل كاف|بشكل كافٍ|بصورة كافية|должного|должной|должным образом|correctement|"
    "already protect|already protects|already guarantee|already guarantees|already safeguard|protègent déjà|"
    "protège déjà|garantissent déjà|ya protegen|ya protege|ya garantizan|уже защищают|уже обеспечивают|充分的保护|"
    "充分保护|ضمانات كافية|فعالًا|فعالا|справляются|справляется|足以满足|足以|cumplen bien|cumplen su función|"
    "remplissent leur rôle|remplissent bien|fulfil their role|fulfill their role|work fine|運作良好|运作良好|"
    "تؤدي دورها|справляются со своей задачей"
)
_INADEQUATE = (
    "inadequate|inadéquat|inadéquate|inadéquats|inadéquates|inadecuado|inadecuada|inadecuados|inadecuadas|"
    "неадекватны|неадекватна|неадекватен|insufficient|not sufficient|not enough|fall short|falls short|fail to|"
    "fails to|unable to cope|"
    "not up to|leave gaps|leaves gaps|gaps|loopholes|insuffisant|insuffisante|insuffisants|insuffisantes|lacunes|"
    "lacunaire|ne suffit pas|ne suffisent pas|laissent passer|inadapté|inadaptés|inadaptée|insuficiente|déficient|"
    "déficiente|déficients|déficientes|"
    "insuficientes|no están a la altura|no está a la altura|no bastan|no basta|lagunas|deficiente|deficientes|"
    "sin recibir una respuesta adecuada|недостаточно|недостаточны|недостаточен|не справляются|не справляется|"
    "пробелы|不足以|不够|远远不够|无法应对|难以应对|存在漏洞|漏洞|قاصرة|قاصر|غير كافية|غير كاف|عاجزة|عاجز|ثغرات|"
    "neglected|left unaddressed|unaddressed|laissée à l'abandon|laissé à l'abandon|délaissée|délaissé|desatendida|"
    "desatendido|abandonada|без внимания|заброшена|被忽视|无人处理|未得到解决|没有得到解决|得不到解决|مهملة|مهمل|"
    "has failed|have failed|plainly failed|not up to the task|a échoué|ont échoué|ha fracasado|han fracasado|"
    "провалились|потерпели неудачу|已经失败|فشلت|no están logrando|no logran|no consiguen|n'arrivent pas|"
    "ne parviennent pas|are not managing|do not manage|не удается|не удаётся|未能|لا تنجح|لم تنجح|"
    "lacks protection|lack protection|unprotected|sans protection|privée de protection|desprotegida|desprotegido|"
    "sin protección|лишена защиты|лишены защиты|без защиты|缺乏保护|得不到保护|تفتقر إلى الحماية|تفتقر|بلا حماية"
)
_OPPOSE_EVALUATIVE = (
    # What it would do, harmful: "X would sideline the technical community", "se convertiría en un instrumento".
    "sideline|sidelines|fragment|fragments|endanger|endangers|threaten|threatens|weaken|weakens|crowd out|"
    "waste of|bureaucracy|bureaucratic|politicise|politicize|stifle|stifles|marginalise|marginalize|fragmenterait|"
    "menacerait|affaiblirait|marginaliserait|bureaucratie|bureaucratique|gaspillage|alourdirait|fragmentaría|"
    "debilitaría|amenazaría|desplazaría|burocracia|burocrático|despilfarro|politizaría|раздробит|раздробило бы|"
    "ослабит|ослабило бы|под угрозу|бюрократию|бюрократией|инструмент давления|削弱|分裂|碎片化|威胁|官僚|浪费|"
    "تهدد|ستضعف|يضعف|تفتيت|بيروقراطية|هدر|"
    # "... before proposing any new regulation": not now, so not this.
    "before proposing|before adopting|before introducing|before suggesting|before creating|before establishing|"
    "avant de proposer|avant d'adopter|avant de créer|avant d'introduire|antes de proponer|antes de adoptar|"
    "antes de crear|прежде чем предлагать|прежде чем создавать|прежде чем вводить|قبل اقتراح|قبل إنشاء|قبل اعتماد|"
    "harmful|disastrous|shameful|cruel|flawed|dangerous|misguided|bad idea|heartless|humiliating|inhibitor|"
    "burdensome|néfaste|néfastes|dangereux|dangereuse|désastreux|désastreuse|nocif|nocive|mauvaise idée|"
    "perjudicial|perjudiciales|desastroso|desastrosa|peligroso|peligrosa|dañino|dañina|mala idea|"
    "вредно|вредным|вредный|вредна|опасно|опасным|опасный|опасна|катастрофическим|ошибочным|"
    "有害|危险|灾难性|错误的|"
    "wrong instrument|wrong approach|wrong tool|wrong answer|step backwards|step backward|mauvais instrument|"
    "mauvaise réponse|un retroceso|ошибочно|шагом назад|失误|错误|倒退|خطأ|خطأً|غلطة|خطوة إلى الوراء|"
    "ضار|ضارة|خطير|خطيرة|كارثي|كارثية|"
    # Foolish: denied, the litotes of approval ("il ne serait pas absurde de", "no sería ninguna tontería").
    "absurd|unreasonable|foolish|silly|absurde|déraisonnable|insensé|absurdo|absurda|descabellado|descabellada|"
    "tontería|disparate|insensato|абсурдно|абсурдным|неразумно|неразумным|глупо|глупостью|荒谬|不合理|坏主意|馊主意|"
    "فكرة سيئة|سخيف|سخيفة|غير معقول"
)
# A request: the speaker asks for what the clause says ("Please reinstate the work requirement", "it is time to").
_REQUEST = (
    "please|kindly|it is time to|it's time to|time to|i am asking|we are asking|i'm asking|asking you to|"
    "i demand|we demand|i am for|we are for|"
    # Citizens' comments: "make it the law pls", "24 horas y multa ya".
    "pls|plz|stp|svp|porfa|плиз|"
    "s'il vous plaît|veuillez|il est temps de|por favor|es hora de|ya es hora|пожалуйста|пора|пусть|"
    "请|是时候|"
    "يرجى|نرجو|حان الوقت"
)
# English puts a request's verb first: "Reinstate work requirements for food stamps." (a unit that opens with one).
_ONLY = re.compile(
    r"^[\W\d]*(?:(?:but|yet|and|mais|et|pero|y|но|и|а|و)\s+)?(only|solo|sólo|solamente|únicamente|seul|seule|seuls|"
    r"seules|только|лишь|唯有|只有)(?!\w)",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^[\W\d]*(reinstate|re-instate|reinstitute|restore|require|limit|restrict|establish|create|make|add|expand|"
    r"fund|ensure|allow|give|put|get|start|keep|adopt|introduce|implement|reform|reduce|increase|provide|build|"
    r"enforce|mandate|tighten|strengthen|continue|develop|protect|prioriti[sz]e|incentivi[sz]e|authori[sz]e|invest|"
    r"stop|end|eliminate|abolish|ban|prohibit|remove|repeal|cut|let|bring|return|raise|lower|extend|set up)(?!\w)",
    re.IGNORECASE,
)

_OPPOSE_STRONG = (
    # en
    # "against" alone is no stance in this domain ("a framework against spam", "action against cybercrime").
    "oppose|opposes|opposed|opposing|object to|objects to|reject|rejects|rejected|are against|is against|"
    "stand against|argue against|argues against|vote against|caution against|"
    "cautions against|warn against|warns against|resist|resists|disagree|disagrees|unnecessary|"
    "counterproductive|a mistake|would be a mistake|grave mistake|serious mistake|big mistake|"
    "cannot back|can't back|will not back|won't back|would not back|do not back|does not back|"
    "not sure that|not sure whether|pas sûrs que|pas certains que|no estamos seguros|не уверены|不确定|"
    "لسنا متأكدين|لسنا على يقين|أعارض|أرفض|أعارضه|أرفضه|"
    "une faute|une erreur|grave erreur|un error|un grave error|un desacierto|una equivocación|ошибкой|ошибка|"
    "是错误的|将是错误|一个错误|not convinced|are sceptical|are skeptical|doubt|doubts|"
    "have reservations|concerns about|would duplicate|duplicate|duplicating|premature|undermine|undermines|"
    # fr
    "opposons|oppose|opposés|opposée|opposé|nous opposons|rejetons|rejette|refusons|refuse|sommes contre|est contre|"
    "mettons en garde|met en garde|mise en garde|inutile|superflu|superflue|prématuré|prématurée|"
    "réserves|sceptiques|doutons|craignons|quelques doutes|doutes sur|doutes quant|doublon|faire double emploi|"
    "réservés quant|réservé quant|"
    "réservée quant|réservées quant|sommes réservés|restons réservés|non à|non au|non aux|"
    # es
    "opposerons|opposerions|opposera|opposeraient|double emploi|avons des doutes|des doutes|objections|"
    "reservations|objection|保留意见|异议|اعتراضها|اعتراضه|تحفظاتها|تحفظاته|оговорки|objeciones|"
    "nos oponemos|se opone|oponemos|rechazamos|rechaza|en contra|advertimos contra|advertimos|innecesario|"
    "nos opondremos|nos opondríamos|se opondrá|dudas|tenemos dudas|"
    "innecesaria|duplicaría|duplicar|prematuro|escépticos|dudamos|reservas|"
    # ru
    "выступаем против|выступает против|против|возражаем|возражает|отвергаем|отвергает|отклоняем|"
    "излишним|излишний|излишне|излишен|излишна|преждевременным|преждевременно|преждевременна|преждевременной|дублировать|дублирование|сомневаемся|"
    "предостерегаем|предостерегает|сомнения|есть сомнения|возражаем против|возражает против|возражают против|"
    "возражать против|возражения против|возражений против|не считает нужным|не считаем нужным|не считают нужным|"
    "не видит оснований|не видим оснований|не видят оснований|не видим причин|не видит причин|"
    # zh
    "反对|拒绝|不赞成|不赞同|警惕|多余|重复|过早|质疑|疑虑|担忧|不必要|无需|无须|怀疑|操之过急|为时过早|"
    # ar
    "نعارض|يعارض|تعارض|نرفض|يرفض|ترفض|نحذر|يحذر|تحذر|نقف ضد|معارضة|معارضتنا|غير ضروري|ازدواجية|سابق لأوانه|"
    "سابقاً لأوانه|سابقا لأوانه|نتحفظ|تحفظات|غير ضرورية|غير ضروريين|نعترض|يعترض|تعترض|اعتراض|شكوك|لدينا شكوك|نشك"
)
# The speaker takes no side, or only notes what was said.
_NEUTRAL = (
    "take no position|takes no position|no position|no view|neutral|no opinion|do not take a position|"
    "take note|takes note|note that|notes that|noted that|we note|are aware|remain open|open to|"
    "ne prenons pas position|sans prendre position|prenons acte|prend acte|notons|note que|constatons|neutre|"
    "no tomamos posición|sin tomar posición|tomamos nota|toma nota|observamos|neutral|"
    "не занимаем позиции|не занимает позиции|принимаем к сведению|отмечаем|отмечает|нейтральн|"
    "不持立场|不表态|不表明立场|暂不表明|注意到|留意到|保持中立|持中立|中立立场|中立态度|保留意见|尚未形成|未表态|"
    "reserve our judgement|reserve our judgment|reserve judgement|not yet formed|have not formed|"
    "réservons notre appréciation|réservons notre position|ne se prononce pas|ne nous prononçons pas|"
    "reservamos nuestra opinión|reservamos nuestra posición|no se pronuncia|no nos pronunciamos|"
    "воздерживаемся|не высказывается|пока не определились|"
    "لا نتخذ موقفا|لا نتخذ موقفاً|نحيط علما|نحيط علماً|نلاحظ|يلاحظ|محايد"
)
# Others speak: a reported proposal is not the speaker's.
_REPORTED = (
    "it was proposed|it has been proposed|it was suggested|has been suggested|proponents|critics|supporters|"
    "one view|another view|argues that|argued that|argue that|claims that|claimed that|has recommended|"
    "have recommended|had recommended|recommended the creation|recommended that|was recommended|were recommended|"
    "has proposed|had proposed|was proposed|were proposed|envisioned|envisaged|"
    "a été proposé|ont proposé|ont suggéré|partisans|a recommandé|ont recommandé|"
    "se ha propuesto|se propuso|partidarios|recomendó|recomendaron|propuso|propusieron|"
    "предлагалось|было предложено|сторонники|рекомендовала|рекомендовал|рекомендовали|предложила|предложили|"
    "有人|另一些|有的|"
    "اقترح البعض|أنصار|أوصت|أوصى|اقترحت|"
    "the report mentions|mentions that|the summary|recalled the proposal|recalled that|le rapport|mentionne que|"
    "a rappelé|rappelle la proposition|el informe|menciona que|recordó|в докладе|упоминается|напомнил|напомнила|"
    "指出|提到|提及|表示|提出|据报告|报告称|综述|概述|ذكر التقرير|يذكر|أشار|أشارت|ذكّر|ذكرت|"
    # Verbs of saying with someone else as subject ("Landlords claim that", "a déclaré à la presse que"); with
    # "we" as their subject the clause stays the speaker's (``first_person``).
    "claim that|say that|says that|said that|told the|stated that|insist that|insists that|maintain that|"
    "maintains that|contend that|contends that|a déclaré|ont déclaré|affirme que|affirment que|a affirmé|"
    "ont affirmé|assure que|assurent que|prétend que|prétendent que|dit que|disent que|afirma que|afirman que|"
    "afirmó que|declaró|declararon|dicen que|dice que|sostiene que|sostienen que|asegura que|aseguran que|"
    "заявил|заявила|заявили|утверждает|утверждают|уверяет|уверяют|считают|声称|宣称|"
    "يقول|تقول|يقولون|صرح|صرّح|يزعم|تزعم|يزعمون"
)
# Others, when they are the subject of a cue or of a verb of saying ("some argue", "others call for", "certains
# réclament"); alone they are only quantifiers ("many jobs go unfilled", "the first AI regulation").
# Other people named as a group by a quantifier ("others", "some", "certains", "некоторые"): a speaker's "we" after
# them sets the speaker apart (``stance_text.speaker_turn``).
_OTHERS_NAMED = (
    "others|some|several|many|certain|d'autres|certains|certaines|plusieurs|d'aucuns|otros|otras|algunos|algunas|"
    "varios|varias|hay quien|hay quienes|другие|некоторые|одни|многие|البعض|بعض|آخرون"
)
_OTHERS_NAMED_ZH = "有人|一些|若干|部分"
_OTHERS = (
    _OTHERS_NAMED + "|other participants|other delegations|one delegation|a number of|some participants|they|"
    "the other|the first|beaucoup|l'autre|l'une|les uns|les autres|muchos|ряд|"
    "الآخرين|آخرين|عدد من|كثيرون|وفود|عدة|delegations|délégations|delegaciones|делегации|"
    "speakers|orateurs|oradores|ораторы|participants|participantes|участники|contributors|contributeurs|"
    "proponents|partisans|d'aucuns|aucuns|those who|ceux qui|celles qui|quienes|los que|те, кто|тех, кто|那些|"
    "الذين|من يطالبون"
)
_OTHERS_ZH = "一些|某些|部分|其他|不少|许多|若干|有代表|有些|有国家|有的"
_SAYING = (
    "argue|argued|argues|say|said|says|claim|claimed|claims|suggest|suggested|suggests|maintain|maintained|contend|"
    "believe|believed|think|thought|consider|considered|feel|felt|hold|held|view|want|wanted|"
    "affirment|estiment|pensent|considèrent|soutiennent|soutenu|disent|prétendent|"
    "afirman|consideran|creen|dicen|sostienen|opinan|"
    "считают|утверждают|полагают|говорят|думают|"
    "认为|主张|表示|声称|"
    "يرى|يرون|يعتقد|يعتقدون|يقول|يقولون|"
    "قال|قالت|قالوا|stated|state that|states that|declared|asserted|déclaré|ont déclaré|affirmé|ont affirmé|"
    "estimé|afirmaron|afirmó|"
    "declararon|sostuvieron|заявил|заявили|заявила|заявляют|утверждали|صرح|صرحت|أعلن|أكد|أكدت|ذكر"
)
_FIRST_PERSON = (
    "we|our|us|i|my|nous|notre|nos|je|nosotros|nosotras|nuestro|nuestra|nuestros|yo|"
    "мы|наш|наша|наше|наши|нас|я|我们|我国|本组织|我方|我|نحن|إننا|فإننا|لدينا|نرى|نعتقد|لكننا|أننا|"
    "نؤيد|ندعم|نقترح|ندعو|نرفض|نعارض|نحذر|نطالب|نوصي|نشجع|نلاحظ|نحيط|نتفق|نوافق|نشاطر|نعتبر|نؤكد|نود|نأمل"
)
# Courtesy: welcoming the consultation or thanking the chair takes no side on anything in the codebook.
_COURTESY = (
    "welcome this|welcomes this|welcome the opportunity|welcomes the opportunity|thank|thanks|grateful|"
    "salue cette|saluons cette|remercie|remercions|agradece|agradecemos|acoge con satisfacción esta|"
    "благодарит|благодарим|приветствует эту|приветствуем эту|感谢|谢谢|欢迎这次|نشكر|يشكر|تشكر|نرحب بهذه|ترحب بهذه|"
    "يرحب بهذه|welcomes the consultation|welcome the consultation|welcomes the possibility|welcome the possibility|"
    "appreciates the opportunity|appreciate the opportunity|salue l'occasion|se félicite de l'occasion|"
    "agradece la oportunidad|приветствует возможность|ترحب بالفرصة|يرحب بالفرصة"
)
# A condition on the thing itself ("if an NSDS is created, it should ..."): what follows is about its design, and the
# speaker takes no side on whether to have it.
_HYPOTHETICAL = re.compile(
    r"(?<!\w)(?:if|once|whether|regardless of whether)\s+(?:\S+\s+){0,8}?(?:is|are|was|were|be|gets?)\s+"
    r"(?:eventually\s+|ever\s+|actually\s+|ultimately\s+)?(?:created|built|established|adopted|set up|introduced|"
    r"formed|implemented)(?!\w)|(?<!\w)if (?:created|established|adopted|built)(?!\w)"
    r"|(?<!\w)si\s+(?:\S+\s+){0,8}?(?:est|était|sont|étaient)\s+(?:créée?s?|mise?s? en place|adoptée?s?|"
    r"établie?s?)(?!\w)|(?<!\w)(?:si|cuando)\s+(?:[\w-]+\s+){0,8}?se\s+(?:crea|establece|adopta|creara|estableciera)"
    r"(?!\w)|en caso de que se (?:cree|establezca|adopte)|(?<!\w)если\s+(?:\w+\s+){0,6}?(?:будет|будут)\s+"
    r"(?:создан|создана|созданы|учрежден|учреждена|принят|принята)(?!\w)|(?:如果|一旦|若)(?:设立|建立|成立|设立了)"
    r"|(?:إذا|في حال)\s+(?:تم|ما تم)?\s*إنشاء",
    re.IGNORECASE,
)
# Words that look like cues and are not: "X as opposed to Y", "please find attached", "please note".
_NOT_CUES = (
    # "Respaldamos sin reservas": unreservedly, no reservation at all.
    "without reservation|without reservations|sans réserve|sans réserves|sin reservas|sin reserva|без оговорок|"
    "毫无保留|دون تحفظ|بلا تحفظ|"
    "as opposed to|please find|please see|please note|please refer|please contact|please let|par opposition à|"
    # "soutenir que" argues a claim; it supports nothing ("certains ont soutenu que ...").
    "soutenu que|soutient que|soutiennent que|soutenons que|soutenait que|soutenaient que|soutenir que|"
    # "se apoye en", "s'appuie sur": rests on, relies on.
    "se apoye en|se apoya en|se apoyan en|se apoyen en|apoyarse en|apoyándose en|se apoyará en|"
    "s'appuie sur|s'appuyer sur|s'appuient sur|s'appuyant sur|s'appuiera sur|s'appuierait sur|"
    # A proposal named as a thing: "在联合国设立...机构的建议有其可取之处".
    "的建议|的提议|该建议|这一建议|这项建议|此项建议|各种提议|各项提议|各种建议|这些建议|这些提议|应用|相应|适应|反应|供应|应急|响应|对应|"
    "veuillez trouver|veuillez noter|a diferencia de|en contraposición a|в отличие от|而不是|请参阅|بدلا من|بدلاً من|"
    # A wish to speak is no wish for anything in the codebook: "souhaite appeler l'attention sur ...".
    "wish to draw|wishes to draw|wish to recall|wishes to recall|wish to stress|wishes to stress|wish to emphasize|"
    "wish to emphasise|wish to highlight|wish to note|souhaite appeler|souhaitons appeler|souhaite attirer|"
    "souhaitons attirer|souhaite souligner|souhaitons souligner|souhaite rappeler|souhaitons rappeler|"
    "desea señalar|deseamos señalar|desea llamar|deseamos llamar|desea subrayar|deseamos subrayar|"
    "desea destacar|deseamos destacar|хотим подчеркнуть|хотели бы подчеркнуть|хотим обратить|"
    "хотели бы обратить|хотим напомнить|نود أن نشير|نود التأكيد|نود أن نؤكد|نود أن نلفت"
)
# "There is no reason ... not": a denied reason flips what follows, as a denied belief does.
_NO_REASON = (
    "no reason|no logical reason|no good reason|aucune raison|no hay razón|no hay ninguna razón|нет причин|"
    "нет никаких причин|没有理由|لا يوجد سبب|لا سبب|لا أرى داعيا|لا أرى داعياً|لا نرى داعيا|لا نرى داعياً|لا داعي|"
    # "It is not true that the problem has been solved": a denied claim flips what it claims.
    "not true that|not the case that|wrong to think|wrong to say|pas vrai que|faux de croire|faux de dire|"
    "no es cierto que|no es verdad que|es falso que|неверно|неправда|неправильно думать|不是真的|并非如此|"
    "ليس صحيحا|ليس صحيحًا|ليس صحيحاً|من الخطأ|cannot be said|on ne peut pas dire|no se puede decir|нельзя сказать|"
    "不能说|لا يمكن القول|ningún motivo|motivo alguno|ninguna razón|razón alguna|никаких оснований|нет оснований|"
    "لا نرى سببا|لا نرى سببًا|لا مبرر"
)
# The speaker reports what it heard: "we have heard calls for X" is not the speaker's call.
# Withdrawing a reservation or an objection accepts what it was about: "Brevonia withdraws its reservations about X",
# "سحبت بريفونيا تحفظاتها على".
_WITHDRAW = (
    "withdraw|withdraws|withdrew|withdrawn|lift|lifts|lifted|drop|drops|dropped|retire|retiré|retirons|lève|levé|"
    "retira|retiró|retiramos|levanta|levantó|сняла|снял|сняли|снимаем|снимает|отзывает|отозвала|撤回|撤销|سحبت|سحب|"
    "نسحب|بسحب|رفعت|رفع|renoncer|renonce|renoncez|abandonner|abandon|scrap|desistir|abandonar|отказаться|放弃|التخلي"
)
# "No longer" denies the next cue however far it stands: "لم يعد الوفد يعترض على", "ya no se opone".
_NO_LONGER = "no longer|ne plus|n'est plus|ya no|больше не|уже не|不再|لم يعد|لم تعد|لم نعد"
# "La patronal ha dejado de oponerse", "мы прекратили выступать против": to stop opposing is to accept. Only the cue
# right after it: "el sistema dejó de funcionar y apoyamos ..." stops something else.
_STOPPED = (
    "stopped|ceased to|a cessé de|ont cessé de|cessé de|ha dejado de|han dejado de|dejó de|dejaron de|перестал|"
    "перестала|перестали|прекратил|прекратила|прекратили|توقف عن|توقفت عن|توقفنا عن|كف عن|كفت عن"
)
_HEARSAY = (
    # Someone else's view, by its source: "according to the minister, ...", "d'après un collectif, ...".
    "according to the|according to a|according to an|according to its|d'après le|d'après la|d'après les|"
    "d'après un|d'après une|selon le|selon la|selon les|selon un|selon une|según el|según la|según los|según las|"
    "según un|según una|по словам|据报道|据称|据悉|"
    "have heard|heard calls|we heard|were told|avons entendu|entendu des appels|hemos escuchado|hemos oído|"
    "мы слышали|прозвучали призывы|звучали призывы|听到|استمعنا|سمعنا"
)
# The speaker agrees or disagrees with what a neighbouring clause reported.
_AGREE = (
    "we agree|we share|share this view|we concur|rightly|souscrivons|partageons|sommes d'accord|à juste titre|"
    "estamos de acuerdo|compartimos|coincidimos|согласны|разделяем|同意|赞同这一|认同|نتفق|نوافق|نشاطر"
)
_DISAGREE = (
    "we disagree|we do not share|we cannot agree|we differ|do not agree|wrongly|ne partageons pas|"
    "ne sommes pas d'accord|no compartimos|no estamos de acuerdo|не согласны|не разделяем|不同意|不认同|"
    "لا نتفق|لا نوافق|لا نشاطر|the opposite|on the contrary|au contraire|le contraire|lo contrario|al contrario|"
    "наоборот|обратное|恰恰相反|相反|العكس|على العكس"
)
# Belief verbs: a negation before one scopes over the whole clause ("we do not believe X is needed").
_BELIEF = (
    "believe|think|consider|convinced|feel|see|pensons|croyons|estimons|considérons|convaincus|voyons|"
    "creemos|pensamos|consideramos|estimamos|convencidos|vemos|считаем|думаем|полагаем|убеждены|видим|"
    "认为|相信|觉得|看到|نرى|نعتقد|نعتبر|"
    # Agreeing with a view: denied, it denies the view ("we do not share the view that ...").
    "share the view|share the opinion|agree that|partageons l'avis|partageons le point de vue|partageons l'analyse|"
    "compartimos la opinión|compartimos la idea|compartimos el criterio|согласны с тем|разделяем мнение|"
    "认同|同意|نتفق مع الرأي|نشاطر الرأي"
)
# Doubt about what follows, with no negation needed: as a denied belief, it flips what follows in its clause
# ("I'm not sure automatic registration is a good idea", "Сомневаюсь, что плата ... заставит экономить воду").
_DOUBT = (
    "not sure|unsure|not certain|not convinced|we doubt|i doubt|doubt that|doubt whether|doubtful|sceptical that|"
    "skeptical that|pas sûr|pas sûrs|pas certain|pas certains|pas convaincu|pas convaincus|doute que|doutons que|"
    "no estoy seguro|no estoy segura|no estamos seguros|no estoy convencido|no estamos convencidos|dudo que|"
    "dudamos que|не уверен|не уверена|не уверены|не убежден|не убеждены|сомневаюсь|сомневаемся|"
    "不确定|不太确定|不能确定|没有把握|怀疑|"
    "لست متأكدا|لسنا متأكدين|لست مقتنعا|لسنا مقتنعين|غير مقتنعين|غير مقتنع|نشك|أشك"
)
_NEGATION = (
    "not|no|never|n't|cannot|can't|don't|doesn't|won't|wouldn't|nor|neither|hardly|"
    "ne|n'|pas|jamais|aucun|aucune|non|ni|"
    "no|nunca|jamás|tampoco|ni|ningún|ninguna|ninguno|"
    "не|нет|ни|никогда|отнюдь|"
    "لا|لم|لن|ليس|ليست|غير|عدم"
)
_FRENCH_SECOND = frozenset(["pas", "jamais", "aucun", "aucune", "plus", "point", "guère", "ni"])
_NEGATION_ZH = "没有|并非|无须|无需|不|没|未|无|非|别"
_CONDITION = (
    "if|provided|provided that|as long as|unless|on condition|only if|si|à condition|pourvu que|sauf si|"
    "siempre que|a condición|con tal de que|a menos que|если|при условии|лишь бы|如果|只要|前提|条件是|"
    "إذا|شريطة|بشرط|ما دام"
)
_CONTRAST_START = (
    "but|however|yet|instead|rather|mais|cependant|toutefois|en revanche|pourtant|pero|sin embargo|no obstante|"
    "но|однако|а|但|但是|然而|而|却|不过|لكن|ولكن|غير أن|إلا أن|أما"
)

CJK = re.compile(r"[\u3400-\u9fff]")
# "Instead of X, the council should Y", "Y rather than X", "与其X，不如Y": the speaker prefers something else to X.
# "Unlike those who call for X, we ...", "على عكس ...": the speaker sets itself apart from X.
# The marker governs X up to the next break (or "不如"); a cue after it speaks for the preferred thing, not for X.
_ALTERNATIVE = re.compile(
    r"(?<!\w)(?:instead of|rather than|in place of|plutôt que(?: de| d')?|au lieu de|au lieu d'|en lugar de|"
    r"en vez de|antes que|вместо того,? чтобы|вместо)(?!\w)|与其|而不是|而非|"
    r"(?<!\w)(?:بدلا من|بدلاً من|بدل أن|بدلا عن|عوضا عن|عوضاً عن)(?!\w)"
    # "Unlike those who call for X, we ...": the speaker sets X apart as plainly.
    r"|(?<!\w)(?:unlike|contrairement à|à la différence de|a diferencia de|al contrario de|в отличие от)(?!\w)"
    r"|不同于|有别于|(?<!\w)(?:خلافا ل|خلافاً ل|على عكس|على خلاف)",
    re.IGNORECASE,
)
_ALTERNATIVE_END = re.compile(r"[,;:，；：،؛]|(?:还)?不如")


def _alternation(entries: str) -> list[str]:
    words = sorted({w.strip() for w in entries.split("|") if w.strip()}, key=len, reverse=True)
    return words


class _Lexicon:
    """Whole-word phrase lookup over a clause's tokens (an Arabic word may carry و or ف before it), and a plain
    search for Chinese entries. A dictionary keyed by first word is many times faster than one regular expression
    with hundreds of alternatives, which the cue reading spent most of its time in."""

    def __init__(self, entries: str):
        words = _alternation(entries)
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        # "поддерж*": one word with any ending; a stem covers inflections no list of forms can.
        self.stems = tuple(w[:-1].lower() for w in words if w.endswith("*") and " " not in w)
        words = [w for w in words if not w.endswith("*")]
        for word in words:
            if CJK.search(word):
                continue
            tokens = tuple(_WORD.findall(word.lower()))
            if tokens:
                self.phrases.setdefault(tokens[0], []).append(tokens)
        for options in self.phrases.values():
            options.sort(key=len, reverse=True)
        cjk = [w for w in words if CJK.search(w)]
        self.cjk = re.compile("|".join(map(re.escape, cjk))) if cjk else None

    def spans(self, clause: str, tokens: list[tuple[str, int, int]], has_cjk: bool) -> list[tuple[int, int]]:
        found = []
        for i, (token, start, _) in enumerate(tokens):
            first, options = token, self.phrases.get(token)
            if options is None and _ARABIC.match(token):
                first, options = _arabic_lookup(token, self.phrases)
            if not options:
                continue
            for phrase in options:
                n = len(phrase)
                if (
                    i + n <= len(tokens)
                    and phrase[0] == first
                    and all(tokens[i + k][0] == phrase[k] for k in range(1, n))
                ):
                    found.append((start, tokens[i + n - 1][2]))
                    break
        if self.stems:
            covered = {a for a, _ in found}
            for i, (token, start, end) in enumerate(tokens):
                if start not in covered and token.startswith(self.stems) and not token.startswith(_NOT_STEMMED):
                    # "возражать (бы) против": the preposition is the verb's, not a second cue.
                    after = [t for t in tokens[i + 1 : i + 3] if t[0] not in ("бы", "б", "же")][:1]
                    if after and after[0][0] == "против":
                        end = after[0][2]
                    found.append((start, end))
        if has_cjk and self.cjk is not None:
            found.extend(m.span() for m in self.cjk.finditer(clause))
        return found

    def search(self, clause: str, tokens, has_cjk: bool) -> bool:
        return bool(self.spans(clause, tokens, has_cjk))


_WORD = re.compile(r"\w+")
_WE_ENDINGS = ("amos", "emos", "imos")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Arabic writes the conjunction before a word and an object pronoun after it: "ونرفضها" is "and we reject it".
_ARABIC_SUFFIXES = ("ها", "هم", "ه", "نا")


def _arabic_lookup(token: str, phrases: dict) -> tuple[str, list | None]:
    stems = [token[1:]] if len(token) > 3 and token[0] in "وف" else []
    for stem in [token, *stems]:
        for suffix in _ARABIC_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3 and stem[: -len(suffix)] in phrases:
                return stem[: -len(suffix)], phrases[stem[: -len(suffix)]]
        if stem in phrases:
            return stem, phrases[stem]
    return token, None


def _tokens(clause: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(clause)]


# Stems of the side-taking verbs in the languages that inflect them most, so a form nobody listed ("поддержим",
# "soutiendrions", "respaldábamos") is still read. Words that share a stem but take no side are excepted.
_SUPPORT_STEMS = (
    "поддерж*|одобр*|соглас*|souten*|soutien*|appuy*|approuv*|apoy*|respald*|favorec*|abog*|"
    "полностью за|целиком за|всецело за|голосуем за|проголосуем за|выступаем за|выступает за|выступают за|"
    "défendrons|défendrions|rallier|rallions|rallierons|rallierions|ralliera|rallierait"
)
# Citizens' refusals, and praise that only sets up an objection ("sounds nice, but who pays?").
_OPPOSE_INFORMAL = (
    "no thanks|no thank you|non merci|no gracias|нет уж|нет, спасибо|不用了|算了吧|لا شكرا|لا شكرًا|"
    "sounds nice but|sounds good but|sounds great but|sounds nice, but|sounds good, but|sounds great, but|"
    "c'est beau sur le papier|joli sur le papier|suena bien pero|suena muy bien, pero|suena bien, pero|"
    "звучит красиво, но|звучит хорошо, но|听起来很好，但|听起来不错，但|听上去很美"
)
_OPPOSE_STEMS = (
    "возраж*|возраз*|отверг*|отклон*|oppos*|rejet*|rejett*|opon*|rechaz*|ни за что|протестовать|протестуем|"
    "hostile|hostiles"
)
# Questions that are not asked: "who could object to X?" supports X, "do we really need X?" opposes it. Only the
# unambiguous openings: a rhetorical question is as often about the alternative ("why should a platform be less
# supervised than a village bank?" supports supervising it), which no lexicon can tell.
_RHETORICAL_SUPPORT = (
    "who could object|who could oppose|who would object|who would oppose|who can object|who can oppose|"
    "qui pourrait s'opposer|qui pourrait s'y opposer|qui s'opposerait|quién podría oponerse|quién se opondría|"
    "кто станет возражать|кто может возражать|кто будет возражать|кто же будет против|谁能反对|谁会反对|谁会不支持|"
    "من يمكنه أن يعارض|من ذا الذي يعارض|من يعترض"
)
_RHETORICAL_OPPOSE = (
    "do we really need|do we really want|do we need yet another|are we really going to|are we seriously going to|"
    "a-t-on vraiment besoin|avons-nous vraiment besoin|faut-il vraiment|veut-on vraiment|"
    "de verdad necesitamos|realmente necesitamos|necesitamos de verdad|de verdad vamos a|"
    "неужели нам нужна|неужели нам нужен|неужели нам нужно|неужели мы|нам действительно нужен|нам действительно нужна|"
    "难道我们还需要|难道我们真的需要|我们真的需要|难道要|"
    "هل نحتاج حقا|هل نحتاج حقًا|هل نحن بحاجة حقا|هل نحن بحاجة حقًا|"
    # Who pays for it, asked: a cost nobody is named to bear ("And who will pay for the meters?").
    "who will pay|who is going to pay|who would pay|qui paiera|qui va payer|qui payera|quién va a pagar|"
    "quién pagará|кто заплатит|кто будет платить|кто за это заплатит|谁来出钱|谁出钱|谁来买单|من سيدفع|من الذي سيدفع"
)
# The speaker setting itself apart from what others said, wherever in its clause: "l'Osmarie considère quant à
# elle que ...", "we, for our part, ...".
_OWN_PART = (
    "for our part|for its part|for their part|on our part|quant à nous|quant à elle|quant à lui|pour notre part|"
    "pour sa part|de notre côté|por nuestra parte|por su parte|en cambio|со своей стороны|в свою очередь|我们则|"
    "我方则|من جانبنا|أما نحن"
)
_NOT_STEMMED = (
    # according to; coordination, agreements; maintenance (of peace); the opposition (parties); the opposite; a
    # refusal of a claim in court is still a refusal, but "отклонение" is a deviation.
    "согласно",
    "согласов",
    "поддержани",
    "opposit",
    "opposé",
    "opuest",
    "отклонени",
    "apoyo",
)
LEXICONS = {
    "support": _Lexicon(_SUPPORT_STRONG + "|" + _SUPPORT_STEMS),
    "support_weak": _Lexicon(_SUPPORT_WEAK),
    "oppose": _Lexicon(_OPPOSE_STRONG + "|" + _OPPOSE_STEMS + "|" + _OPPOSE_INFORMAL),
    "neutral": _Lexicon(_NEUTRAL),
    "reported": _Lexicon(_REPORTED),
    "others": _Lexicon(_OTHERS),
    "others_named": _Lexicon(_OTHERS_NAMED),
    "saying": _Lexicon(_SAYING),
    "support_eval": _Lexicon(_SUPPORT_EVALUATIVE),
    "sufficient": _Lexicon(_SUFFICIENT),
    "inadequate": _Lexicon(_INADEQUATE),
    "oppose_eval": _Lexicon(_OPPOSE_EVALUATIVE),
    "request": _Lexicon(_REQUEST),
    "first_person": _Lexicon(_FIRST_PERSON),
    "agree": _Lexicon(_AGREE),
    "disagree": _Lexicon(_DISAGREE),
    "belief": _Lexicon(_BELIEF),
    "doubt": _Lexicon(_DOUBT),
    "condition": _Lexicon(_CONDITION),
    "hearsay": _Lexicon(_HEARSAY),
    "courtesy": _Lexicon(_COURTESY),
    "not_cues": _Lexicon(_NOT_CUES),
    "no_reason": _Lexicon(_NO_REASON),
    "withdraw": _Lexicon(_WITHDRAW),
    "no_longer": _Lexicon(_NO_LONGER),
    "stopped": _Lexicon(_STOPPED),
    "own_part": _Lexicon(_OWN_PART),
    "rhetorical_support": _Lexicon(_RHETORICAL_SUPPORT),
    "rhetorical_oppose": _Lexicon(_RHETORICAL_OPPOSE),
    "oppose_informal": _Lexicon(_OPPOSE_INFORMAL),
}
_OTHERS_ZH_RE = re.compile(_OTHERS_ZH)
_OTHERS_NAMED_ZH_RE = re.compile(_OTHERS_NAMED_ZH)
# A cue after one of these is a purpose, not a stance: "a tool to support decisions", "pour soutenir", "para apoyar".
_PURPOSE = re.compile(
    r"(?:(?<![\w'])(?:in order|so as|order|help|helps|helped|used|useful|able|designed|intended|aims?|seeks?|tools?|"
    r"needed|necessary|resources|efforts?|ways?|means|way)\s+to|^\W*to|(?<!\w)(?:pour|afin de|para|чтобы|для))\s+$"
    r"|(?:以|为了|用于|用以)$",
    re.IGNORECASE,
)
_NECESSITY_ADJECTIVES = frozenset(
    [
        "necessary",
        "essential",
        "important",
        "indispensable",
        "critical",
        "vital",
        "crucial",
        "nécessaire",
        "nécessaires",
        "essentiel",
        "essentielle",
        "essentiels",
        "indispensable",
        "indispensables",
        "necesario",
        "necesaria",
        "necesarios",
        "esencial",
        "esenciales",
        "imprescindible",
    ]
)
_COPULA = re.compile(
    r"(?<!\w)(?:is|are|be|been|was|were|seems?|remains?|becomes?|it's|est|sont|soit|soient|être|semble|reste|es|son|"
    r"sea|sean|ser|resulta|parece)(?:\s+(?:also|therefore|thus|still|not|absolutely|very|really|particularly|"
    r"especially|aussi|donc|pas|très|vraiment|también|muy|no|por tanto)){0,2}\s+$",
    re.IGNORECASE,
)
_PARTICIPLES = frozenset(["proposed", "supported", "recommended", "endorsed", "suggested", "rejected", "opposed"])
_ATTRIBUTIVE = re.compile(
    r"(?<!\w)(?:the|a|an|this|these|those|its|their|our|your|any|currently|newly|recently|originally|now|already|"
    r"commission's|commission’s)\s+$",
    re.IGNORECASE,
)
_NEGATIONS = frozenset(w.lower() for w in _alternation(_NEGATION))
_NEGATION_ZH_RE = re.compile(_NEGATION_ZH)
# "We could only accept X if ..., which is not the case": a restrictive condition the speaker then says is unmet.
_RESTRICTIVE = re.compile(
    r"(?<!\w)(?:only if|only when|only on condition|solo si|sólo si|únicamente si|solamente si|seulement si|"
    r"uniquement si|que si|только если|лишь если|только при|лишь при|только в том случае|лишь в том случае)(?!\w)"
    r"|只有|仅当|فقط إذا|إلا إذا",
    re.IGNORECASE,
)
# "We could only accept X if ...", "solo aceptaríamos X si ...": the restriction before the verb, the condition after.
_ONLY_THEN_IF = re.compile(
    r"(?<!\w)(?:only|solo|sólo|únicamente|solamente|seulement|uniquement|только|лишь)(?!\w)[^,;:.]*?"
    r"(?<!\w)(if|when|si|если)(?!\w)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:，；：،؛]")
# A question that offers its answers ("..., the utility or the households?") asks; it is not rhetorical.
_ALTERNATIVES = re.compile(r"[,，،]\s*[^,，،?？]*(?<!\w)(?:or|ou|o|или|أم)(?!\w)[^?？]*[?？]|还是")
# What denies a condition in the clause after it: a negation, or "nothing of the kind", "ninguna de las dos".
_DENIAL_WORDS = re.compile(
    r"(?<!\w)(?:nothing|none|neither|rien|aucune?|nada|ninguna|ninguno|ничего|ни того)(?!\w)", re.IGNORECASE
)


def _condition_at(clause: str) -> tuple[int, int, int] | None:
    """Where a restrictive condition starts in a clause, where its marker ends ("only if", "solo ... si"), and where
    what it conditions starts when that comes after it (Chinese "只有 ... 才 接受": after 才; else the clause's end)."""
    match = _RESTRICTIVE.search(clause)
    split = _ONLY_THEN_IF.search(clause)
    if split and (not match or split.start(1) < match.start()):
        return split.start(1), split.end(1), len(clause)
    if match:
        then = clause.find("才", match.end()) if match.group() in ("只有", "仅当") else -1
        return match.start(), match.end(), then if then >= 0 else len(clause)
    return None


def _turned(cues: list, condition: int, then: int) -> list:
    """The sides taken on what the condition governs (before it, or after 才) turned over."""
    return [
        dataclasses.replace(c, polarity=OPPOSE, negated=True)
        if c.polarity == SUPPORT and (c.start < condition or c.start > then) and c.kind != "status"
        else c
        for c in cues
    ]


def _unmet_condition(clause: str, cues: list) -> list:
    """Turn over the sides taken before a restrictive condition that a later clause of the sentence denies ("..., and
    the draft does not do that", "y el plan no prevé nada parecido"): accepting X only under a condition that does
    not hold is refusing X. A negation inside the condition itself ("only if it does not raise prices") is not a
    denial of it."""
    found = _condition_at(clause)
    if found is None:
        return cues
    condition, after, then = found
    brk = _CLAUSE_BREAK.search(clause, after)
    if not brk:
        return cues
    if not NEGATION_RE.search(clause, brk.end()):
        return cues
    return _turned(cues, condition, then)


def unmet_in_next(reading: Reading, clause: str, following: str, following_reading: Reading) -> Reading:
    """The same, where the denial is the next clause of the sentence ("... only if every vote left a paper record;
    the bill provides neither.", "...，才可能接受远程电子投票；而现有法案两者都没有规定。"): a short clause with a
    negation and no side of its own (``following_reading``: what ``read`` made of it)."""
    found = _condition_at(clause)
    if found is None or not reading.cues:
        return reading
    condition, after, then = found
    # Denied inside the clause already, or a negation inside the condition: not this case.
    if NEGATION_RE.search(clause, after):
        return reading
    short = len(following) <= 40 if CJK.search(following) else len(_WORD.findall(following)) <= 15
    denied = NEGATION_RE.search(following) or _DENIAL_WORDS.search(following)
    if not short or not denied or following_reading.cues:
        return reading
    return dataclasses.replace(reading, cues=tuple(_turned(list(reading.cues), condition, then)))


def doubt_of_alternative(reading: Reading, following: Reading) -> Reading:
    """A doubt followed by what is needed instead is a doubt about the alternative ("We do not think voluntary
    pledges will stop new coal boilers; a firm legal prohibition is needed", "No creemos que las normas vigentes
    estén frenando la contaminación; hacen falta medidas nuevas"): it takes no side on what is needed. The doubt is
    set aside (read, so no reader overrules it) and the clause after it speaks."""
    if not reading.cues or any(c.kind != "doubt" for c in reading.cues):
        return reading
    if not any(c.polarity == SUPPORT and not c.negated for c in following.cues):
        return reading
    return dataclasses.replace(reading, cues=(), formula=True)


# Any negation word in a text (whole words; Chinese anywhere).
NEGATION_RE = re.compile(
    rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in _alternation(_NEGATION))})(?!\w)|n't|{_NEGATION_ZH}", re.IGNORECASE
)

_CONTRAST_START_RE = re.compile(
    rf"^\W*(?:(?:{'|'.join(re.escape(w) for w in _alternation(_CONTRAST_START) if not CJK.search(w))})(?!\w)"
    rf"|{'|'.join(re.escape(w) for w in _alternation(_CONTRAST_START) if CJK.search(w))})",
    re.I,
)
_CAN = re.compile(
    r"(?<!\w)(?:can|could|pouvons|pourrions|podamos|podemos|podríamos|можем|могли бы|يمكننا|نستطيع|يسعنا|"
    r"in a position to|en mesure de|en condiciones de|в состоянии|готов|готова|готово|готовы)(?!\w)|能够|可以",
    re.IGNORECASE,
)
_NEGATION_WORD = re.compile(r"[\w']+")
_NEGATED_MODAL_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:не|ни)\s+(?:можем|может|могут|можем|могли бы|будем|будет|станем|готовы|хотим|намерены)"
    r"(?!\w)",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(r"\s*(?:not|never|n't)(?!\w)", re.IGNORECASE)
_BREAK = re.compile(r"[,;:，；：،؛()\[\]]")
_BELIEF_SCOPE_END = re.compile(
    r"[;；:：，]|,\s*(?:but|mais|pero|sino|но|а|however)(?!\w)|،\s*(?:بل|لكن|ولكن)(?!\w)"
    # "..., and we oppose the proposal": the speaker's new clause is asserted.
    r"|,\s*(?:and we|et nous|y nosotros|и мы)(?!\w)|،\s*ونحن",
    re.IGNORECASE,
)
_NOT_A_NEGATION = re.compile(r"(?<!\w)[وف]?(?:غير|إلا)\s+أن\w*")
# A conclusion ("...; we therefore oppose it", "因此我们反对") is the speaker's last word: it outweighs a side
# taken under a condition earlier in the sentence ("we could accept X only if ...").
_CONCLUSION = re.compile(
    r"(?<!\w)(?:therefore|thus|hence|consequently|for this reason|that is why|this is why|donc|par conséquent|"
    r"c'est pourquoi|c’est pourquoi|por lo tanto|por tanto|por eso|por ello|por consiguiente|поэтому|следовательно|"
    r"لذلك|ولذلك|لهذا|ولهذا|وعليه|وبالتالي|بالتالي)(?!\w)|因此|所以|因而|故而",
    re.IGNORECASE,
)
CONCLUSIVE = 1.5


@dataclass(frozen=True)
class Cue:
    """A stance cue in a clause: its polarity after negation, strength, and the span it governs."""

    polarity: str  # support | oppose
    strength: float  # 1.0 strong verb, 0.5 necessity
    start: int  # the cue's offsets in the clause
    end: int
    target_end: int  # the cue governs the clause from its end to here (the next cue or the clause's end)
    negated: bool
    # "status" for a judgement of what exists (``_SUFFICIENT``, ``_INADEQUATE``), "doubt" for a denied belief with no
    # cue after it, "" for the rest.
    kind: str = ""


@dataclass(frozen=True)
class Reading:
    """What the lexicons say about one clause."""

    cues: tuple[Cue, ...]
    neutral: bool
    reported: bool
    first_person: bool
    agree: bool
    disagree: bool
    conditional: bool
    contrast_start: bool
    hearsay: bool = False
    hypothetical: bool = False
    own_part: bool = False
    # A courtesy or a formula that looks like a cue and is not ("souhaite appeler l'attention sur").
    formula: bool = False
    # A question that is not asked ("who could object to ...?"): the side it takes, or None.
    rhetorical: str | None = None
    # The offsets of what the speaker sets aside for something else ("instead of X, ..."), or None.
    alternative: tuple[int, int] | None = None
    # The speaker notes what someone else proposes ("We note that the draft proposes to cut quotas"): every strong
    # cue comes after the noting, with no "we" of the speaker's between them.
    notes_others: bool = False


def _negations_before(text: str, start: int, floor: int, words: int = 3) -> int:
    """Negations within the three words (or, in Chinese, three characters) before ``start``, after ``floor``."""
    window_start = floor
    for match in _BREAK.finditer(text, floor, start):
        window_start = match.end()
    # "غير أننا لا نؤيد" (however, we do not support): "غير أن" and "إلا أن" join clauses, they deny nothing.
    window = _NOT_A_NEGATION.sub(" ", text[window_start:start])
    if CJK.search(text[start : start + 1]):
        return len(_NEGATION_ZH_RE.findall(window[-words:]))
    found = _NEGATION_WORD.findall(window.lower())[-words:]
    count = sum(w in _NEGATIONS or w.endswith("n't") or (w[:1] in "وف" and w[1:] in _NEGATIONS) for w in found)
    # French denies with two words ("ne pouvons pas appuyer", "n'appuie jamais"): one negation, not two.
    if count > 1 and any(w in ("ne", "n'") or w.startswith("n'") for w in found):
        count -= sum(w in _FRENCH_SECOND for w in found) and 1
    return count


def names_others(clause: str) -> bool:
    """Whether a clause names other people as a group ("others", "some delegations", "certains", "有人"), not by a
    pronoun ("they" may be the questions)."""
    has_cjk = bool(CJK.search(clause))
    if has_cjk and _OTHERS_NAMED_ZH_RE.search(clause):
        return True
    return LEXICONS["others_named"].search(clause, _tokens(clause), has_cjk)


def _others_speak(clause: str, tokens, has_cjk: bool, cues) -> bool:
    """Whether "others / some / certains / 一些" are the subject of a cue or of a verb of saying in the clause: within
    four words before it (six characters in Chinese)."""
    heads = [start for start, _ in LEXICONS["saying"].spans(clause, tokens, has_cjk)] + [c.start for c in cues]
    if not heads:
        return False
    for a, b in LEXICONS["others"].spans(clause, tokens, has_cjk):
        if any(b <= head and len(_WORD.findall(clause[b:head])) <= 4 for head in heads):
            return True
        # Arabic puts the verb first: "تطالب وفود عدة بـ..." (several delegations call for).
        if _ARABIC.match(clause[a:b]) and any(head < a and len(_WORD.findall(clause[head:a])) <= 2 for head in heads):
            return True
    if has_cjk:
        for match in _OTHERS_ZH_RE.finditer(clause):
            if any(match.end() <= head <= match.end() + 6 for head in heads):
                return True
    return False


def alternative_span(clause: str, cues=()) -> tuple[int, int] | None:
    """Where the clause names what it prefers something else to: from "instead of" ("rather than", "与其",
    "بدلاً من" ...) to the next break, "不如", the clause's end, or the first of ``cues`` within (with no break, as
    in "Вместо фонда нужно готовить учителей", the set-aside thing ends where a cue begins)."""
    marker = _ALTERNATIVE.search(clause)
    if marker is None:
        return None
    stop = _ALTERNATIVE_END.search(clause, marker.end())
    end = stop.start() if stop else len(clause)
    if len(clause[marker.end() : end].strip(" .。!！")) < 2:
        return None
    return marker.end(), min((cue.start for cue in cues if marker.end() < cue.start < end), default=end)


def read(clause: str) -> Reading:
    """Cues of one clause, with negation applied."""
    tokens = _tokens(clause)
    has_cjk = bool(CJK.search(clause))
    found: list[tuple[int, int, str, float]] = []
    # Courtesy's "welcome" is no support: the clause keeps no cue at all.
    taken: list[tuple[int, int]] = [(0, len(clause))] if LEXICONS["courtesy"].search(clause, tokens, has_cjk) else []
    taken += LEXICONS["not_cues"].spans(clause, tokens, has_cjk)
    # Words set aside on purpose (a courtesy, "wish to draw attention to", "please note"): the clause was read.
    formula = bool(taken)
    for name, polarity, strength in (
        ("oppose", OPPOSE, 1.0),
        # Before the verbs, so that "por favor" is a request and not "favor".
        ("request", SUPPORT, 0.5),
        ("support", SUPPORT, 1.0),
        # Before the necessities, so that "无法应对" (cannot cope) is not the "应" (should) inside it.
        ("sufficient", OPPOSE, 0.5),
        ("inadequate", SUPPORT, 0.5),
        ("support_weak", SUPPORT, 0.5),
        ("oppose_eval", OPPOSE, 0.5),
        ("support_eval", SUPPORT, 0.5),
    ):
        # Longest first within a lexicon, so "caution against" is taken before "against".
        for a, b in sorted(LEXICONS[name].spans(clause, tokens, has_cjk), key=lambda span: span[0] - span[1]):
            # A longer cue already found wins ("caution against" over "against", "not convinced" over "convinced").
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            # "A tool to support decisions", "pour soutenir": a purpose, not the speaker's side; "the proposed
            # regulation": a participle that names a thing.
            if name != "request" and _PURPOSE.search(clause[max(0, a - 40) : a]):
                continue
            if _ATTRIBUTIVE.search(clause[max(0, a - 20) : a]) and clause[a:b].lower() in _PARTICIPLES:
                continue
            # "The trust necessary for", "the essential features": a necessity adjective takes a side only as a
            # predicate ("a framework is indispensable", "il est nécessaire").
            if clause[a:b].lower() in _NECESSITY_ADJECTIVES and not _COPULA.search(clause[max(0, a - 30) : a]):
                continue
            found.append((a, b, polarity, strength, "status" if name in ("sufficient", "inadequate") else ""))
    # "Only a binding instrument can ...", "solo un arbitraje puede ...": the speaker rules out the alternatives.
    only = _ONLY.match(clause)
    if only and not any(a < only.end(1) and only.start(1) < b for a, b in taken):
        found.append((only.start(1), only.end(1), SUPPORT, 0.5, ""))
    imperative = _IMPERATIVE.match(clause)
    if imperative and not any(a < imperative.end(1) and imperative.start(1) < b for a, b in taken):
        found.append((imperative.start(1), imperative.end(1), SUPPORT, 0.5, ""))
    found.sort()
    # A negated belief verb flips what follows it in the clause.
    raised = 0
    for a, b in sorted(LEXICONS["belief"].spans(clause, tokens, has_cjk)):
        # Inside a cue of its own ("nous ne voyons pas d'inconvénient", "no objection"), the cue says it all.
        if any(x <= a and b <= y for x, y, *_ in found):
            continue
        if _negations_before(clause, a, 0) % 2:
            raised = b
            break
    if not raised:
        for a, b in sorted(LEXICONS["doubt"].spans(clause, tokens, has_cjk)):
            # "We do not doubt that ...", "нет сомнений": a denied doubt is a conviction.
            if not any(x <= a and b <= y for x, y, *_ in found) and not _negations_before(clause, a, 0) % 2:
                raised = b
                break
    reasons = LEXICONS["no_reason"].spans(clause, tokens, has_cjk)
    if reasons and not raised:
        raised = min(b for _, b in reasons)
    withdraw_spans = LEXICONS["withdraw"].spans(clause, tokens, has_cjk)
    withdrawals = [b for _, b in withdraw_spans]
    no_longer = [b for _, b in LEXICONS["no_longer"].spans(clause, tokens, has_cjk)]
    stopped = [b for _, b in LEXICONS["stopped"].spans(clause, tokens, has_cjk)]
    cues = []
    for i, (a, b, polarity, strength, kind) in enumerate(found):
        target_end = found[i + 1][0] if i + 1 < len(found) else len(clause)
        floor = found[i - 1][1] if i else 0
        # After a denied belief or reason, only the negations after it count anew: "ne voit aucune raison de
        # soutenir" is denied once, not twice.
        # It governs its own clause only: "我们不相信自律能够保护孩子，广告必须禁止", "no creemos que baste; hay
        # que ...", "لا نعتقد أن التوعية تكفي، بل لا بد من ...": the necessity after the break is asserted.
        after_raised = bool(raised) and a >= raised and not _BELIEF_SCOPE_END.search(clause, raised, a)
        flips = _negations_before(clause, a, max(floor, raised) if after_raised else floor) + after_raised
        if polarity == OPPOSE and any(w <= a and len(_WORD.findall(clause[w:a])) <= 4 for w in withdrawals):
            flips += 1
        # Asking for it to be withdrawn is opposing it: "نطالب بسحب هذا المقترح", "we urge the Government to drop
        # this idea", "nous vous demandons de renoncer à cette interdiction".
        if polarity == SUPPORT and any(
            b <= w < target_end and len(_WORD.findall(clause[b:w])) <= 4 for w, _ in withdraw_spans
        ):
            flips += 1
        # The first cue after "no longer" (or right after "stopped"), unless a negation next to it already counted.
        ended = any(floor <= n <= a for n in no_longer)
        ended = ended or any(floor <= n <= a and len(_WORD.findall(clause[n:a])) <= 3 for n in stopped)
        if not flips and ended:
            flips += 1
        # English puts the negation after a modal ("should not", "must never"); Russian may put the denied modal
        # after the verb ("поддержать её мы не можем").
        if (strength < 1 and _NEGATION_AFTER.match(clause, b)) or _NEGATED_MODAL_AFTER.match(clause, b):
            flips += 1
        # "... is not a solution we can support": a negation anywhere before "we can" reaches the verb after it.
        if not flips and _CAN.search(clause[floor:a]) and _negations_before(clause, a, floor, words=20):
            flips += 1
        if flips % 2:
            polarity = OPPOSE if polarity == SUPPORT else SUPPORT
        if strength >= 1 and any(m.end() <= a for m in _CONCLUSION.finditer(clause, floor, a)):
            strength = CONCLUSIVE
        cues.append(Cue(polarity, strength, a, b, target_end, bool(flips % 2), kind))
    cues = _unmet_condition(clause, cues)
    if raised and not any(cue.start >= raised for cue in cues):
        # "We do not believe a new body would help": a denied belief about the matter is a doubt, so it opposes
        # what its clause is about (as a necessity does, by what follows it).
        cues.append(Cue(OPPOSE, 0.5, raised, raised, len(clause), True, "doubt"))

    def has(name: str) -> bool:
        return LEXICONS[name].search(clause, tokens, has_cjk)

    disagree = has("disagree")
    noted = LEXICONS["neutral"].spans(clause, tokens, has_cjk)
    return Reading(
        cues=tuple(cues),
        neutral=bool(noted),
        reported=has("reported") or _others_speak(clause, tokens, has_cjk, cues),
        # Spanish and Portuguese mark "we" on the verb only: "creemos", "apoyamos", "consideramos".
        first_person=has("first_person") or any(len(t) >= 6 and t.endswith(_WE_ENDINGS) for t, *_ in tokens),
        agree=has("agree") and not disagree,
        disagree=disagree,
        conditional=has("condition"),
        contrast_start=bool(_CONTRAST_START_RE.match(clause)),
        hearsay=has("hearsay"),
        hypothetical=bool(_HYPOTHETICAL.search(clause)),
        own_part=has("own_part"),
        formula=formula,
        # "... sounds nice, but who covers my shifts??": the refusal holds in a question too.
        rhetorical=SUPPORT
        if has("rhetorical_support")
        else OPPOSE
        if (has("rhetorical_oppose") and not _ALTERNATIVES.search(clause)) or has("oppose_informal")
        else None,
        alternative=alternative_span(clause, cues),
        notes_others=_notes_others(clause, tokens, has_cjk, cues, noted),
    )


def _notes_others(clause: str, tokens, has_cjk: bool, cues, noted: list[tuple[int, int]]) -> bool:
    """Whether the clause notes (``noted``: the spans of its neutral words) a side that someone else takes: "We
    note that the draft proposes ...", "注意到草案提出 ...", not "we note the proposal and we support it" (the
    speaker's own "we" before the cue)."""
    strong = [cue.start for cue in cues if cue.strength >= 1 and not cue.negated]
    if not strong or not noted:
        return False
    end = min(b for _, b in noted)
    if min(strong) < end:
        return False
    own = [a for a, _ in LEXICONS["first_person"].spans(clause, tokens, has_cjk)]
    own += [a for t, a, _ in tokens if len(t) >= 6 and t.endswith(_WE_ENDINGS)]
    return not any(end <= a <= max(strong) for a in own)
