package io.chakrai.api.groups;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.groups.GroupChanges;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * Which participant changes empty the member cache: membership changes, not the group job's
 * engagement updates.
 */
class GroupFeedTest {
    /** Group 7 lists users 1 and 2 in this instance's cache. */
    static final BiPredicate<Integer, Integer> KNOWN =
            (group, user) -> Map.of(7, Set.of(1, 2)).getOrDefault(group, Set.of()).contains(user);

    static GroupChanges.Change change(String op, String row) throws Exception {
        return GroupChanges.parse(
                        "{\"op\":\"" + op + "\",\"after\":" + row + ",\"before\":" + row + "}")
                .orElseThrow();
    }

    @Test
    void anEngagementUpdateOfAKnownMemberIsNoChangeHoweverRecentTheirJoin() throws Exception {
        assertFalse(
                GroupFeed.membershipChanged(
                        change(
                                "u",
                                "{\"group_id\":7,\"user_id\":1,\"left_at\":null,"
                                        + "\"joined_at\":\"2099-01-01T00:00:00Z\",\"engagement_score\":0.8}"),
                        KNOWN));
    }

    @Test
    void joinsLeavesRejoinsErasuresAndUnknownGroupsAreChanges() throws Exception {
        assertTrue(
                GroupFeed.membershipChanged(
                        change("c", "{\"group_id\":7,\"user_id\":3,\"left_at\":null}"), KNOWN),
                "a join");
        assertTrue(
                GroupFeed.membershipChanged(
                        change(
                                "u",
                                "{\"group_id\":7,\"user_id\":1,\"left_at\":\"2026-12-06T10:00:00Z\"}"),
                        KNOWN),
                "a leave");
        assertTrue(
                GroupFeed.membershipChanged(
                        change("u", "{\"group_id\":7,\"user_id\":3,\"left_at\":null}"), KNOWN),
                "a rejoin: an update of someone this instance does not list");
        assertTrue(
                GroupFeed.membershipChanged(
                        change("u", "{\"group_id\":7,\"user_id\":null,\"left_at\":null}"), KNOWN),
                "an erasure");
        assertTrue(
                GroupFeed.membershipChanged(
                        change("u", "{\"group_id\":8,\"user_id\":1,\"left_at\":null}"), KNOWN),
                "a group this instance has not cached");
        assertTrue(
                GroupFeed.membershipChanged(
                        change("d", "{\"group_id\":7,\"user_id\":1,\"left_at\":null}"), KNOWN),
                "a removal");
    }
}
