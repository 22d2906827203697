package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupMatcherTest {
    private static final MiniLmEmbedder MINILM = new MiniLmEmbedder();
    private final GroupMatcher matcher = new GroupMatcher(MINILM::embed);

    @Test
    void goalsCloseInMeaningWinOverSharedWords() {
        GroupMatcher.Seeker me =
                new GroupMatcher.Seeker(
                        SessionType.SLEEP_IMPROVEMENT, List.of("sleep better at night"), null);
        GroupMatcher.Candidate sleep =
                new GroupMatcher.Candidate(
                        1,
                        SessionType.SLEEP_IMPROVEMENT,
                        List.of("fall asleep without racing thoughts"),
                        null,
                        3,
                        6);
        GroupMatcher.Candidate grief =
                new GroupMatcher.Candidate(
                        2,
                        SessionType.SLEEP_IMPROVEMENT,
                        List.of("cope with the loss of a parent"),
                        null,
                        3,
                        6);
        List<GroupMatcher.Match> ranked = matcher.rank(me, List.of(grief, sleep));
        assertEquals(1, ranked.get(0).group().groupId());
        double close =
                ((Number)
                                ((Map<?, ?>) ranked.get(0).explanation().get("goal_similarity"))
                                        .get("value"))
                        .doubleValue();
        double far =
                ((Number)
                                ((Map<?, ?>) ranked.get(1).explanation().get("goal_similarity"))
                                        .get("value"))
                        .doubleValue();
        assertTrue(close > far + 0.2, close + " vs " + far);
    }

    @Test
    void likeStateAndTypeScoreHigherAndEveryPartIsExplained() {
        GroupMatcher.Seeker me =
                new GroupMatcher.Seeker(
                        SessionType.ANXIETY_SUPPORT, List.of("manage panic attacks"), 30.0);
        GroupMatcher.Candidate alike =
                new GroupMatcher.Candidate(
                        1,
                        SessionType.ANXIETY_SUPPORT,
                        List.of("manage panic attacks"),
                        32.0,
                        4,
                        6);
        GroupMatcher.Candidate unlike =
                new GroupMatcher.Candidate(
                        2,
                        SessionType.ANXIETY_SUPPORT,
                        List.of("manage panic attacks"),
                        75.0,
                        4,
                        6);
        GroupMatcher.Candidate otherType =
                new GroupMatcher.Candidate(
                        3, SessionType.GRIEF_SUPPORT, List.of("manage panic attacks"), 32.0, 4, 6);
        List<GroupMatcher.Match> ranked = matcher.rank(me, List.of(unlike, otherType, alike));
        assertEquals(List.of(1, 3, 2).get(0), ranked.get(0).group().groupId());
        assertTrue(ranked.get(0).score() >= GroupMatcher.MIN_SCORE);
        assertEquals(
                Set.of("goal_similarity", "session_type", "current_state"),
                ranked.get(0).explanation().keySet());
        for (GroupMatcher.Match m : ranked) {
            assertTrue(m.score() >= 0 && m.score() <= 1, m.toString());
        }
    }

    @Test
    void pseudonymsDifferAcrossDrawsAndLookLikeNames() {
        Pseudonyms p = new Pseudonyms(new Random(7));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String name = p.next();
            assertTrue(name.matches("[A-Z][a-z]+ [A-Z][a-z]+ [1-9][0-9]"), name);
            seen.add(name);
        }
        assertTrue(seen.size() > 190, "few repeats in 200 draws: " + seen.size());
        assertNotEquals(new Pseudonyms().next(), new Pseudonyms().next() + "x");
    }
}
