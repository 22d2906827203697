package io.chakrai.api.groups;

import io.chakrai.models.groups.GroupChanges;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the change stream of the group tables (written by the CDC service) so that every API instance
 * delivers every group message to the members connected to it, whichever instance stored it: new visible
 * messages go to members' sockets, membership changes refresh the member cache, new escalations alert the
 * facilitators and clinicians connected here. Each instance reads from the end in its own consumer group;
 * duplicates (the stream is at least once, and the storing instance delivered already) are dropped by id.
 */
public final class GroupFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupFeed.class);
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final GroupDelivery delivery;
    private final EscalationRepository escalations;

    public GroupFeed(String bootstrap, GroupDelivery delivery, EscalationRepository escalations) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "chakrai-api-groups-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.delivery = delivery;
        this.escalations = escalations;
        consumer.subscribe(List.of(GroupChanges.MESSAGES_TOPIC, GroupChanges.PARTICIPANTS_TOPIC, GroupChanges.ESCALATIONS_TOPIC));
        this.thread = new Thread(this::run, "group-feed");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        handle(r.topic(), r.value());
                    } catch (Exception e) {
                        LOG.warn("skipping an unreadable change on {} at offset {}: {}", r.topic(), r.offset(), e.getClass().getSimpleName());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    void handle(String topic, String value) throws Exception {
        var change = GroupChanges.parse(value);
        if (change.isEmpty()) {
            return;
        }
        GroupChanges.Change c = change.get();
        switch (topic) {
            case GroupChanges.MESSAGES_TOPIC -> {
                // new messages only: a first snapshot's rows ('r') are history, not news
                if (c.op() == 'c') {
                    GroupChanges.Message m = GroupChanges.message(c.row());
                    delivery.deliver(m.id(), m.groupId(), m.participantId(), m.messageType(), m.content(), m.sentiment(), m.intensity(),
                            m.timestamp(), m.held(), m.removed());
                }
            }
            case GroupChanges.PARTICIPANTS_TOPIC -> {
                if (membershipChanged(c)) {
                    delivery.membersChanged(c.row().path("group_id").asInt());
                }
            }
            case GroupChanges.ESCALATIONS_TOPIC -> {
                if (c.op() == 'c') {
                    long id = c.row().path("id").asLong();
                    escalations.one(id).ifPresent(found -> {
                        EscalationRepository.Escalation e = (EscalationRepository.Escalation) found[0];
                        delivery.alert(e.id(), e.kind(), e.severity(), e.groupId(), e.anonymousId());
                    });
                }
            }
            default -> {
            }
        }
    }

    /**
     * A join, a leave, a rejoin or an erasure, not the group job's engagement updates (which would otherwise
     * empty the member cache with every message).
     */
    static boolean membershipChanged(GroupChanges.Change c) {
        if (c.op() != 'u') {
            return true;
        }
        var row = c.row();
        if (row.hasNonNull("left_at") || !row.hasNonNull("user_id")) {
            return true;
        }
        try {
            return java.time.Instant.parse(row.path("joined_at").asText()).isAfter(java.time.Instant.now().minusSeconds(120));
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5_000);
    }
}
