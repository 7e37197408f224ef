// The complaint reader: whether a customer's post on X complains, thanks or praises, asks a plain
// question, or is something else. Pure functions over the text, no model: word lists with the few
// turns real support tweets take (negation "not bad", "no problem"; a resolution "finally got a
// reply", "sorted now thanks"; sarcasm "thanks for nothing", "great job 🙄"; still-unhappy "still no
// refund", "your reply did not help"; threats to post, review, charge back or cancel). Measured on
// 200 hand-labelled real support tweets (complaint.corpus.test.ts).
import { memoize } from './memo';
import { escalationPhrase } from './extract';

export type PostKind = 'complaint' | 'thanks' | 'question' | 'other';

export interface PostReading {
  kind: PostKind;
  /** The words that decided it ("still no refund", "thanks for nothing", "finally got a reply"), if any. */
  cue: string | null;
  /** The post says the business's answer did not settle it ("still no refund", "your reply did not help"). */
  stillUnhappy: boolean;
  /** The post threatens to go further: a review, a chargeback, cancelling, leaving, going public. */
  threat: boolean;
}

// Said after an answer: the problem is not settled.
const STILL_UNHAPPY: RegExp[] = [
  /\bstill (?:no|not|nothing|waiting|haven'?t|hasn'?t|can'?t|cannot|doesn'?t|don'?t|won'?t|isn'?t|broken|missing|the same|charging|charged|getting|having|stuck|down|a problem|an issue)\b[^.!?\n]{0,30}/,
  /\b(?:your|the|that|their|this) (?:reply|response|answer|email|e-mail|message|advice|fix|suggestion|agent|rep|team)\b[^.!?\n]{0,20}\b(?:did(?: ?n'?t| not)|does(?: ?n'?t| not)|won'?t|was(?: ?n'?t| not)) (?:help|work|fix|solve|answer|sort|resolve)\w*/,
  /\b(?:did(?: ?n'?t| not)|does(?: ?n'?t| not)) (?:help|fix|solve|resolve|answer) (?:anything|a thing|my|the|it)\b/,
  /\b(?:useless|pointless|copy[- ]?paste|canned|generic|automated|scripted) (?:reply|response|answer|email|e-mail)\b/,
  /\b(?:replied|answered|responded|got (?:a |an )?(?:reply|answer|response))\b[^.!?\n]{0,40}\b(?:but|and) (?:still|nothing|no |it|that|they|you)\b[^.!?\n]{0,30}\b(?:no|not|n'?t|nothing|never|again|wrong)\b/,
  /\b(?:again|another) (?:no|wrong|broken|missing|late|delayed|cancelled|canceled)\b/,
  /\bnot (?:fixed|resolved|sorted|solved|refunded) (?:yet|at all)\b/,
];

// Said instead of thanks: sarcasm.
const SARCASM: RegExp[] = [
  /\bthanks? (?:you )?(?:for|4) (?:nothing|ruining|wasting|ignoring|the (?:useless|non|pointless|runaround|run around)|making me|leaving me|losing|breaking|cancell?ing|charging|letting me down|not|never|absolutely nothing)/,
  /\b(?:thanks|thank you|cheers|great|good|nice|well done|love|awesome|brilliant|fine|wonderful|perfect|fantastic)\b[^🙄🙃😒😑🤦]{0,80}(?:🙄|🙃|😒|😑|🤦)/u,
  /\b(?:thanks|thank you|great job|well done|nice one|good job|love it)\b[^.!\n]{0,40}(?:#not\b|#fail\b|\/s\b|not!)/,
  /\b(?:thanks|cheers) a lot\b[^.!?\n]{0,30}\b(?:not|no|nothing|never|ruin|wast)/,
  /\bthanks,? (?:new|stupid|useless)\b/,
  /\bthanks (?:to|@\w+) [^.!?\n]{0,30}\b(?:i'?ll now|i now|now i)\b[^.!?\n]{0,30}\b(?:other|exclusively|switch|elsewhere|competitor)/,
  /\bthanks?\b[^.!?\n]{0,15},? i'?ll (?:now )?(?:exclusively )?(?:be )?(?:using|switch|go(?:ing)? (?:to|with)|take my business)/,
  /\b(?:nothing beats|love (?:it )?when|love how|gotta love|got to love|so glad|great,|oh great|just great|wonderful,)\b[^.!?\n]{0,80}\b(?:cancel|late|delay|broke|wait|hold|not|no |never|lost|dead|crash|down|fail|wrong)/,
];

// Threats to go further.
const THREAT: RegExp[] = [
  /\b(?:charge ?back|dispute (?:the|this|it|with my bank)|call(?:ing)? my bank|report(?:ing)? (?:you|this|it) to|trading standards|small claims|bbb\b|better business bureau|lawyer|solicitor|legal action|sue you)/,
  /\b(?:cancel(?:l?ing)?|close|closing) my (?:order|subscription|account|membership|contract|plan|service)\b/,
  /\b(?:leav(?:e|ing)|writ(?:e|ing)|post(?:ing)?) (?:a |an )?(?:\d[- ]star |bad |negative |honest |1-star |one[- ]star )?(?:review|rating)\b/,
  /\b(?:never|not) (?:again|(?:ordering|buying|shopping|flying|using you|using them|coming back|recommending)\b[^.!?\n]{0,20}(?:again|from you|with you)?)/,
  /\b(?:i will|i'?ll|i am going to|i'?m going to|gonna|going to) (?:leave|switch|cancel|go elsewhere|take my (?:business|money))\b/,
  /\bswitch(?:ing)? (?:to|providers|carriers|banks)\b|\bport(?:ing)? (?:back |out |away )?(?:to|from)\b/,
  /\bgo(?:ing)? public\b|\beveryone (?:should )?know\b|\bwarn(?:ing)? (?:everyone|others|people)\b/,
  // Warning others off: "do not buy from @shop", "stay away from them".
  /\b(?:do not|don'?t|never) (?:buy|order|shop|book|fly)(?:ing)? (?:from|with|at)\b|\bstay away from\b/,
];

// Resolution or thanks for what was done (checked for a negation just before: "not fixed", "isn't working").
const RESOLVED: RegExp[] = [
  /\bfinally (?:got|received|heard|had|arrived|came|here|sorted|fixed|resolved|working|works|figured|managed)\b[^.!?\n]{0,40}/,
  /\b(?:all|it'?s|its|it is|that'?s|problem|issue|everything|has been|have been|got it|get it) (?:sorted|resolved|fixed|solved|working(?: again| fine)?)\b/,
  /\b(?:sorted|resolved|fixed|solved|working|works(?: fine)?) (?:now|again)\b/,
  /\b(?:who|they|she|he|you|someone) (?:fixed|sorted|resolved|solved) (?:it|this|the problem|the issue)\b/,
  /\b(?:figured (?:it )?out|never ?mind|all good now|problem solved|issue solved|back up and running)\b/,
  /\b(?:thanks|thank you|thx|ty|cheers|appreciate[ds]?|grateful)\b[^.!?\n]{0,60}\b(?:sorting|fixing|resolving|help(?:ing)?|quick|fast|prompt|speedy|reply|response|getting back|the call|calling|reaching out|checking in|sorting out|support|assistance|update)\b/,
];
const NEGATED_BEFORE = /(?:\bnot|n't|\bnever|\bno longer|\bstopped|\buntil|\bunless|\byet to|\bif)\s+(?:\w+\s+){0,2}$/;

const THANKS =
  /\b(?:thanks|thank (?:you|u)|thanx|thx|ty|cheers|danke|merci|gracias|obrigad[oa]|appreciate(?:d|s)?|grateful|kudos|shout ?out|well done|great job|good job|nice one)\b|❤|♥|😍|🙏|👍|😊|🙂/;
const PRAISE =
  /\b(?:love (?:it|my|this|the|you|flying|how)|loving|great|awesome|amazing|excellent|brilliant|fantastic|wonderful|perfect|superb|the best|best (?:airline|service|company|customer)|favou?rite|(?:pleasantly )?surprised|impressed|happy with|delighted|lovely|not bad|so good|legend|hero|lifesaver|rock(?:s)?\b)/;

// A problem with the business's product or service.
const PROBLEM: RegExp[] = [
  /\b(?:not|n'?t|never|no longer|stopped|stop) (?:working|work|arrived?|received?|came|come|delivered|shipped|dispatched|despatched|load(?:ing)?|connect(?:ing)?|charging|turn(?:ing)? on|open(?:ing)?|respond(?:ing)?|let(?:ting)? me|able|allowed|showing|reflecting|sync(?:ing)?|play(?:ing)?|updat(?:e|ing)|download(?:ing)?|install(?:ing)?|reachable|refunded|fixed|resolved|sorted|happy|satisfied|acceptable|ok(?:ay)?\b|good enough|help(?:ful|ing)?|heard back|got (?:a|any|my)|allow(?:ed|ing)?|return(?:ed|ing)?|process(?:ed)?|accept(?:ed|ing)?)/,
  /\b(?:can'?t|cannot|can not|couldn'?t|could not|unable to|won'?t|wont|doesn'?t|does not|didn'?t|did not|isn'?t|is not|aren'?t|haven'?t|have not|hasn'?t|has not)\b/,
  /\b(?:problem|issues?|trouble[sd]?|error|glitch|bug(?:gy)?|broken|broke|crash(?:es|ed|ing)?|stuck|frozen|freez(?:es|ing)|slow|lag(?:gy|ging)?|outage|offline|dead|fault(?:y)?|defective|damaged|missing|lost|wrong|late|delay(?:ed|s)?|cancell?ed|overcharged|double charged|charged me|scam|fraud|rip[- ]?off|spam)\b/,
  /\b(?:is|are|was|were|been|went|goes|still|keeps going|service|site|app|servers?|system|network|internet) down\b|\bdown again\b/,
  /\b(?:worst|terrible|horrible|awful|appalling|shocking|disgusting|disgrace(?:ful)?|pathetic|ridiculous|unacceptable|useless|rubbish|garbage|trash|crap(?:py)?|shit(?:ty)?|shite|joke|nonsense|incompetent|lazy|rude|crooks?|annoy(?:ed|ing)|frustrat(?:ed|ing)|disappoint(?:ed|ing|ment)|upset|angry|mad at|furious|fed up|sick of|tired of|not happy|unhappy|shame on|how hard|why (?:is|does|did|do|are|can'?t|won'?t|haven'?t|hasn'?t|tf|the hell)|what the hell|wtf|seriously|come on|fix (?:it|this|y'?all)|sort (?:it|this) out|ruin(?:ed|ing)?|ignor(?:ed|ing)|waste[ds]?|wasting|hung up|on hold|bummer|ugh)\b/,
  /\b(?:(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) (?:week|day|month|time)(?! of the)|(?:weeks?|days?|months?) now|waiting(?! list| room| area)|waited|wait(?:ing)? (?:for|since)|been \d+|its been|it'?s been|over an? (?:hour|day|week|month)|for (?:hours|days|weeks|months)|\d+ (?:hours?|hrs?|days?|weeks?|months?) (?:now|already|and|since|ago|later|of)|days? \d+|any (?:update|news|word|response|reply)s?|when (?:will|can|might|do) i (?:get|hear|receive)|reply to my|respond to my|answer my|still (?:awaiting|pending))\b/,
  // Chasing one's own case is a complaint, not a plain question: "where is my refund?", "did you get my email?".
  /\b(?:(?:where(?:'s| is| are)?|when (?:will|do|can|is|are)|what(?:'s| is) (?:happening|going on) with|how long)\b[^.?!\n]{0,40}\b|(?:has|have|is|was|did) )(?:my|our|ur|your) (?:order|refund|parcel|package|delivery|replacement|money|e-?mails?|mail|message|dm|ticket|case|complaint|claim|return|item|booking|invoice|investigation|application|request)s?\b/,
  /\b(?:did|have|has) (?:you|anyone|someone|u) (?:get|got|received?|seen?|read|looked at|checked) (?:my|our) (?:e-?mails?|mail|messages?|dms?|tickets?|complaint|request)\b/,
  /\b(?:help!|please help|pls help|plz help|help me please|need help|send help|help pls|help please|halp|urgent|asap)\b/,
  /\b(?:struggling|unpleasant|forgetful|denied|refused|inadmissible|unsuccessful|without success|no luck|no dice|to no avail|nothing happen(?:ed|s)|keeps? (?:losing|dropping|crashing|freezing|buffering|failing|getting|saying|asking)|buffer(?:s|ing)|losing (?:service|signal|time|money|connection)|not capable|incapable|profiteering|price goug\w*|what'?s (?:going on|happening)|how the (?:heck|hell)|act smart|worse|don'?t try|no (?:driver|announcements?|sound|signal|service|internet|connection|power|wifi|water|heating|refund|answer|reply|response|help|one can help|idea why)|gets? stuck|only \d+p|never \w+ (?:at )?(?:your|their) customers|sucks?|locked out|unavailable|unsafe|what'?s wrong|now what|with nothing|no option|get it together|tried everything|(?:my|the|our) money(?: back)?|money back|you promised|promised (?:me|us)|(?:we|i) (?:were|was) told|(?:is|are|has|have) (?:gone|disappeared)|since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last \w+)|wtaf|wtf)\b/,
  /\b(?:no puedo|descontent\w*|problema|ayuda|ajud\w+|reclama\w*|n[aã]o (?:estou|consigo|consegui)\w*|n'arrive pas|ne marche pas|probl[eè]me|s'il vous pla[iî]t|nicht|kein\w*|funktioniert)\b/,
  /[😡😠🤬😤😩😫😭😢😞😔🙄🙃🤦👎💩]/u,
];

// Negated problem words: not a complaint ("no problem", "no worries", "never had an issue").
const NOT_A_PROBLEM =
  /\b(?:no (?:problem|problems|issue|issues|trouble|worries|worry|rush|complaints?)|not a problem|never had (?:an? |any )?(?:issue|problem)s?|without (?:any )?(?:issue|problem)s?|(?:not|nothing) wrong|it'?s alright|all good|no harm)\b/g;

const QUESTION_START =
  /^(?:hi|hello|hey|dear|ok(?:ay)?|so|and|also|quick question:?)?[\s,!.]*(?:how|what|when|where|which|who|why|is|are|am|was|were|do|does|did|can|could|will|would|should|may|has|have|any ?one|anybody)\b/;

function norm(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|\s)[@.]@?\w+/g, ' ')
    .replace(/[’‘`´]/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function first(res: RegExp[], s: string): string | null {
  for (const re of res) {
    const m = re.exec(s);
    if (m) return m[0].trim();
  }
  return null;
}

/** The first resolution phrase not negated just before it ("not fixed", "isn't working"), or null. */
function resolution(s: string): string | null {
  for (const re of RESOLVED) {
    const m = re.exec(s);
    if (m && !NEGATED_BEFORE.test(s.slice(Math.max(0, m.index - 30), m.index))) return m[0].trim();
  }
  return null;
}

/** How many of the problem lists a text hits (escalation wording counts as one), and the first words hit. */
function problems(s: string): { n: number; cue: string | null } {
  const esc = escalationPhrase(s);
  let n = esc ? 1 : 0;
  let cue: string | null = esc;
  for (const re of PROBLEM) {
    const hit = re.exec(s)?.[0] ?? null;
    if (hit) {
      n++;
      cue ??= hit.trim();
    }
  }
  return { n, cue };
}

/** Read one post: complaint, thanks or praise, plain question, or other, with the words that decided it. Memoized (shared: not to be changed): escalation marking reads each post of an account up to three times, linking once more. */
export const readPost: (text: string) => Readonly<PostReading> = memoize((text: string) => Object.freeze(readPostUncached(text)));

function readPostUncached(text: string): PostReading {
  const s = norm(text);
  const threat = first(THREAT, s);
  const still = first(STILL_UNHAPPY, s);
  const sarcasm = first(SARCASM, s);
  const stillUnhappy = still !== null;
  if (still || sarcasm || threat) {
    return { kind: 'complaint', cue: still ?? sarcasm ?? threat, stillUnhappy, threat: threat !== null };
  }
  const cleared = s.replace(NOT_A_PROBLEM, ' ').replace(/\bnot bad\b/g, ' ');
  const problem = problems(cleared);
  // Thanks for help still to come is not thanks for help given.
  const thanked = s.replace(/\b(?:thanks|thank you|thx|ty) in advance\b|\b(?:a response|a reply|any help|help|an answer)\s+(?:would be|is|will be)\s+(?:much |greatly |really )?appreciated\b/g, ' ');
  const resolved = resolution(thanked);
  const thanks = THANKS.exec(thanked)?.[0] ?? null;
  const praiseHit = PRAISE.exec(cleared);
  // "not doing a great job" is no praise.
  const praise = praiseHit && !NEGATED_BEFORE.test(cleared.slice(Math.max(0, praiseHit.index - 30), praiseHit.index)) ? praiseHit[0] : /\bnot bad\b/.test(s) ? 'not bad' : null;
  // A resolution ("finally got a reply", "sorted now, thanks") is thanks unless a problem follows it with "but".
  if (resolved && !/\b(?:but|however|except|although|though)\b[^.!?]{0,60}\b(?:not|n't|no|still|again|wrong|never)\b/.test(cleared.slice(Math.max(0, cleared.indexOf(resolved))))) {
    return { kind: 'thanks', cue: resolved, stillUnhappy: false, threat: false };
  }
  // Praise outweighs one problem ("2 hours late but the crew is GREAT"), not two.
  if (praise && problem.n <= 1) return { kind: 'thanks', cue: praise, stillUnhappy: false, threat: false };
  // A courtesy thanks ("… Thanks!") around a problem report or a question is that report or question.
  if (thanks && !problem.n && !s.includes('?')) return { kind: 'thanks', cue: thanks, stillUnhappy: false, threat: false };
  if (problem.n) return { kind: 'complaint', cue: problem.cue, stillUnhappy: false, threat: false };
  if (s.includes('?') || QUESTION_START.test(s)) return { kind: 'question', cue: null, stillUnhappy: false, threat: false };
  return { kind: 'other', cue: null, stillUnhappy: false, threat: false };
}

/** Whether a post complains (see readPost). */
export function isComplaint(text: string): boolean {
  return readPost(text).kind === 'complaint';
}

/** The words of a threat to go further (a review, a chargeback, cancelling, going public), or null. */
export function threatPhrase(text: string): string | null {
  return first(THREAT, norm(text));
}
