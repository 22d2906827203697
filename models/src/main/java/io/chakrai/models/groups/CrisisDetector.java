package io.chakrai.models.groups;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crisis language in a group message, in layers, recall before precision:
 *
 * <ol>
 *   <li><b>phrase rules</b> per concept of the Columbia suicide-severity screening ({@link
 *       CrisisConcept}), on text normalised for chat (slang such as "kms", "unalive", missing
 *       apostrophes), after removing idioms ("this commute is killing me", "dying to see it", "lol
 *       I'm dead"), quotations of songs, books and films, and skipping a rule whose match is
 *       negated ("I'm not suicidal"), in the past ("I used to self-harm") or about someone else
 *       ("my friend said she wants to die");
 *   <li><b>meaning</b>: when no rule fired and nothing was explicitly negated, cosine similarity of
 *       the message to statements written per concept (sentence embeddings), a recall booster;
 *   <li><b>trend</b>: hopelessness in a message whose author's mood has been falling across their
 *       recent messages, or two signs of hopelessness in one message.
 * </ol>
 *
 * Pure and thread-safe; the embedder is optional.
 */
public final class CrisisDetector {
    /**
     * What the detector found: whether to hold the message and escalate, which concepts fired and
     * why.
     */
    /**
     * @param probability the learned model's, for the sentence it finds most at risk among those it
     *     may judge (not vetoed by the rules, not about someone else); 0 when it did not run
     * @param vetoed the rules found crisis words, but only negated, in the past or about someone
     *     else
     */
    public record Result(
            boolean flagged,
            Set<CrisisConcept> concepts,
            List<String> reasons,
            double probability,
            boolean vetoed) {
        public static Result none() {
            return new Result(false, Set.of(), List.of(), 0, false);
        }

        public boolean severe() {
            return concepts.stream().anyMatch(CrisisConcept::severe);
        }
    }

    /** The layers, each switchable so that the evaluation can measure what each one adds. */
    public enum Layer {
        /**
         * phrase rules per concept (flag) and their suppression: negation, the past, someone else
         * (veto)
         */
        RULES,
        /** the learned model on the sentence embedding ({@link CrisisModel}) */
        CLASSIFIER,
        /** similarity to the hand-written risk statements */
        MEANING,
        /** hopelessness, twice in a message or as the author's mood falls */
        TREND
    }

    /**
     * Similarity to the closest risk statement above which the meaning layer flags (tuned on the
     * dev set).
     */
    public static final double DEFAULT_SIMILARITY = 0.65;

    private record Rule(
            CrisisConcept concept,
            Pattern pattern,
            boolean negationInPattern,
            boolean selfInPattern) {}

    private static final List<Rule> RULES = new ArrayList<>();

    private static void rule(CrisisConcept c, String regex) {
        RULES.add(new Rule(c, Pattern.compile(regex), false, false));
    }

    /**
     * A rule whose pattern names the author itself ("myself", "my life", "when I'm gone"): no
     * subject check.
     */
    private static void selfRule(CrisisConcept c, String regex) {
        RULES.add(new Rule(c, Pattern.compile(regex), false, true));
    }

    /**
     * A rule whose pattern contains its own negation ("don't want to live"): no negation check
     * either.
     */
    private static void negatedRule(CrisisConcept c, String regex) {
        RULES.add(new Rule(c, Pattern.compile(regex), true, true));
    }

    static {
        CrisisConcept w = CrisisConcept.WISH_TO_BE_DEAD;
        rule(w, "\\b(?:want|wanted|wish|need|ready|hope|like|deserve)\\s+to\\s+die\\b");
        rule(w, "\\b(?:want|wish|like|rather|ready) to be dead\\b");
        selfRule(
                w,
                "\\bwish (?:that )?i (?:was|were|could (?:just )?(?:be|die|disappear(?!\\s+for (?:a|an|the|one|two|a few) "
                        + "(?:week|day|weekend|while|bit|month|year|hour|few))|stop existing|not wake up)|"
                        + "had never been born|never existed|(?:was|were) never born)");
        selfRule(
                w,
                "\\bwish i (?:could )?(?:just )?(?:be dead|die|disappear(?!\\s+for (?:a|an|the|one|two|a few) (?:week|day|weekend|while|bit|month|year|hour|few))|stop existing)\\b");
        rule(w, "\\bbetter off dead\\b");
        rule(
                w,
                "\\brather (?:be dead|die) than (?:keep|continue|go on|live|living|feel|be like|spend|carry|wake)");
        negatedRule(
                w,
                "\\b(?:be|been) (?:better|happier|fine|relieved|easier)(?: off)?(?: if i (?:was|were|wasn't|weren't|"
                        + "am not|was not|were not|just)? ?(?:here|gone|around|dead|disappeared|ended it)| without me)");
        selfRule(w, "\\b(?:relieved|happier|better) (?:when|once|after) i'm gone\\b");
        selfRule(w, "\\bwhen i'm gone\\b(?!\\s+(?:on|for|to|away|out|from|at)\\b)");
        selfRule(
                w,
                "\\b(?:i'm|i am|i feel like)(?: just| such| nothing but)? (?:a|an) (?:burden|waste of space|waste of oxygen)\\b");
        selfRule(
                w,
                "\\b(?:nobody|no one|noone)(?: would| will)? (?:even )?(?:notice|care|miss me)(?: if| when) i(?:'m| was| were| am)? "
                        + "(?:gone|dead|not here|disappeared)");
        negatedRule(
                w,
                "\\b(?:hope|hoping|pray|praying)\\b.{0,25}?\\b(?:that )?(?:i (?:don't|won't|do not|will not|never) wake up|"
                        + "my heart (?:just )?stops|(?:a|the) (?:car|bus|truck|train) hits me|i die|i don't make it)");
        negatedRule(w, "\\bsleep and (?:never|not) wake up\\b");
        negatedRule(w, "\\b(?:never|not) wake up again\\b");
        rule(w, "\\bsleep forever\\b");
        rule(w, "\\b(?:stop|cease|quit) existing\\b");
        rule(w, "\\bdisappear(?:ed)? (?:forever|for good|permanently)\\b");
        negatedRule(
                w,
                "\\b(?:don't|do not|no longer|never|not sure i|not sure if i|can't|cannot|doesn't|dont)\\s+(?:really |even |ever |"
                        + "want to |really want to )?(?:want|wish|wanna|feel like i want)\\s+to\\s+(?:live|be alive|exist|be here|be around|wake up|keep living|"
                        + "keep going|go on(?!\\s+(?:a|an|the|with|holiday|vacation|about|that|this)\\b))\\b");
        selfRule(
                w,
                "\\b(?:hate|tired of|sick of|done with|exhausted by|over|can't stand|can't bear) (?:being alive|living|life|existing|my life|being here)\\b");
        negatedRule(
                w,
                "\\b(?:no|not any|isn't any|no more|see no|don't see any|don't have any) (?:reason|point)(?: for me)?(?: left)? "
                        + "(?:to|in|of|for) (?:me )?(?:keep )?(?:living|live|going on|go on|being alive|being here|staying alive|existing|wake up|waking up)");
        rule(
                w,
                "\\bwhat(?:'s| is) the point (?:of|in) (?:living|life|going on|being alive|me being here|waking up|trying anymore|anything anymore)");
        negatedRule(
                w, "\\blife (?:isn't|is not|isnt|ain't|is no longer|not) worth (?:living|it)\\b");
        negatedRule(
                w,
                "\\b(?:can't|cannot|can not) (?:go on|keep going|carry on|take (?:it|this|any more|this pain) ?(?:anymore|any longer|any more)?"
                        + "|do this anymore|live like this|keep living)\\b(?!\\s+(?:with|to|at)\\b)");
        rule(
                w,
                "\\b(?:want|wanted|need) (?:it all|everything|all of (?:it|this)|my life|it|everything) to (?:end|stop)"
                        + "(?: for good| forever| permanently)?(?![\\w ]*\\b(?:week|day|shift|meeting|semester)\\b)");
        rule(
                w,
                "\\bwant to (?:stop|end|disappear|sleep|be gone)\\b.{0,40}\\b(?:forever|for good|permanently)\\b");
        negatedRule(
                w,
                "\\b(?:won't|will not|wont) be (?:here|around|alive|a problem for anyone|a burden)(?: much longer| tomorrow| for long|"
                        + " anymore| soon| after)?\\b(?!\\s+(?:next|on|at|in|for|until)\\b)");
        negatedRule(
                w,
                "\\b(?:don't|do not) think i'll (?:be (?:around|here|alive)|make it) (?:much )?(?:longer|past|through)");
        selfRule(w, "\\bi'll be gone (?:soon|forever|for good)\\b");
        selfRule(w, "\\bi(?:'m| am) ready to go\\s*$");
        selfRule(
                w, "\\bi should (?:just )?(?:go|disappear|not be here|not exist|die|be dead)\\s*$");
        negatedRule(
                w,
                "\\b(?:can't|cannot|don't) see (?:a|any) (?:way out|future|reason to (?:live|go on))");
        rule(w, "\\bgive up on (?:(?:everything|it all),? )?(?:on )?(?:life|living)\\b");
        selfRule(w, "\\bi'm (?:so )?done with (?:life|living|everything|it all|this life)\\b");

        negatedRule(
                w,
                "\\b(?:want|wish|like|rather|prefer|need) to not (?:exist|be here|be alive|be around|wake up|live|be anymore)\\b");
        negatedRule(
                w,
                "\\b(?:didn't|don't|never|wouldn't|did not) wake up (?:tomorrow|again|in the morning|one day|someday)\\b");
        rule(w, "\\bfeel(?:ing)? like dying\\b");
        rule(
                w,
                "\\bonly (?:way out|escape|option|answer|solution|way to stop (?:this|it|the pain))(?: left)? (?:is|would be|seems to be|is to) "
                        + "(?:death|dying|to die|suicide|ending it|ending my life|killing myself)");
        rule(
                w,
                "\\b(?:death|dying|suicide|ending it) (?:is|seems|feels|looks)(?: like)? (?:the|my) only (?:way out|option|escape|answer|solution)");
        negatedRule(
                w,
                "\\b(?:no|not any|isn't any|no more|see no|don't see (?:any|the|a)|can't see (?:any|the|a)|lost (?:the|any|all|my)) "
                        + "(?:reason|point|will|wish|desire)(?: for me)?(?: left)? (?:to|in|of|for) (?:me )?(?:keep )?(?:living|live|going on|go on|being alive|"
                        + "being here|staying alive|existing|waking up|life)");
        negatedRule(
                w,
                "\\b(?:can't|don't|cannot) (?:see|imagine|picture) (?:myself|me) (?:being |still )?(?:alive|here|around|living|making it)");
        selfRule(
                w,
                "\\bi(?:'ll| will) be gone\\b(?!\\s+(?:for|on|until|from|to|at|all|by|between|over|in|this|next|tomorrow|tonight|"
                        + "during|while|when|before|after)\\b)");
        rule(
                w,
                "\\b(?:time to|want to|going to|should|could|might|will|ready to|just|about to|gonna) (?:just )?end it\\s*$");
        rule(w, "\\bwant to be gone\\s*$");
        CrisisConcept t = CrisisConcept.SUICIDAL_THOUGHTS;
        selfRule(
                t,
                "\\b(?:kill|killing|killed|off|offing|hang|hanging|hanged|shoot|shooting|drown|drowning|poison|poisoning|end)\\s+myself\\b");
        selfRule(t, "\\b(?:take|taking|took|end|ending|ended|ends)\\s+my\\s+(?:own\\s+)?life\\b");
        rule(t, "\\b(?:i|i'm|i am|i've|me|feeling|feel|felt)\\b[^,]{0,20}\\bsuicidal\\b");
        rule(
                t,
                "^\\s*(?:(?:having|having some|some|more|the|these)\\s+)?suicidal (?:thoughts|feelings|urges|ideation)");
        rule(
                t,
                "\\b(?:thoughts?|thinking|think|thought|considering|considered|contemplating|dreaming|fantasi[sz]ing|obsessing|wanting)\\s+"
                        + "(?:seriously\\s+)?(?:about|of|to)?\\s*(?:suicide|killing myself|ending (?:it|it all|my life|things|everything)|end it all|"
                        + "taking my (?:own )?life|dying|not being (?:here|alive|around)|my death|jumping|overdos\\w*|not waking up|(?:the )?(?:train )?tracks|"
                        + "the bridge|(?:the|my) (?:pills|gun|rope|razor|blades?))");
        negatedRule(
                t,
                "\\b(?:thoughts?|thinking|think|thought)\\s+(?:about|of)\\s+(?:not being (?:here|alive|around)|not waking up|not existing)");
        rule(
                t,
                "\\b(?:seriously )?considering suicide\\b|\\bsuicide (?:a lot|constantly|every day|all the time)");
        rule(t, "\\b(?:attempted|attempt|tried|try) (?:suicide|to end it)\\b");
        rule(t, "\\bend(?:ing)? it all\\b");
        rule(t, "\\b(?:just |if i )?ended it\\b");

        rule(t, "\\bend(?:ing)? everything\\b(?!\\s+(?:with|at|on|for|early|in)\\b)");
        rule(
                t,
                "\\b(?:suicide|dying|death|ending (?:it|my life)|killing myself|not being here)\\b.{0,25}\\b(?:cross(?:es|ing|ed)? my mind|"
                        + "on my mind|in my head|won't leave me|haunts me|all i think about)");
        CrisisConcept m = CrisisConcept.METHOD;
        negatedRule(
                m,
                "\\bhow (?:many|much) (?:pills|tablets|of (?:my|the) (?:medication|meds|pills|tablets)|tylenol|paracetamol|insulin)\\b.{0,40}"
                        + "\\b(?:take|lethal|kill|die|wake up|overdose|enough|it take)");
        rule(m, "\\blethal dose\\b");
        rule(m, "\\b(?:overdose|overdosing|od)\\b(?!\\s+(?:awareness|prevention|crisis|deaths?))");
        selfRule(
                m,
                "\\btak(?:e|ing) (?:all|all of|every one of|the rest of) my (?:pills|meds|medication|tablets)");
        rule(
                m,
                "\\b(?:jump|jumping|jumped|throw(?:ing)? myself|step|stepping|walk|walking|lie down)\\s+(?:off|from|in front of|into|onto)\\s+"
                        + "(?:a |the |my |that )?(?:bridge|roof|building|balcony|cliff|train|bus|truck|traffic|car|tracks|river|railway)");
        rule(
                m,
                "\\b(?:looked|looking|look|googled|googling|searched|searching|researching|read) (?:up )?(?:how (?:high|tall|deep) (?:the|a|that) "
                        + "(?:bridge|building|roof|cliff))");
        rule(
                m,
                "\\b(?:painless |quick |quickest |easiest |easy |best )?(?:ways?|how) to (?:die|kill myself|hang myself|end it|overdose|end my life)\\b");
        rule(m, "\\b(?:slit|slitting|cut|cutting|slice|slicing) (?:my )?wrists?\\b");
        rule(m, "\\bnoose\\b");
        rule(
                m,
                "\\b(?:rope|gun|pills|razor|blade|bottle of pills)s?\\b.{0,60}\\b(?:using it|use it|on myself|for myself|end it|"
                        + "kill me|to die|my way out|solve everything|end everything|make it (?:all )?stop|fix everything|be the answer|way out|do it)\\b");
        rule(
                m,
                "\\bstar(?:e|ing|ed) at (?:the|a|my) (?:bottle of )?(?:pills|gun|rope|blade|razor|bottle|tablets|meds)");
        rule(
                m,
                "\\bdriv(?:e|ing) (?:my car |the car )?(?:into|off) (?:a |the )?(?:wall|tree|bridge|cliff|traffic|river|lake|lorry|truck)");
        rule(m, "\\bbridge\\b.{0,60}\\bjump");
        rule(
                m,
                "\\b(?:standing|sitting|stood|sat|i'm) (?:on|at) (?:the )?(?:edge|ledge|bridge|roof|tracks|railway|cliff)\\b(?!\\s+(?:terrace|garden|bar|path|walk|trail|top path|of (?:my|the) (?:seat|bed)))");

        CrisisConcept i = CrisisConcept.INTENT;
        rule(
                i,
                "\\b(?:i'm|i am|i will|i'll|going to|about to|decided to|ready to|plan to)\\s+(?:finally |just |really )?"
                        + "(?:kill myself|end (?:it|it all|my life|things|everything)(?!\\s+with\\b)|take my (?:own )?life)");
        rule(
                i,
                "\\b(?:going to|about to) do it (?:tonight|today|tomorrow|this weekend|soon|now)\\b");
        rule(
                i,
                "\\b(?:tonight|today|tomorrow|this weekend)\\b.{0,40}\\b(?:i'm|i am|i'll|i will)?\\s*(?:going to|about to|will) do it\\b");
        rule(
                i,
                "\\b(?:going to|gonna) do it\\b.{0,40}(?:can't take it|can't do this|no other way|nobody can stop)");
        rule(i, "\\bend(?:ing)? it (?:all |)(?:tonight|today|now|soon|this weekend|tomorrow)\\b");
        rule(i, "\\bthis is (?:my )?goodbye\\b");
        rule(
                i,
                "\\bgoodbye\\b.{0,30}\\b(?:sorry for everything|i'm sorry|forever|for good|thank you for (?:trying|everything)|"
                        + "love you all|it's over|won't see)");
        rule(
                i,
                "\\b(?:my )?(?:last|final) (?:message|time you'll hear from me|words)\\b(?!\\s+(?:before|for (?:today|tonight|now)|of the day|until))");
        rule(i, "\\b(?:i've|i have) (?:decided|made up my mind),? i'm (?:ending|going)");

        rule(
                i,
                "\\b(?:tonight|today|tomorrow|now|soon|this weekend),? i (?:will |am going to |'m going to )?end (?:it|it all|everything|my life)\\b");
        CrisisConcept p = CrisisConcept.PLAN;
        rule(
                p,
                "\\b(?:a|my|the) plan (?:to|for|of) (?:end|ending|kill|killing|die|dying|suicide|take|taking)");
        rule(
                p,
                "\\b(?:planning|planned|planned out|plan|worked out) (?:out )?(?:my )?(?:own )?(?:suicide|death|how (?:i would|i'd|i'll|to|i'm going to) "
                        + "(?:do it|die|end it|kill))");
        rule(p, "\\b(?:planning|planned) (?:to|on) (?:kill|end|die|take my)");
        rule(p, "\\b(?:suicide|goodbye) (?:note|letter)s?\\b");
        rule(
                p,
                "\\b(?:picked|set|chosen|chose|decided on) (?:a|the|my) (?:date|day|time|place|spot)\\b(?!\\s+for (?:the|our|my) (?:wedding|party|"
                        + "meeting|trip|holiday|move|interview))");
        rule(
                p,
                "\\bknow (?:exactly )?(?:how and when|when and how|how i'm going to do it|how i'll do it|how i would do it|how i'd do it)");

        CrisisConcept a = CrisisConcept.PREPARATORY_ACTS;
        rule(
                a,
                "\\b(?:giving|gave|give|given) away (?:my|all my|all of my|most of my)\\s+(?:\\w+\\s+){0,1}?(?:things|stuff|belongings|possessions|cat|dog|"
                        + "pets?|everything|plants|favourite|favorite|jewel\\w*)\\b");
        rule(
                a,
                "\\bwon't need (?:them|it|these|those|any of (?:it|this|them))(?: anymore| much longer| where i'm going)?\\s*$");
        rule(
                a,
                "\\b(?:saving up|stockpil\\w+|hoard\\w*|collect\\w*|saved up|been saving|saving) (?:my |up )?(?:pills|meds|medication|tablets|"
                        + "painkillers|sleeping pills)");
        rule(
                a,
                "\\b(?:bought|got|buying|getting|have) (?:a |some )?(?:gun|rope|noose|razor blades?|blades?|pills)\\b.{0,30}\\b(?:for myself|for me|"
                        + "to use|to end)");
        rule(
                a,
                "\\b(?:wrote|written|writing|updated|made|make|making|update|updating) (?:a |my )?(?:will\\b"
                        + "(?!.{0,40}\\b(?:now that|since (?:we|the|our|my)|nothing morbid|for the (?:baby|kids|grandkids)|mortgage|"
                        + "married|lawyer|solicitor|insurance|adulting)\\b)|letters? (?:to|for) (?:everyone|my family|"
                        + "my kids|all|the people))");
        rule(
                a,
                "\\b(?:said|saying|say) (?:all )?my goodbyes\\b|\\bsay(?:ing)? goodbye to (?:everyone|everybody|all of you|my family)\\b"
                        + "(?!\\s+(?:for now|before|until|at))");

        CrisisConcept h = CrisisConcept.SELF_HARM;
        selfRule(
                h,
                "\\b(?:cut|cutting|burn|burned|burnt|burning|hurt|hurting|harm|harming|scratch\\w*|hit|hitting|punish\\w*|bruis\\w*|starve|"
                        + "starving)\\s+myself\\b");
        rule(h, "\\bself[- ]?harm\\w*\\b|\\bself[- ]injur\\w*");
        rule(
                h,
                "\\b(?:want|need|urge|urges) to (?:cut|burn|hurt)\\b(?!\\s+(?:back|down|out|the|my hair|a |it\\b|costs|ties|in|him|her|them|you))");
        rule(h, "\\bcut (?:my |into my )?(?:arms?|legs?|wrists?|thighs?|skin|stomach)\\b");
        rule(
                h,
                "\\b(?:cut|cutting|scratch\\w*|burn\\w*|hit\\w*|carv\\w*|punch\\w*) (?:my |into my )?(?:arms?|legs?|wrists?|thighs?|skin|stomach|"
                        + "body|face|head)\\b.{0,30}\\b(?:bled|bleed|bleeding|blood|scars?|scarred|bruised)\\b");
        rule(h, "\\buntil (?:it|they|i) (?:bled|bleeds|bruised)\\b");
        rule(h, "\\brelapsed\\b.{0,20}\\b(?:cut|cutting|burn|burned|self[- ]?harm)");
        warningSigns();
    }

    /** The means of suicide a person may get, keep or count (pills to ligatures). */
    private static final String MEANS =
            "(?:(?:sleeping |sleep |pain ?killer |heart )?(?:pills|tablets|meds|medications?|painkillers)|paracetamol|tylenol|"
                    + "acetaminophen|ibuprofen|aspirin|insulin|antidepressants|(?:a |the )?bottles? of (?:pills|tablets|meds|vodka and pills)|"
                    + "ropes?|noose|ligature|blades?|razors?(?: blades?)?|knife|knives|guns?|pistol|rifle|shotgun|bullets|ammo|poison|"
                    + "bleach|antifreeze|charcoal|(?:a |the )?hose ?pipe)";

    /** The places of means: heights, railways, roads, water. */
    private static final String PLACES =
            "(?:\\b(?:the |a |that |this |my )?(?:\\w+ )?(?:bridge|quarry|cliffs?|cliff edge|rooftop|roof|car ?park roof|"
                    + "multi[- ]stor(?:e)?y|top floor|\\d+(?:st|nd|rd|th) floor|balcony|ledge|platform edge|edge of (?:the )?platform|"
                    + "train tracks|tracks|railway(?: line)?|railroad|level crossing|motorway bridge|overpass|"
                    + "(?:sea|ocean|river|lake|canal|reservoir|water)))";

    /**
     * Warning signs the rules above, written as phrases, missed in chat-length messages nobody here
     * wrote (issue 25's outside set: plans with a time, means got or kept, places of means lingered
     * at, goodbyes, one's own absence imagined with relief, self-harm getting worse, not being
     * safe). Each is a class of sentence (a verb of getting, keeping or lingering, a means or a
     * place, and a cue of readiness, sufficiency or finality), not a line: the named warning signs
     * of suicide prevention guidance (acquiring means, researching a method, saying goodbye, giving
     * things away, talking of being a burden, not being able to stay safe).
     */
    private static void warningSigns() {
        CrisisConcept a = CrisisConcept.PREPARATORY_ACTS;
        // got, kept or counted means with a cue of enough, readiness or hiding
        rule(
                a,
                "\\b(?:bought|buying|got|getting|picked up|ordered|collected|collecting|saved|saving|kept|keeping|hid|hidden|"
                        + "hiding|stashed|stashing|stocked up on|have|i've|i've got|got hold of|filled)\\b.{0,30}?\\b"
                        + MEANS
                        + "\\b.{0,40}?\\b(?:enough|all i need|ready|just in case|in case i|for when|for tonight|"
                        + "when i decide|under my (?:pillow|bed|mattress)|hidden|where nobody|no one knows|nobody knows)\\b"
                        + "(?!.{0,30}\\b(?:bbq|barbecue|grill|migraine|headache|period|trip|holiday|flight|school|interview|camping|"
                        + "hike|climb\\w*|fishing|hunting|kitchen|cooking|dinner)\\b)");
        rule(
                a,
                "\\b(?:bought|got|picked up|ordered|have|i've got|collected)\\b.{0,20}?\\b(?:a second|another|a third|extra|"
                        + "more|(?:two|three|four|five|several|a few) (?:more )?)\\s+(?:bottles?|box(?:es)?|packs?|packets|strips?)\\b"
                        + ".{0,25}\\b(?:pills|tablets|meds|paracetamol|tylenol|painkillers|sleeping)");
        rule(
                a,
                "\\b(?:i've got|i have|got|bought|there's|there is|keep|kept)\\s+(?:a |the |my )?(?:rope|noose|ligature|gun|"
                        + "pistol|shotgun|charcoal|(?:a )?hose ?pipe)\\s+(?:in|under|at|ready|hidden|upstairs|in the)\\b"
                        + "(?!.{0,40}\\b(?:tent|climb\\w*|camping|boat|sail\\w*|tow\\w*|swing|washing|hammock|dog|hunt\\w*|range|club|garden|lawn)\\b)");
        // means set up or laid out
        rule(
                a,
                "\\b(?:the |my )?(?:rope|noose|ligature|pills|tablets|meds|gun|blades?|razors?|hose)(?:'s|'re| is| are)?\\s+"
                        + "(?:already |all |now )?(?:up|ready|loaded|tied|set up|counted out|laid out|lined up|in place|sorted|"
                        + "waiting)\\b(?!\\s+(?:for (?:the|my) (?:climb|trip|camping|hike|pharmacy|refill)|to (?:go back|return)))");
        // goodbyes, absence arranged for, things given away, accounts closed
        negatedRule(
                a,
                "\\b(?:if|when|once|after) i'm (?:not|no longer) (?:here|around|alive)\\b.{0,60}\\b(?:look after|take care of|"
                        + "feed|give|have|keep|tell|know|remember|sorry|find)");
        negatedRule(
                a,
                "\\b(?:this is the last time you'll hear from me|you won't hear from me again|you'll never hear from me again|"
                        + "it was (?:nice|good|lovely) knowing (?:you|all of you|everyone|you all)|remember me (?:well|kindly|as)|"
                        + "don't blame yourselves?|(?:you all|you guys|everyone here|this group) meant (?:so much|a lot|everything))\\b");
        negatedRule(
                a,
                "\\b(?:will|'ll|going to|is going to)\\s+(?:find|read|get|see)\\s+(?:my|the)\\s+(?:note|letter)s?\\b.{0,30}"
                        + "(?:in the morning|tomorrow|when|after|later|tonight|before)");
        rule(
                a,
                "\\b(?:left|leaving|wrote|written|writing|finished)\\s+(?:a |my )?(?:notes?|letters?)\\s+(?:for|to)\\s+(?:my |the )?"
                        + "(?:family|mum|mom|dad|parents|kids|children|wife|husband|partner|everyone|friends?|sister|brother)\\b"
                        + "(?!.{0,30}\\b(?:birthday|christmas|thank|holiday|lunch|dinner|school|shopping)\\b)");
        rule(
                a,
                "\\b(?:giving|gave|give|given) away (?:my|all my|most of my)\\s+(?:\\w+\\s+){0,2}?\\w+\\s+and\\s+(?:my\\s+)?\\w+"
                        + "(?!.{0,30}\\b(?:charity|moving|declutter\\w*|spring clean\\w*|kondo|car boot|too small|outgrown)\\b)");
        negatedRule(
                a,
                "\\b(?:deleted|deleting|closed|closing|cancelled|cancelling)\\s+(?:all |most )?(?:of )?my\\b.{0,40}"
                        + "\\b(?:won't|will not|don't|not going to) need\\b");
        negatedRule(
                a,
                "\\bwon't need (?:them|it|these|those|any of (?:it|this|them)|my \\w+)\\s+(?:soon|for long|much longer|"
                        + "after (?:tonight|tomorrow|this week)|where i'm going)\\b");

        CrisisConcept w = CrisisConcept.WISH_TO_BE_DEAD;
        selfRule(
                w,
                "\\b(?:imagin\\w*|pictur\\w*|think\\w* about|dream\\w* (?:of|about)|plann\\w*|fantasi[sz]\\w* about)\\s+"
                        + "my (?:own )?funeral\\b");
        negatedRule(
                w,
                "\\b(?:i|it|this|i'm|i am)\\s+(?:won't|will not|not going to) be (?:for|around|here) (?:(?:much|very) )?long(?:er)?(?: now)?\\s*$");
        negatedRule(
                w,
                "\\b(?:no|don't see any|can't see any|not any|can't find any|there's no) (?:reason|point) (?:for me )?"
                        + "(?:to|in) (?:still |even |really )?(?:be here|being here|be alive|being alive|be around|stay(?:ing)? (?:alive|here|around|on this earth)|live|exist)");

        CrisisConcept m = CrisisConcept.METHOD;
        // lingering at a place of means, or looking at how ("and not coming back" is its own
        // negation)
        negatedRule(
                m,
                "\\b(?:keep|kept|been|stood|standing|stand|sat|sitting|went|go|going|drove|driving|drive|walked|walking|stop|"
                        + "stopping|stopped|looked|looking|staring|stared|lean\\w*)\\b.{0,25}?"
                        + PLACES
                        + ".{0,60}?(?:how easy|how high|how far|how deep|looking down|over the (?:edge|railing|side)|edge|"
                        + "(?:and )?thinking|wondering|fast train|not (?:coming|going) back|again and again)"
                        + "(?!.{0,40}\\b(?:waiting for (?:a|the|my) (?:space|bus|train|lift|taxi|friend|mate|ferry)|parking|to park|"
                        + "queue|traffic|sunset|sunrise|the view|photos?|picnic|lunch|fishing|swim\\w*)\\b)");
        rule(
                m,
                PLACES
                        + "\\b.{0,40}?\\bi (?:keep |always |still )?(?:stop|go|stand|sit|walk|drive|end up|find myself)\\s+"
                        + "(?:there|up there|on it|at it)\\s+(?:every|for|again|most|each|a lot)\\b");
        negatedRule(
                m,
                "\\b(?:walk|walking|swim|swimming|drive|driving|wade|wading)\\s+(?:out\\s+)?(?:into|in|to)\\s+the\\s+"
                        + "(?:sea|ocean|river|lake|water)\\b.{0,40}\\b(?:not|never) (?:coming|come|swim\\w*|walk\\w*) back\\b");
        negatedRule(
                m,
                "\\bhow easy it would be\\b(?!\\s+to\\s+(?!die|end|jump|kill|step|fall|let go|disappear|just go|stop|not))");
        negatedRule(
                m,
                "\\b(?:looked up|look up|looking up|googled|googling|searched|searching|research\\w*|check\\w*|count\\w*|"
                        + "work\\w* out|figured out|figuring out)\\s+how (?:many|much|high)\\b.{0,30}?"
                        + "\\b(?:it would take|would it take|it'd take|it takes|i'd need|i would need|to be (?:enough|fatal|sure)|"
                        + "to (?:die|do it|not wake up))");

        CrisisConcept i = CrisisConcept.INTENT;
        negatedRule(
                i,
                "\\b(?:can't|don't think i can|not sure i can|no longer|unable to|won't be able to) keep (?:myself|me) safe\\b");
        negatedRule(
                i,
                "\\b(?:don't|can't|no longer) trust myself\\b(?!\\s+(?:with (?:money|cake|chocolate|food|cooking|my phone|"
                        + "a credit card|shopping|sweets|directions)|to (?:cook|drive|remember|choose|pick|decide)))");
        negatedRule(
                i,
                "\\bi'm not safe\\b(?:\\s+(?:right now|tonight|at the moment|with myself|around myself|alone|on my own|here))");
        rule(
                i,
                "\\b(?:take|taking|swallow|swallowing|down|downing)\\s+(?:all|every one)\\s+(?:of\\s+)?(?:them|these|those|the (?:pills|"
                        + "tablets|meds)|my (?:pills|tablets|meds))\\b.{0,30}\\b(?:tonight|today|tomorrow|now|at once|when|after|this weekend)\\b");
        rule(
                i,
                "\\b(?:tonight|today|tomorrow|this weekend|(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?: night)?|soon),?\\s+"
                        + "(?:it|this|everything|it all) ends\\b"
                        + "|\\bit (?:all )?ends (?:tonight|today|tomorrow|this weekend|(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)day)\\b");
        rule(
                i,
                "\\bthis time (?:i'll|i will|i'm going to|i am going to|i'm gonna)\\s+(?:make sure|get it right|do it properly|finish it|"
                        + "not fail|not mess (?:it )?up|succeed)\\b");
        rule(
                i,
                "\\b(?:voices?|something|it)\\s+(?:keeps?|are|is|kept)?\\s*(?:telling|tells|told|tell|telling)\\s+me to\\s+"
                        + "(?:kill myself|end (?:it|my life|everything)|die|hurt myself|jump|do it|cut)\\b");
        rule(
                i,
                "\\b(?:end it|go through with it)\\s+(?:when|after|once|while)\\s+(?:everyone|everybody|they|my \\w+|the \\w+)\\s+"
                        + "(?:is|are|goes|go|leaves|leave|falls?|gets?|has|have|'s)\\b");
        rule(
                i,
                "\\b(?:do it|end it|go|finish it|take them|take the (?:pills|tablets))\\s+(?:after|when|once) (?:everyone|everybody|they|the house|the \\w+|my \\w+)(?:'s| is| are| has| have)?\\s+(?:asleep|gone to bed|"
                        + "in bed|out|away|left)\\b.{0,10}$");

        CrisisConcept h = CrisisConcept.SELF_HARM;
        rule(
                h,
                "\\b(?:the |my )?(?:cutting|cuts|burning|burns|self[- ]?harm\\w*|scratching|hitting myself|urges?)\\s+(?:is|are|has been|"
                        + "have been|keeps?|'s)\\s+(?:getting|gotten|got)\\s+(?:worse|deeper|more often|more frequent|out of control|bad again)");
        selfRule(
                h,
                "\\b(?:cut|cuts|cutting)\\b.{0,40}\\b(?:went|go|going|have to go|had to go|cut|getting)\\s+(?:much |a lot |even )?deeper\\b"
                        + "|\\b(?:cut|cutting) (?:much |a lot |even )?deeper\\b");
        negatedRule(
                h,
                "\\b(?:cut|cutting|burn\\w*|scratch\\w*|hurt\\w*|hit\\w*)\\b(?!\\s+(?:carbs|sugar|back|down|costs|out|hair|calories|corners|ties|the))"
                        + ".{0,40}\\b(?:not enough|isn't enough|never enough)"
                        + "(?: anymore| any more)?\\b");
        rule(
                h,
                "\\b(?:bled|bleeding|blood)\\b.{0,30}\\b(?:want|need|going) to (?:do|go) (?:more|deeper|further)\\b");
    }

    private static final Pattern[] IDIOMS = {
        Pattern.compile(
                "\\b(?:is|are|was|were|'s|'re|be|been|keeps?|always)\\s+(?:slowly\\s+|literally\\s+|honestly\\s+|so\\s+)?killing\\s+(?:me|my\\s+\\w+)\\b"),
        Pattern.compile("\\bkill(?:ing|ed|s)?\\s+it\\b"),
        Pattern.compile("\\bdying\\s+(?:to|for)\\b|\\bto die for\\b"),
        Pattern.compile("\\bdead\\s+(?:tired|on my feet|serious|set|end|battery|last)\\b"),
        Pattern.compile(
                "\\b(?:scared|bored|sick|worried|freezing|frightened|tickled|loved)\\s+to\\s+death\\b|\\bthe death of me\\b"),
        Pattern.compile(
                "\\bdie of (?:boredom|embarrassment|shame|laughter|cuteness|heat|old age)\\b|\\bdied (?:of|from) (?:laughter|embarrassment)\\b"),
        Pattern.compile("\\b(?:i'd|i would|i could)\\s+(?:kill|murder|die)\\s+(?:for|a|an)\\b"),
        Pattern.compile(
                "\\b(?:phone|laptop|battery|car|plant|plants|computer|tablet|charger|engine|conversation|party|flowers|garden|tree|trees)"
                        + "\\s+(?:has\\s+|have\\s+)?(?:died|is dead|was dead|dies|are dead|is dying|are dying)\\b"),
        Pattern.compile(
                "\\b(?:\\w+)\\s+(?:is|are|'s|will|would|'ll|'re)\\s+(?:going to|gonna)?\\s*kill\\s+me\\b"),
        Pattern.compile(
                "\\bkill(?:ed|ing)?\\s+(?:the|a|that|this)\\s+(?:spider|fly|bug|mosquito|wasp|plant|game|vibe|mood|time|battery|conversation|lights|engine)"),
        Pattern.compile("\\bshoot(?:ing)? myself in the foot\\b|\\bbungee\\w*(?: jump\\w*)?"),
        Pattern.compile("\\bmurder\\s+(?:mystery|mysteries|podcast|show)\\b|\\btrue crime\\b"),
        Pattern.compile(
                "\\bover my dead body\\b|\\bdrop dead gorgeous\\b|\\bdressed to kill\\b|\\bkill two birds\\b"),
        Pattern.compile(
                "\\brather die than (?!keep|continue|go on|live|living|feel|be like|spend|carry|wake)"),
        Pattern.compile(
                "\\bi'll die (?:if|when|of|before)\\b(?=.{0,40}(?:meeting|exam|boredom|cringe|embarrass|karaoke|lol|haha))")
    };
    private static final Pattern LAUGHTER =
            Pattern.compile(
                    "\\b(?:lol|lmao|lmfao|rofl|haha\\w*|hehe\\w*|laugh\\w*)\\b|😂|🤣|💀|😆");
    private static final Pattern LAUGH_DEATH =
            Pattern.compile(
                    "\\b(?:i'm dead|im dead|i died|we died|literally died|nearly died|almost died|"
                            + "i'm dying|i'm deceased|dead)\\b");
    private static final Pattern REPORTING =
            Pattern.compile(
                    "\\b(?:song|songs|lyric|lyrics|line|poem|poet|book|novel|movie|film|show|series|"
                            + "character|narrator|quote|quoted|says|said|sings|singing|sang|news|article|meme|play|tv|episode|story)\\b");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");
    private static final Pattern NEGATOR =
            Pattern.compile(
                    "\\b(?:not|never|no|don't|do not|doesn't|didn't|won't|wouldn't|isn't|aren't|ain't|(?:days|weeks|months|years|year|month) (?:without|free|clean)|(?:clean|free) (?:of|from) (?:self[- ]?harm\\w*|cutting|it)|"
                            + "wasn't|nor|no longer|nothing about|none|zero|can't|cannot|shouldn't|haven't|hasn't)\\b");
    private static final Pattern NOT_A_NEGATION =
            Pattern.compile(
                    "\\b(?:not sure|not certain|not gonna lie|not going to lie|don't know (?:if|whether|why|how)|"
                            + "can't promise|why (?:not|wouldn't|don't)|why (?:shouldn't|can't) i\\b|what(?:'s| is) (?:stopping|keeping) me|not even sure|no idea (?:if|whether)|can't stop|cannot stop|can't help|can't stand|can't bear|"
                            + "no one|nobody|nothing|don't see why not)\\b");

    /** "…asked me about suicidal thoughts and I said I don't have any": the author answers no. */
    private static final Pattern DENIED =
            Pattern.compile(
                    "^.{0,40}\\b(?:and|but|,)\\s*i (?:said|told (?:him|her|them)|answered|replied|say) "
                            + "(?:no\\b|i don't|i'm not|i haven't|i wasn't|i've not|that i'm not|that i don't|not\\b|never\\b)");

    private static final Pattern PAST =
            Pattern.compile(
                    "\\b(?:used to|years ago|a few years ago|last year|in the past|back when|back then|remember when|since i last|(?:years|months|days) since|back in (?:19|20)\\d\\d|in (?:19|20)\\d\\d|"
                            + "\\d+ (?:years|months) ago|(?:a|one|two|three|four|five|six|ten) (?:years|months|year|month) ago|last (?:summer|winter|spring|autumn|fall)|"
                            + "when i was (?:a |an |younger|little|\\d+|in|at)|in (?:college|school|high school|university|my teens|my twenties)|as a "
                            + "(?:teen|teenager|kid|child)|when i was a teenager|once before|long time ago|long ago)\\b");
    private static final Pattern DATED_PAST =
            Pattern.compile(
                    "\\b(?:used to|back in (?:19|20)\\d\\d|in (?:19|20)\\d\\d|\\d+ (?:years|months) ago|years ago|"
                            + "(?:a|one|two|three|four|five|six|ten) (?:years?|months?) ago|when i was (?:a |an )?(?:teen|teenager|kid|child|\\d+))\\b");
    private static final Pattern NOW =
            Pattern.compile(
                    "\\b(?:again|still|now|these days|lately|recently|currently|tonight|today|right now|anymore|at the moment|"
                            + "(?:ever )?since|i (?:want|need|feel|keep|have to)|i've (?:wanted|been|started))\\b");
    private static final Pattern PRESENT =
            Pattern.compile(
                    "\\b(?:again|lately|recently|these days|right now|tonight|today|still|anymore|"
                            + "now|this week|currently|at the moment|every day|keep|keeps)\\b");
    private static final Pattern CLAUSE =
            Pattern.compile("[.!?;\\n]+|\\s+but\\s+|\\s+although\\s+|\\s+though\\s+");
    private static final Pattern OTHER_SUBJECT =
            Pattern.compile(
                    "\\b(?:he|she|they|him|her|them|he's|she's|they're|he'd|she'd|they'd|he'll|she'll|"
                            + "his|their|someone|somebody|anyone|people|friend|friends|brother|sister|mom|mum|dad|father|mother|son|daughter|cousin|uncle|aunt|"
                            + "roommate|flatmate|partner|boyfriend|girlfriend|husband|wife|patient|client|character|narrator|colleague|coworker|kid|kids|"
                            + "grandma|grandmother|grandpa|grandfather|nan|nana|granny|"
                            + "student|students|men|women|man|woman|guy|girl)\\b");
    private static final Pattern SELF_SUBJECT =
            Pattern.compile("\\b(?:i|i'm|i've|i'd|i'll|me|myself|im)\\b");
    private static final Pattern[] HOPELESS = {
        Pattern.compile("\\bhopeless\\w*\\b"),
        Pattern.compile("\\bno way out\\b"),
        Pattern.compile("\\btrapped\\b"),
        Pattern.compile("\\bdone trying\\b|\\bgive up\\b|\\bgiving up\\b|\\bgave up\\b"),
        Pattern.compile("\\bno future\\b"),
        Pattern.compile(
                "\\bnothing (?:will )?(?:ever )?(?:get|gets|getting) better\\b|\\bnever (?:get|gets) better\\b"),
        Pattern.compile("\\bworthless\\b|\\bwaste of space\\b|\\bburden\\b"),
        Pattern.compile("\\bnothing matters\\b|\\bpointless\\b|\\bno point\\b"),
        Pattern.compile(
                "\\bcan't (?:go on|take (?:it|this|any more) ?(?:anymore)?|do this anymore)\\b"),
        Pattern.compile("\\bempty\\b|\\bnumb\\b"),
        Pattern.compile(
                "\\bnothing (?:works|helps|ever helps|has helped)\\b|\\btried everything\\b"),
        Pattern.compile(
                "\\bwon't matter (?:anymore|soon)\\b|\\bnone of (?:this|it) (?:will )?matters?\\b"),
        Pattern.compile("\\bno one (?:cares|would care)\\b|\\bnobody (?:cares|would care)\\b"),
        Pattern.compile("\\bexhausted by life\\b|\\btired of fighting\\b")
    };

    /**
     * The meaning layer runs only on text with a word from the vocabulary of the risk statements
     * (broad on purpose: a cheap filter, so ordinary chat does not cost an embedding, ~5 ms of CPU,
     * per message).
     */
    static final Pattern RISK_WORDS =
            Pattern.compile(
                    "\\b(?:die|dying|dead|death|kill|suicid\\w*|end|ending|ended|stop|stopped|gone|"
                            + "disappear\\w*|vanish\\w*|fade|away|sleep|asleep|wake|breath\\w*|life|live|living|alive|exist\\w*|hurt\\w*|harm\\w*|"
                            + "pain|pills?|overdose|cut\\w*|bleed\\w*|blood|bridge|jump\\w*|rope|gun|goodbye|bye|burden|without me|better off|"
                            + "no point|pointless|never|forever|anymore|nothing|nobody|no one|mistake|note|letters?|plan\\w*|ready|enough|"
                            + "over|done|tired|escape|over it|leave|leaving|last)\\b");

    /**
     * The words a crisis message is written with (death, harm, means and places, goodbyes, a time,
     * safety, ending), broad on purpose: the learned model judges only sentences with one, so talk
     * of feelings, therapy and counselling without any ("how can I get counseling?") is not held
     * for its topic alone.
     */
    static final Pattern CRISIS_VOCABULARY =
            Pattern.compile(
                    RISK_WORDS
                            .pattern()
                            .replace(
                                    ")\\b",
                                    "|safe|safety|unsafe|funeral|tonight|"
                                            + "tomorrow|roof|tracks|train|knife|knives|blades?|razors?|meds|tablets|od|hang\\w*|drown\\w*|noose|ledge|edge|cliff|"
                                            + "poison\\w*|bury|buried|grave|miss me|stockpil\\w*|saving up|wrists?|scars?)\\b"));

    /** Statements per concept for the meaning layer (first person, present). */
    static final List<String> RISK_STATEMENTS =
            List.of(
                    // wish to be dead
                    "I want to die",
                    "I wish I was dead",
                    "I don't want to live anymore",
                    "I wish I could disappear and never come back",
                    "I want to go to sleep and never wake up",
                    "I don't want to be here anymore",
                    "I wish my life would end",
                    "I wish I had never been born",
                    "I want to stop existing",
                    "I want everything to go away forever",
                    "I want to vanish for good",
                    "my life is not worth living",
                    "there is no reason for me to live",
                    "I would rather not be alive",
                    "I can't keep living like this",
                    "I want to stop breathing",
                    "it would be better if I was never here",
                    "I am a mistake and the world would be better without me",
                    // thoughts
                    "I want to kill myself",
                    "I am thinking about suicide",
                    "I want to end my life",
                    "I keep thinking about dying",
                    "I feel like ending everything",
                    "I have thoughts of taking my own life",
                    "I think about not being alive anymore",
                    // burden, disconnection
                    "everyone would be better off without me",
                    "nobody would miss me if I died",
                    "I am a burden to everyone",
                    // intent, plan, method, preparation
                    "I am going to end it tonight",
                    "I have a plan to kill myself",
                    "I have the pills ready",
                    "I am going to jump off a bridge",
                    "I will take all my pills tonight",
                    "I am saying goodbye forever",
                    "I will not be around much longer",
                    "I wrote a note for my family for after I am gone",
                    "I gave away my things because I won't need them",
                    "I know how I am going to do it",
                    // self-harm
                    "I want to hurt myself",
                    "I cut myself",
                    "I hurt myself to feel something",
                    "I want to see myself bleed");

    /**
     * What the product runs: rules, the learned model, the trend (the meaning layer did not earn
     * its place).
     */
    public static final Set<Layer> PRODUCTION =
            EnumSet.of(Layer.RULES, Layer.CLASSIFIER, Layer.TREND);

    private final SentenceEmbedder embedder;
    private final CrisisModel model;
    private final CrisisChatModel chatModel;
    private final Set<Layer> layers;
    private final double similarity;
    private final List<float[]> riskVectors;

    /**
     * Rules and trend only: where no embedder can run (a content request's words, checked before
     * any model loads).
     */
    public CrisisDetector() {
        this(null, null, EnumSet.of(Layer.RULES, Layer.TREND));
    }

    /** The production layers with the shipped models. */
    public static CrisisDetector production(SentenceEmbedder embedder) {
        return new CrisisDetector(
                embedder, CrisisModel.shipped(), CrisisChatModel.shipped(), PRODUCTION);
    }

    /**
     * For what someone asks of the content generator (a focus and goals: "calm after work", "feel
     * calmer"): the rules, the trend and the forum model, not the chat model. The chat model was
     * fitted on chat messages, and it reads a request's short topic as it reads the calm of a
     * decision made ("weirdly calm"), holding ordinary requests; what a request says of danger in
     * so many words the rules find.
     */
    public static CrisisDetector forRequests(SentenceEmbedder embedder) {
        return new CrisisDetector(embedder, CrisisModel.shipped(), null, PRODUCTION);
    }

    /** The forum model judges chat messages too (no chat model). */
    public CrisisDetector(SentenceEmbedder embedder, CrisisModel model, Set<Layer> layers) {
        this(embedder, model, null, layers);
    }

    /**
     * @param model judges the sentences of messages longer than {@link #CHAT_WORDS} words (and of
     *     shorter ones when {@code chatModel} is null)
     * @param chatModel judges a message of at most {@link #CHAT_WORDS} words whole
     */
    public CrisisDetector(
            SentenceEmbedder embedder,
            CrisisModel model,
            CrisisChatModel chatModel,
            Set<Layer> layers) {
        this.embedder = embedder;
        this.model = model;
        this.chatModel = chatModel;
        this.layers = layers.isEmpty() ? EnumSet.noneOf(Layer.class) : EnumSet.copyOf(layers);
        this.similarity = DEFAULT_SIMILARITY;
        this.riskVectors =
                embedder == null || !layers.contains(Layer.MEANING)
                        ? List.of()
                        : RISK_STATEMENTS.stream().map(embedder::embed).toList();
        if (layers.contains(Layer.CLASSIFIER) && (embedder == null || model == null)) {
            throw new IllegalArgumentException(
                    "the classifier layer needs an embedder and a model");
        }
    }

    /**
     * A message as the learned model and its training see it: lower case, chat spellings written
     * out, quotations of songs, books and other people and idioms of dying ("this commute is
     * killing me") taken out.
     */
    public static String prepared(String text) {
        String norm = withoutQuotations(normalise(text));
        boolean laughing = LAUGHTER.matcher(norm).find();
        for (Pattern idiom : IDIOMS) {
            norm = idiom.matcher(norm).replaceAll(" ~ ");
        }
        if (laughing) {
            norm = LAUGH_DEATH.matcher(norm).replaceAll(" ~ ");
        }
        return norm;
    }

    /**
     * Assesses one message. {@code recentSentiments} are the author's previous messages' sentiments
     * in this group, oldest first; {@code sentiment} is this message's.
     */
    public Result assess(String text, List<Double> recentSentiments, double sentiment) {
        EnumSet<CrisisConcept> concepts = EnumSet.noneOf(CrisisConcept.class);
        List<String> reasons = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return Result.none();
        }
        String norm = prepared(text);
        List<String> sentences = sentences(norm);
        // per sentence: whether the rules found crisis words in it only negated, in the past or
        // about someone else
        boolean[] sentenceVetoed = new boolean[sentences.size()];
        boolean suppressed = false;
        if (layers.contains(Layer.RULES)) {
            for (int k = 0; k < sentences.size(); k++) {
                boolean found = false;
                boolean set = false;
                for (String clause : CLAUSE.split(sentences.get(k))) {
                    for (Rule r : RULES) {
                        Matcher mt = r.pattern().matcher(clause);
                        while (mt.find()) {
                            String why = suppression(r, clause, mt.start(), mt.end());
                            if (why == null) {
                                found = true;
                                if (concepts.add(r.concept())) {
                                    reasons.add(
                                            r.concept().label()
                                                    + ": \""
                                                    + clip(mt.group().trim())
                                                    + "\"");
                                }
                                break;
                            }
                            set = true;
                        }
                    }
                }
                // a sentence that also speaks of now ("tried when i was 16, i'm 23 now and started
                // planning it again") stays for the models to judge
                sentenceVetoed[k] = set && !found && !NOW.matcher(sentences.get(k)).find();
                suppressed |= set;
            }
        }
        // crisis words the rules found only negated, in the past or about someone else veto the
        // softer layers: the
        // learned model in that sentence, the others in the whole message when no rule fired
        boolean vetoed = suppressed && concepts.isEmpty();
        double probability = 0;
        float[] vector = null;
        if (layers.contains(Layer.CLASSIFIER)) {
            boolean learned = false;
            double threshold;
            if (chatModel != null && words(norm) <= CHAT_WORDS) {
                // a chat message is judged whole by the chat model, whatever its words (the chat
                // examples taught it what a veiled one looks like), unless the rules vetoed every
                // sentence or it speaks only to or of someone else
                threshold = chatModel.threshold();
                // what the rules found negated, past or someone else's is not shown to it ("back
                // in 2015 i wanted to die every day. today i went for a run")
                String judged = unvetoed(sentences, sentenceVetoed);
                if (!judged.isEmpty()
                        && (!layers.contains(Layer.RULES)
                                || (chatModel.gate().passes(judged)
                                        && !toSomeoneElseOnly(judged)))) {
                    vector = embedder.embed(judged);
                    probability = chatModel.probability(vector);
                }
            } else {
                threshold = model.threshold();
                // each sentence on its own: one sentence of crisis in a long post is enough
                for (int k = 0; k < sentences.size(); k++) {
                    String sentence = sentences.get(k);
                    if (layers.contains(Layer.RULES)
                            && (addressedToSomeoneElse(sentence)
                                    || !CRISIS_VOCABULARY.matcher(sentence).find())) {
                        continue; // "please don't hurt yourself", "she says she wants to die":
                        // another person's, which rules tell better
                    }
                    float[] v = embedder.embed(sentence);
                    vector = vector == null ? v : vector;
                    if (!sentenceVetoed[k]) {
                        probability = Math.max(probability, model.probability(v, sentence));
                    }
                }
            }
            learned = probability >= threshold;
            if (learned) {
                concepts.add(CrisisConcept.LEARNED);
                reasons.add(
                        String.format(
                                Locale.ROOT,
                                "%s (%.2f)",
                                CrisisConcept.LEARNED.label(),
                                probability));
            }
        }
        if (layers.contains(Layer.MEANING)
                && concepts.isEmpty()
                && !vetoed
                && embedder != null
                && norm.split("\\s+").length >= 3
                && RISK_WORDS.matcher(norm).find()) {
            float[] v = vector != null ? vector : embedder.embed(norm);
            double best = 0;
            int which = -1;
            for (int k = 0; k < riskVectors.size(); k++) {
                double c = SentenceEmbedder.cosine(v, riskVectors.get(k));
                if (c > best) {
                    best = c;
                    which = k;
                }
            }
            if (best >= similarity) {
                concepts.add(CrisisConcept.SIMILAR_TO_RISK_STATEMENT);
                reasons.add(
                        String.format(
                                Locale.ROOT,
                                "close in meaning (%.2f) to \"%s\"",
                                best,
                                RISK_STATEMENTS.get(which)));
            }
        }
        if (layers.contains(Layer.TREND) && concepts.isEmpty() && !vetoed) {
            List<String> cues = hopelessCues(norm);
            if (cues.size() >= 2) {
                concepts.add(CrisisConcept.HOPELESSNESS_TREND);
                reasons.add("hopelessness: " + String.join(", ", cues));
            } else if (!cues.isEmpty() && falling(recentSentiments, sentiment)) {
                concepts.add(CrisisConcept.HOPELESSNESS_TREND);
                reasons.add(
                        String.format(
                                Locale.ROOT,
                                "hopelessness (%s) as the author's mood falls (now %.2f)",
                                cues.get(0),
                                sentiment));
            }
        }
        return new Result(!concepts.isEmpty(), concepts, List.copyOf(reasons), probability, vetoed);
    }

    /** At most this many words: a chat message, judged whole by the learned model. */
    public static final int CHAT_WORDS = 30;

    private static int words(String text) {
        String t = text.trim();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /**
     * No word of its author, and a word of someone else: "please don't hurt yourself, we are all
     * here for you".
     */
    static boolean toSomeoneElseOnly(String text) {
        return !FIRST_PERSON.matcher(text).find() && REACHING_OUT.matcher(text).find();
    }

    /** Words of care for someone else: "please don't hurt yourself", "are you safe?". */
    private static final Pattern REACHING_OUT =
            Pattern.compile(
                    "\\byourself\\b|\\bplease (?:don't (?:hurt|kill|do (?:it|anything)|give up|go)|stay|call|talk|reach)\\b|\\bare you (?:ok|okay|alright|safe|there)\\b"
                            + "|\\b(?:you're|you are) not alone\\b|\\bwe(?:'re| are) (?:all )?here for you\\b");

    /** The sentences the rules did not veto, as one text. */
    static String unvetoed(List<String> sentences, boolean[] vetoed) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < sentences.size(); k++) {
            if (!vetoed[k]) {
                b.append(b.isEmpty() ? "" : " ").append(sentences.get(k));
            }
        }
        return b.toString();
    }

    /** Why a rule's match does not count (negated, past, someone else), or null when it does. */
    private static String suppression(Rule r, String clause, int start, int end) {
        // the comma-bounded part of the clause the match sits in
        int segStart = clause.lastIndexOf(',', start) + 1;
        int segEnd = clause.indexOf(',', end);
        String before = clause.substring(segStart, start);
        String segment = clause.substring(segStart, segEnd < 0 ? clause.length() : segEnd);
        if (!r.negationInPattern()) {
            String window = lastWords(before, 6) + " " + clause.substring(start, end);
            String cleaned = NOT_A_NEGATION.matcher(window).replaceAll(" ");
            if (NEGATOR.matcher(cleaned).find()) {
                return "negated";
            }
        }
        if (DENIED.matcher(clause.substring(end)).find()) {
            return "denied";
        }
        if (PAST.matcher(segment).find() && !PRESENT.matcher(segment).find()) {
            return "past";
        }
        // a dated past ("back in 2015 i wanted to die every day") stays past through its own
        // habits; only a word of now brings it back
        if (DATED_PAST.matcher(segment).find() && !NOW.matcher(segment).find()) {
            return "past";
        }
        if (!r.selfInPattern()) {
            String subject = lastSubject(before.isBlank() ? clause.substring(0, start) : before);
            if ("other".equals(subject)) {
                return "someone else";
            }
        }
        return null;
    }

    private static String lastSubject(String text) {
        int other = lastIndex(OTHER_SUBJECT, text);
        int self = lastIndex(SELF_SUBJECT, text);
        if (other < 0 && self < 0) {
            return "none";
        }
        return other > self ? "other" : "self";
    }

    private static int lastIndex(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int last = -1;
        while (m.find()) {
            last = m.start();
        }
        return last;
    }

    private static String lastWords(String text, int n) {
        String[] words = text.trim().split("\\s+");
        int from = Math.max(0, words.length - n);
        return String.join(" ", java.util.Arrays.copyOfRange(words, from, words.length));
    }

    private static final Pattern FIRST_PERSON =
            Pattern.compile("\\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine|im)\\b");
    private static final Pattern SECOND_PERSON =
            Pattern.compile(
                    "\\b(?:you|you're|you've|you'd|you'll|your|yours|yourself|youre|u|ur)\\b");

    /**
     * A sentence that speaks to or of someone else and never of its author: "why do you want to
     * kill yourself?".
     */
    static boolean addressedToSomeoneElse(String sentence) {
        if (!FIRST_PERSON.matcher(sentence).find()) {
            return SECOND_PERSON.matcher(sentence).find() || OTHER_SUBJECT.matcher(sentence).find();
        }
        // "my friend told me she wants to kill herself": every word of risk has someone else as its
        // subject
        Matcher m = RISK_WORDS.matcher(sentence);
        boolean any = false;
        while (m.find()) {
            any = true;
            if (!"other".equals(lastSubject(sentence.substring(0, m.start())))) {
                return false;
            }
        }
        return any;
    }

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…])\\s+|\\s*\\n+\\s*");

    /**
     * At most this many parts of a message are scored (each costs an embedding); the rest go with
     * the last.
     */
    static final int MAX_SENTENCES = 4;

    /**
     * A prepared message in sentences as the learned model scores them: fragments of fewer than
     * four words joined to their neighbour, at most {@link #MAX_SENTENCES} parts.
     */
    public static List<String> sentences(String prepared) {
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_END.split(prepared.trim())) {
            if (s.isBlank()) {
                continue;
            }
            if (!out.isEmpty()
                    && (s.split("\\s+").length < 4
                            || out.get(out.size() - 1).split("\\s+").length < 4)) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + s);
            } else {
                out.add(s);
            }
        }
        while (out.size() > MAX_SENTENCES) {
            String last = out.remove(out.size() - 1);
            out.set(out.size() - 1, out.get(out.size() - 1) + " " + last);
        }
        if (out.isEmpty()) {
            out.add(prepared);
        }
        return out;
    }

    /**
     * Whether the trend layer could use the author's recent mood for this text (it has a sign of
     * hopelessness).
     */
    public static boolean mayUseTrend(String text) {
        return text != null && !hopelessCues(normalise(text)).isEmpty();
    }

    static List<String> hopelessCues(String norm) {
        List<String> cues = new ArrayList<>();
        for (Pattern p : HOPELESS) {
            Matcher m = p.matcher(norm);
            if (m.find()) {
                cues.add("\"" + m.group() + "\"");
            }
        }
        return cues;
    }

    /**
     * The author's mood is falling: at least three earlier messages, a negative slope, and low now.
     */
    static boolean falling(List<Double> recent, double now) {
        if (recent == null || recent.size() < 3 || now > -0.4) {
            return false;
        }
        List<Double> xs =
                new ArrayList<>(recent.subList(Math.max(0, recent.size() - 5), recent.size()));
        xs.add(now);
        double n = xs.size();
        double mx = (n - 1) / 2;
        double my = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int k = 0; k < xs.size(); k++) {
            num += (k - mx) * (xs.get(k) - my);
            den += (k - mx) * (k - mx);
        }
        return num / den < -0.05 && my < -0.1;
    }

    private static final Pattern CURLY_APOSTROPHES = Pattern.compile("[’‘`´]");
    private static final Pattern CURLY_QUOTES = Pattern.compile("[“”„«»]");

    /**
     * Chat spellings and the commonest misspellings, written out (compiled once: this runs on every
     * message).
     */
    private static final String[][] SPELLINGS = {
        {"(\\p{L})\\1{2,}", "$1"},
        {"\\b(?:wnat|wnt|wan|wannt|wamt)\\b", "want"},
        {"\\btoo (die|be dead|live|exist|end it)\\b", "to $1"},
        {"\\b(?:suicde|suiside|sucide|suicdie|suecide|suicied)\\b", "suicide"},
        {"\\b(?:myslef|myselfe|meself|mysef)\\b", "myself"},
        {"\\bkil\\b", "kill"},
        {"\\bded\\b", "dead"},
        {"\\bdye\\b", "die"},
        {"\\bkms\\b", "kill myself"},
        {"\\bkys\\b", "kill yourself"},
        {"\\bunalive\\b", "kill"},
        {"\\bwanna\\b", "want to"},
        {"\\bgonna\\b", "going to"},
        {"\\bgotta\\b", "got to"},
        {"\\bim\\b", "i'm"},
        {"\\bive\\b", "i've"},
        {"\\bdont\\b", "don't"},
        {"\\bcant\\b", "can't"},
        {"\\bwont\\b", "won't"},
        {"\\bdoesnt\\b", "doesn't"},
        {"\\bisnt\\b", "isn't"},
        {"\\bdidnt\\b", "didn't"},
        {"\\b(have|has|was|were|would|could|should|are|must|need|had)nt\\b", "$1n't"},
        {"\\bu\\b", "you"},
        {"\\bur\\b", "your"},
        {"\\bwhats\\b", "what's"},
        {"\\bthats\\b", "that's"},
        {"\\bthere's\\b", "there is"},
        {"\\bi am\\b", "i'm"},
        {"\\bdo not\\b", "don't"},
        {"\\bcannot\\b", "can't"},
        {"\\bwill not\\b", "won't"},
        {"\\bthe world\\b", "world"},
        {"[ \\t]+", " "}
    };

    private static final Pattern[] SPELLING_PATTERNS =
            java.util.Arrays.stream(SPELLINGS)
                    .map(r -> Pattern.compile(r[0]))
                    .toArray(Pattern[]::new);

    /** Lower case, straight quotes, chat spellings written out. */
    static String normalise(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        s = CURLY_APOSTROPHES.matcher(s).replaceAll("'");
        s = CURLY_QUOTES.matcher(s).replaceAll("\"");
        for (int i = 0; i < SPELLINGS.length; i++) {
            s = SPELLING_PATTERNS[i].matcher(s).replaceAll(SPELLINGS[i][1]);
        }
        return s.trim();
    }

    /** Quotations of songs, books, films and other people are not the author speaking. */
    private static String withoutQuotations(String s) {
        if (s.indexOf('"') >= 0 && REPORTING.matcher(QUOTED.matcher(s).replaceAll(" ")).find()) {
            return QUOTED.matcher(s).replaceAll(" ~ ");
        }
        return s.replace('"', ' ');
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
