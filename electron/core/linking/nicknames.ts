// Built-in knowledge of given-name variants: common English nicknames plus common diminutives
// in Spanish, Portuguese, Italian, French, German, Dutch, Scandinavian, Polish, Russian and Irish use.
// Each line is one group: the formal name first, then its variants. A name may sit in several groups
// ("chris" → christopher, christine, christian); two names are compatible when they share a group.
// All entries are lowercase ASCII (accents folded).

const GROUPS = `
abigail abby abbie gail
abraham abe abram
adrian ade
agnes aggie nessa
albert al bert bertie
alberto beto tito
alexander alex alec alexei alexey alec sandy sasha sascha lex xander alessandro sandro alejandro alejo lyosha alyosha
alexandra alex alexa sandra sandy sasha lexi alessandra aleksandra ola sandrine
alfred alf alfie fred freddie
alice ally allie
alison ali allie ally
amanda mandy manda
andrew andy drew andre andres andreas andrzej jedrzej
angela angie
anne ann annie anna anita nan nancy ania anka anya
nancy nan nance nancie
anthony tony ant antonio toni tonio tono antoine anton antek
arthur art artie
barbara barb barbie babs basia
bartholomew bart bartlomiej bartek
beatrice bea trixie beatriz bia
benjamin ben benny benji
bernard bernie bernhard bernd
beverly bev
bradley brad
brian bryan
bridget bridie biddy
calvin cal
cameron cam
carlos carlitos
caroline carol carrie lina
catherine cathy cat kate katie kathy kay kit katherine kathryn katharina kathi katja katya ekaterina caterina katarzyna kasia cate cathleen kathleen
charles charlie chuck chas chaz carlo
karl kalle carl
charlotte charlie lottie lotte
christian chris kris christiaan
christina chris chrissy tina kristina
christine chris chrissy tina kristine
christopher chris kit topher christoph cristobal
cynthia cindy
daniel dan danny dani
david dave davey davy
deborah debbie deb debra
dennis denny
diana di
dolores lola lolita
dominic dom
donald don donnie
dorothy dot dottie dora
douglas doug
edward ed eddie ned ted teddy eduardo edu
eleanor ellie nell nora elle
elena lena helena helen elaine ellen nell
elizabeth liz lizzie lizzy beth betty bess bessie eliza elisa lisa libby elise liza elisabeth ilse lise lisbeth
emily em emmy millie
emma em emmy
eugene gene evgeny zhenya
evelyn eve evie
florence flo flossie
frances fran frannie fanny
francis frank frankie fran
francesco franco cesco
francisco paco pancho quico chico cisco
francois fanfan
frederick fred freddie fritz rick friedrich
gabriel gabe gabi
gabriela gabi gaby gabriele
geoffrey geoff jeff
gerald gerry jerry
gertrude gertie trudy truus geertruida
giuseppe beppe peppe pino
gregory greg
guillermo memo guille
harold harry hal
helen nell ellie lena
henry harry hank hal hendrik henk heinrich heinz enrique quique
howard howie
ignacio nacho
isabella bella izzy isabel isa
jacob jake jakub kuba jacques
james jim jimmy jamie jimbo jem seamus
jane janey jenny
janet jan jenny
jeffrey jeff
jennifer jen jenny jenn
jerome jerry
jessica jess jessie
joanna jo joanne asia
johannes hans johann jan joop
john jack johnny jon juan giovanni gianni johann johannes hans joao
ivan vanya
jonathan jon jonny nathan
jose pepe pepito che ze jo
joseph joe joey jo jos josef sepp giuseppe jose pepe
joshua josh
judith judy jude
julia julie jules yulia
julian jules
katherine kate kathy katie kat
kenneth ken kenny
kimberly kim kimmy
lawrence larry laurie lars lasse
leonard leo len lenny
leslie les
lillian lily lil
louis lou louie luis lucho luigi gigi
louise lou lulu
lucas luke
luisa lou
magdalena lena magda
malgorzata gosia malgosia
manuel manny manolo manu
margaret maggie meg peggy marge margie greta gretchen rita margot marguerite margarita daisy madge margherita ghita
maria mary masha marie mimi molly polly mariya
marjorie marge margie
martha marty mattie
martin marty
matthew matt matty mateus mattia mateo matteo matthias
melissa mel missy
michael mike mikey mick mickey mitch miguel michel misha mikhail michal
michelle shelly michele
mitchell mitch
nathaniel nate nat nathan
natalia natasha nat natalie
nicholas nick nicky nico nikolai kolya klaas nicolaas niklas nils nisse
nicole nicky nikki
oliver ollie
olga olya
patricia pat patty patsy trish tricia
patrick pat paddy rick
paul pauly pasha pavel pablo paulo
peter pete piet pieter pedro pierre piotr pierrot
philip phil pip
rachel rach
rafael rafa raffaele
raymond ray
rebecca becky becca
richard rick ricky dick rich richie
robert rob bob bobby robbie bert roberto beto
ronald ron ronnie
rosalind roz
rosario charo
rose rosie
ruth ruthie
samantha sam sammy
samuel sam sammy
sandra sandy
sarah sara sally sadie
sebastian seb bastian
sergei sergey seryozha
stanislaw stas stan
stanley stan
stephanie steph steffi stefanie
stephen steve stevie steven stefan esteban
susan sue susie suzy suzanne
svetlana sveta
tatiana tanya tania
terence terry
theodore ted teddy theo
theresa teresa tess tessa terry maite
thomas tom tommy tomas tomek thom
timothy tim timmy
valentina vale
victoria vicky tori
vincent vince vinnie vincenzo enzo
virginia ginny
vladimir volodya vlad
walter walt wally
wilhelm willi willy
william will bill billy liam willy wil guillermo wilhelm
wojciech wojtek
yuri yura
zachary zach zack
zofia zosia sofia sophie sophia
dmitri dima dmitry
cornelis kees
ulrich uli
jurgen jurek jerzy
olivia liv livvy
victor vic
vivian viv
valerie val
veronica ronnie vera
penelope penny
cecilia cissy
clara clare
ernest ernie
herbert herb bert
isaac ike
jeremy jerry jez jeremiah
leonardo leo
mark marc marcus marco marcos markus
oscar ossie
reginald reg reggie
russell russ
tobias toby
wesley wes
josephine jo josie
pamela pam
roberta bobbie
daniela dani
francesca fran frankie
alfonso poncho
eduardo lalo
jesus chucho chuy
guadalupe lupe
concepcion conchi concha
mercedes merche
pilar pili
fernando nando
ricardo rico
salvador salva chava
vittorio vito
domenico mimmo
salvatore toto turi
wolfgang wolf
`;

