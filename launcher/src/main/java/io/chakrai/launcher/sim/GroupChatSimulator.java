package io.chakrai.launcher.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated group members chatting through the public API, so a newcomer sees live groups at once:
 * each consents to groups, is placed by find-match (people with the same goals end up together),
 * and now and then writes a line of varied mood, each group drifting between better and worse
 * stretches. About one line in 150 is a crisis line, which the platform must hold and escalate (the
 * facilitator view shows them).
 */
public final class GroupChatSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupChatSimulator.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    static final String[][] GOALS = {
        {"anxiety_support", "calm my racing thoughts before work"},
        {"sleep_improvement", "fall asleep without my mind racing"},
        {"stress_management", "handle deadlines without burning out"},
        {"grief_support", "cope with losing my dad"}
    };
    static final String[] GOOD = {
        "Had a better day today, the breathing exercise helped",
        "Thanks everyone, this group means a lot",
        "I went for a walk at lunch and felt lighter",
        "Slept seven hours last night, first time in weeks!",
        "Proud of myself for saying no to extra work",
        "Small win: I called my sister",
        "Feeling hopeful this morning"
    };
    static final String[] MIXED = {
        "Work was busy but I managed",
        "Not sure how I feel today",
        "Trying the journaling tip tonight",
        "Does anyone have tips for Sunday evening worries?",
        "Some ups and downs this week",
        "Okay day, nothing special"
    };
    static final String[] LOW = {
        "Today was really hard",
        "I feel so tired and low",
        "Everything feels heavy this week",
        "I couldn't sleep again and I'm exhausted",
        "I feel lonely in the evenings",
        "I'm overwhelmed and anxious about tomorrow",
        "I cried in the car after work"
    };
    static final String[] CRISIS = {
        "I don't want to be here anymore",
        "Sometimes I think everyone would be better off without me",
        "I've been thinking about ending it all"
    };

    private final ApiClient api;
    private final Random random = new Random();
    private final List<Member> members = new ArrayList<>();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "group-chat-simulator");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private double mood;

    private record Member(String email, String password, String[] token, int group) {}

    private GroupChatSimulator(ApiClient api) {
        this.api = api;
    }

    /**
     * {@code people} simulated members (sim-chat-NNN@chakrai.local), one line somewhere every
     * {@code intervalMs}.
     */
    public static GroupChatSimulator start(
            String apiUrl, int people, long intervalMs, String password) throws Exception {
        GroupChatSimulator sim = new GroupChatSimulator(new ApiClient(apiUrl));
        for (int i = 1; i <= people; i++) {
            String email = String.format("sim-chat-%03d@chakrai.local", i);
            String token = sim.api.login(email, password);
            sim.api.call(
                    "PUT", "/api/v2/me/consents", token, "{\"kind\":\"groups\",\"granted\":true}");
            String[] goal = GOALS[(i - 1) % GOALS.length];
            int group = sim.place(token, goal);
            if (group > 0) {
                sim.members.add(new Member(email, password, new String[] {token}, group));
            }
        }
        sim.ticker.scheduleWithFixedDelay(sim::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info(
                "group chat simulator: {} members in {} groups, a line every {} ms",
                sim.members.size(),
                sim.members.stream().map(Member::group).distinct().count(),
                intervalMs);
        return sim;
    }

    /**
     * Joins the group find-match offers, or the one it forms; returns the group id (0 when not
     * placed).
     */
    private int place(String token, String[] goal) throws Exception {
        ApiClient.Reply mine = api.call("GET", "/api/v2/therapy/groups", token, null);
        if (mine.status() == 200 && !mine.body().path("groups").isEmpty()) {
            return mine.body().path("groups").get(0).path("id").asInt();
        }
        String body =
                JSON.createObjectNode()
                        .put("session_type", goal[0])
                        .set("therapeutic_goals", JSON.createArrayNode().add(goal[1]))
                        .toString();
        ApiClient.Reply m = api.call("POST", "/api/v2/therapy/groups/find-match", token, body);
        if (m.status() != 200 || !m.body().path("placed").asBoolean()) {
            return 0;
        }
        int group = m.body().path("group").path("id").asInt();
        if (!m.body().path("joined").asBoolean()) {
            ApiClient.Reply j =
                    api.call("POST", "/api/v2/therapy/groups/" + group + "/join", token, "{}");
            if (j.status() != 201 && j.status() != 200) {
                return 0;
            }
        }
        return group;
    }

    private void tick() {
        if (members.isEmpty()) {
            return;
        }
        Member m = members.get(random.nextInt(members.size()));
        // the groups' mood drifts slowly between better and worse stretches
        mood = Math.max(-1, Math.min(1, mood * 0.95 + random.nextGaussian() * 0.25));
        String line;
        if (random.nextInt(150) == 0) {
            line = CRISIS[random.nextInt(CRISIS.length)];
        } else {
            double x = mood + random.nextGaussian() * 0.5;
            String[] bank = x > 0.3 ? GOOD : x < -0.3 ? LOW : MIXED;
            line = bank[random.nextInt(bank.length)];
        }
        try {
            ApiClient.Reply r =
                    api.call(
                            "POST",
                            "/api/v2/therapy/groups/" + m.group() + "/messages",
                            m.token()[0],
                            JSON.createObjectNode().put("content", line).toString());
            if (r.status() == 401) {
                m.token()[0] = api.login(m.email(), m.password());
            } else if (r.status() == 201) {
                sent.incrementAndGet();
                if ("held".equals(r.body().path("status").asText())) {
                    held.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("group chat simulator: {}", e.toString());
        }
    }

    public long messagesSent() {
        return sent.get();
    }

    public long messagesHeld() {
        return held.get();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        LOG.info(
                "group chat simulator stopped after {} messages ({} held for crisis language)",
                sent.get(),
                held.get());
    }
}
