package io.chakrai.api.groups;

import io.chakrai.api.ws.TopicFeed;
import io.chakrai.models.Topics;
import io.chakrai.models.groups.GroupChanges;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Reads the change stream of the group tables (written by the CDC service) so that every API
 * instance delivers every group message to the members connected to it, whichever instance stored
 * it: new visible messages go to members' sockets, membership changes refresh the member cache, new
 * and raised escalations alert the staff they go to who are connected here (and their authors get
 * help again when one is raised). Each instance reads from the end in its own consumer group;
 * duplicates (the stream is at least once, and the storing instance delivered already) are dropped
 * by id.
 */
public final class GroupFeed implements AutoCloseable {
    private final GroupDelivery delivery;
    private final EscalationRepository escalations;
    private final TopicFeed feed;

    public GroupFeed(String bootstrap, GroupDelivery delivery, EscalationRepository escalations) {
        this.delivery = delivery;
        this.escalations = escalations;
        this.feed =
                new TopicFeed(
                        bootstrap,
                        "groups",
                        List.of(
                                Topics.GROUP_MESSAGES,
                                Topics.GROUP_PARTICIPANTS,
                                Topics.ESCALATIONS),
                        20,
                        r -> handle(r.topic(), r.value()));
    }

    void handle(String topic, String value) throws Exception {
        var change = GroupChanges.parse(value);
        if (change.isEmpty()) {
            return;
        }
        GroupChanges.Change c = change.get();
        switch (topic) {
            case Topics.GROUP_MESSAGES -> {
                // new messages only: a first snapshot's rows ('r') are history, not news
                if (c.op() == 'c') {
                    GroupChanges.Message m = GroupChanges.message(c.row());
                    delivery.deliver(
                            m.id(),
                            m.groupId(),
                            m.participantId(),
                            m.messageType(),
                            m.content(),
                            m.sentiment(),
                            m.intensity(),
                            m.timestamp(),
                            m.held(),
                            m.removed());
                }
            }
            case Topics.GROUP_PARTICIPANTS -> {
                if (membershipChanged(c, delivery::knowsMember)) {
                    delivery.membersChanged(c.row().path("group_id").asInt());
                }
            }
            case Topics.ESCALATIONS -> {
                // a new escalation, or one raised because nobody answered in time
                boolean raised =
                        c.op() == 'u'
                                && c.row().path("raises").asInt(0) > 0
                                && "open".equals(c.row().path("status").asText());
                if (c.op() == 'c' || raised) {
                    escalations
                            .recipients(c.row().path("id").asLong())
                            .ifPresent(
                                    r -> {
                                        delivery.alert(r);
                                        delivery.helpAgain(r);
                                    });
                }
            }
            default -> {}
        }
    }

    /**
     * A join, a leave, a rejoin or an erasure, not the group job's engagement updates of a member
     * already known (which would otherwise empty the member cache with every message: a new group's
     * first messages each read its members from the database again). Exact, with no clock: an
     * update of a current member this instance already lists is no change of membership; anything
     * else may be.
     */
    static boolean membershipChanged(GroupChanges.Change c, BiPredicate<Integer, Integer> known) {
        if (c.op() != 'u') {
            return true;
        }
        var row = c.row();
        if (row.hasNonNull("left_at")
                || !row.hasNonNull("user_id")
                || !row.hasNonNull("group_id")) {
            return true;
        }
        return !known.test(row.get("group_id").asInt(), row.get("user_id").asInt());
    }

    @Override
    public void close() throws InterruptedException {
        feed.close();
    }
}