/** Each name's canonical names, built from GROUPS on first use (not while the core loads: a start never reads it). */
let groupsCache: Map<string, string[]> | null = null;

function groupsByName(): Map<string, string[]> {
  if (groupsCache) return groupsCache;
  const groups = new Map<string, string[]>();
  for (const line of GROUPS.split('\n')) {
    const names = line.trim().split(/\s+/).filter(Boolean);
    if (names.length < 2) continue;
    const canonical = names[0]!;
    for (const n of new Set(names)) {
      const list = groups.get(n) ?? [];
      if (!list.includes(canonical)) list.push(canonical);
      groups.set(n, list);
    }
  }
  // What nameGroups answers: the name itself first when it is no canonical name (built once, not per call).
  for (const [n, list] of groups) if (!list.includes(n)) groups.set(n, [n, ...list]);
  groupsCache = groups;
  return groups;
}

/** The canonical names a given name belongs to (always includes the name itself). Shared: not to be changed. */
export function nameGroups(first: string): string[] {
  const n = first.toLowerCase();
  return groupsByName().get(n) ?? [n];
}

/** Whether two given names can be the same person's: equal, or nickname and formal name. */
export function firstNamesCompatible(a: string, b: string): boolean {
  if (a === b) return true;
  return sharedGroup(nameGroups(a), nameGroups(b)) !== null;
}

/** The first of `ga` that `gb` has too (both a few names long: no set needed), or null. */
function sharedGroup(ga: readonly string[], gb: readonly string[]): string | null {
  for (const g of ga) if (gb.includes(g)) return g;
  return null;
}

/** Whether two names are related only through a nickname (for the evidence sentence). */
export function nicknameRelation(a: string, b: string): string | null {
  if (a === b) return null;
  return sharedGroup(nameGroups(a), nameGroups(b));
}

/** Every given name the table knows, for splitting handles and local parts ("johnfischer"). */
export function isKnownFirstName(n: string): boolean {
  return groupsByName().has(n);
}

/**
 * A given name cut short ("Ada" for Adaeze, "Kat" for Katarzyna, "Santi" for Santiago): the way a
 * short form is made in most languages, beyond the table's pairs. The shorter has three letters at
 * least and the longer two more.
 */
export function shortFormOf(a: string, b: string): string | null {
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  return s.length >= 3 && l.length - s.length >= 2 && l.startsWith(s) ? l : null;
}

/** Given names that can be one person's in a display name: the table's (firstNamesCompatible) or one cut short. */
export function givenNamesFit(a: string, b: string): boolean {
  return firstNamesCompatible(a, b) || shortFormOf(a, b) !== null;
}
