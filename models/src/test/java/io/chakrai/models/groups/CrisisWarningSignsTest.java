package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The warning-sign rules (means got or kept, places of means lingered at, goodbyes, plans with a
 * time, self-harm getting worse, not being safe), each beside the ordinary sentence that shares its
 * words: the rules alone, no model. Lines written for this test, not taken from any set the
 * detector was measured on.
 */
class CrisisWarningSignsTest {
    private final CrisisDetector rules = new CrisisDetector();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            PREPARATORY_ACTS | picked up a third box of paracetamol on the way home, that's plenty now
            PREPARATORY_ACTS | i've got the rope in the boot of my car
            PREPARATORY_ACTS | the noose is already up in the garage
            PREPARATORY_ACTS | if i'm not here on monday can someone tell my sister i'm sorry
            PREPARATORY_ACTS | you won't hear from me again after tonight
            PREPARATORY_ACTS | my wife will find the letter in the morning
            PREPARATORY_ACTS | gave away my bike and my records to the lads at work
            PREPARATORY_ACTS | closed my bank account and my email, won't need them soon
            WISH_TO_BE_DEAD | keep picturing my own funeral and everyone finally relaxing
            WISH_TO_BE_DEAD | i just can't stand being alive any more
            WISH_TO_BE_DEAD | sorry i'm so much work for you all, it won't be for much longer
            WISH_TO_BE_DEAD | honestly there's no reason to still be here
            METHOD | been sitting at the top of the multi storey for an hour looking down
            METHOD | there's a quarry past the farm and i end up there every night
            METHOD | going to wade into the river after work and not come back
            METHOD | worked out how many of my insulin pens it would take
            INTENT | i can't keep myself safe right now
            INTENT | i don't trust myself tonight
            INTENT | saturday it ends, i've decided
            INTENT | the first time i survived, this time i'll make sure
            INTENT | i'll do it once the kids are asleep
            SELF_HARM | the cutting has been getting deeper every week
            SELF_HARM | burning isn't enough anymore
            """)
    void aWarningSignIsHeldAndNamed(CrisisConcept concept, String text) {
        held(concept, text);
    }

    /** What a recovery or a date in the past must not veto: the want is now. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            WISH_TO_BE_DEAD | without her i want to die
            SUICIDAL_THOUGHTS | without my meds i'm going to kill myself tonight
            WISH_TO_BE_DEAD | ever since mum died a year ago i want to die every day
            WISH_TO_BE_DEAD | i've wanted to die every day since the accident two years ago
            WISH_TO_BE_DEAD | i wish i could just die for the pain to stop
            """)
    void aWantOfNowIsHeldThroughAPastOrAWithout(CrisisConcept concept, String text) {
        held(concept, text);
    }

    private void held(CrisisConcept concept, String text) {
        CrisisDetector.Result r = rules.assess(text, List.of(), 0);
        assertTrue(r.concepts().contains(concept), r.toString());
        assertTrue(
                r.reasons().stream().anyMatch(s -> s.startsWith(concept.label())),
                r.reasons().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            picked up my paracetamol prescription, should last the month
            the climbing rope is in the boot for saturday
            if i'm not here on monday it's because i'm at my mum's
            going to wade into the river to cool off after work, it's so hot
            sat at the top of the multi storey car park for ages waiting for a space
            i'll do it once the kids are asleep, the ironing can wait till then
            100 days without self harm today
            five years since i last self-harmed, proud of myself
            back in 2015 i wanted to die every day, now i love my life
            i used to want to die every day. these days i'm doing well
            sometimes i wish i could disappear for a week on a beach
            wrote a will now that we have a kid, adulting
            i'm going to shoot myself in the foot if i don't update my cv
            stood on the cliff path in the wind, felt alive
            havent had any thoughts of self harm in a while
            i've got it all ready for the interview tomorrow
            bought a bottle of wine for tonight
            have the charcoal ready for the bbq
            i have the pills just in case of a migraine
            i drive over the bridge every day to get to work
            walking by the river every morning really helps my mood
            i sat by the lake for hours and just breathed, felt calm
            i drive to cambridge every day and think about work
            looked up how long it would take to drive to leeds
            i'll call you after the kids are in bed
            went much deeper into the topic in class
            cutting carbs isn't enough anymore
            it won't be long now, the bus is coming
            no reason to stay at the party after midnight
            """)
    void theOrdinarySentenceBesideItIsNot(String text) {
        CrisisDetector.Result r = rules.assess(text, List.of(), 0);
        assertFalse(r.flagged(), r.toString());
    }

    @Test
    void theChatModelJudgesTheMessageWithoutWhatTheRulesVetoed() {
        List<String> seen = new ArrayList<>();
        SentenceEmbedder recording = recording(seen, 1, 0);
        CrisisChatModel near =
                new CrisisChatModel(new float[][] {{1, 0}}, new double[] {3}, 0, 0.7, 0.5, null);
        CrisisDetector d =
                new CrisisDetector(
                        recording, CrisisModel.shipped(), near, CrisisDetector.PRODUCTION);
        CrisisDetector.Result r =
                d.assess(
                        "back in 2015 i wanted to die every day. these days my back is in pain",
                        List.of(),
                        0);
        assertEquals(List.of("these days my back is in pain"), seen);
        assertTrue(r.concepts().contains(CrisisConcept.LEARNED), r.toString());
        seen.clear();
        assertFalse(d.assess("i'm not suicidal", List.of(), 0).flagged());
        assertEquals(List.of(), seen, "every sentence vetoed: nothing to judge");
        d.assess("please don't hurt yourself, we are all here for you", List.of(), 0);
        assertEquals(List.of(), seen, "care for someone else is not the chat model's");
        d.assess("took the whole strip of paracetamol. please dont tell anyone", List.of(), 0);
        assertEquals(
                1, seen.size(), "no word of the author, but not care for someone else: judged");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            back in 2015 i wanted to die every day. today i went for a run | today i went for a run
            i used to cut myself. now i'm off to the gym | now i'm off to the gym
            i'm not suicidal | ''
            """)
    void whatTheRulesVetoIsNotShownToTheChatModel(String text, String judged) {
        List<String> seen = new ArrayList<>();
        SentenceEmbedder recording = recording(seen, 0, 1);
        CrisisChatModel far =
                new CrisisChatModel(new float[][] {{1, 0}}, new double[] {3}, -5, 0.7, 0.5, null);
        CrisisDetector d =
                new CrisisDetector(
                        recording, CrisisModel.shipped(), far, CrisisDetector.PRODUCTION);
        assertFalse(d.assess(text, List.of(), 0).flagged());
        assertEquals(judged == null || judged.isEmpty() ? List.of() : List.of(judged), seen);
    }

    /** An embedder that writes down what it is shown and gives every text the same vector. */
    static SentenceEmbedder recording(List<String> seen, float... vector) {
        return text -> {
            seen.add(text);
            return vector;
        };
    }
}
