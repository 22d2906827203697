package io.chakrai.api.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Cursor;
import io.chakrai.api.privacy.AuditRepository;
import io.chakrai.api.ws.UserSessions;
import io.chakrai.models.groups.CrisisConcept;
import io.chakrai.models.groups.CrisisDetector;
import io.chakrai.models.groups.GroupMatcher;
import io.chakrai.models.groups.MessageSentiment;
import io.chakrai.models.groups.Pseudonyms;
import io.chakrai.models.groups.SessionType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The rules of therapy groups: who is placed where, who may read and write, what a message does on
 * its way in (sentiment, crisis language, flood control), and what happens when someone is in
 * danger.
 */
public final class GroupService {
    public static final Set<String> MESSAGE_TYPES = Set.of("text", "voice", "reaction");
    public static final List<String> STYLES = List.of("active", "listener", "supporter");
    public static final int MAX_MESSAGE = 2_000;
    public static final int MAX_REACTION = 32;
    public static final int MAX_GROUPS_PER_PERSON = 5;
    private static final int CANDIDATES = 200;

    private final GroupRepository groups;
    private final EscalationRepository escalations;
    private final AuditRepository audit;
    private final GroupMatcher matcher;
    private final MessageSentiment sentiment;
    private final CrisisDetector crisis;
    private final Pseudonyms pseudonyms = new Pseudonyms();
    private final FloodControl flood;
    private final GroupDelivery delivery;
    private final UserSessions sessions;
    private final CrisisResources resources;
    private final Clock clock;
    private final Counter held;
    private final Timer posting;
    private final MeterRegistry metrics;
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();

    public GroupService(
            GroupRepository groups,
            EscalationRepository escalations,
            AuditRepository audit,
            GroupMatcher matcher,
            MessageSentiment sentiment,
            CrisisDetector crisis,
            FloodControl flood,
            GroupDelivery delivery,
            UserSessions sessions,
            CrisisResources resources,
            Clock clock,
            MeterRegistry metrics) {
        this.groups = groups;
        this.escalations = escalations;
        this.audit = audit;
        this.matcher = matcher;
        this.sentiment = sentiment;
        this.crisis = crisis;
        this.flood = flood;
        this.delivery = delivery;
        this.sessions = sessions;
        this.resources = resources;
        this.clock = clock;
        this.held =
                Counter.builder("chakrai_group_messages_held")
                        .description("group messages held for crisis language")
                        .register(metrics);
        this.posting =
                Timer.builder("chakrai_group_message_post")
                        .description(
                                "a group message from arrival to delivery at this instance's sockets (checks, scoring, storing, fan-out)")
                        .publishPercentiles(0.5, 0.99)
                        .register(metrics);
        this.metrics = metrics;
    }

    /**
     * Nanoseconds since {@code from}, recorded as stage {@code name} of posting a message; returns
     * now.
     */
    private long stage(String name, long from) {
        long now = System.nanoTime();
        stages.computeIfAbsent(name, n -> GroupDelivery.stageTimer(metrics, n))
                .record(now - from, TimeUnit.NANOSECONDS);
        return now;
    }

    /** Joining groups shares one's messages with members: it needs the "groups" consent. */
    private void requireConsent(int user) throws SQLException {
        AuditRepository.Consent c = audit.consents(user).get("groups");
        if (c == null || !c.granted()) {
            throw new ApiException(
                    403,
                    "consent_required",
                    "joining therapy groups needs your consent: PUT /api/v2/me/consents "
                            + "{\"kind\": \"groups\", \"granted\": true} (members see your messages under a pseudonym; a facilitator "
                            + "reads a message only when it raised a safety concern)");
        }
    }

    /**
     * The best open group for the caller, or a new forming group they are placed in. Someone whose
     * current risk is critical is not placed in a peer group: a human is alerted and they get
     * crisis resources.
     */
    public MatchReply findMatch(
            int user, SessionType type, List<String> goals, String style, String languages)
            throws SQLException {
        requireConsent(user);
        Optional<GroupRepository.Risk> risk = groups.latestRisk(user);
        if (risk.isPresent() && "critical".equals(risk.get().level())) {
            Optional<Long> id =
                    escalations.insert(
                            new EscalationRepository.New(
                                    "critical_risk",
                                    "critical",
                                    null,
                                    null,
                                    null,
                                    user,
                                    List.of("critical_risk"),
                                    List.of(
                                            "current risk assessment is critical at group matching"),
                                    "api",
                                    "critical_risk:"
                                            + user
                                            + ":"
                                            + LocalDate.now(clock.withZone(ZoneOffset.UTC)),
                                    languages));
            if (id.isPresent()) {
                escalations.recipients(id.get()).ifPresent(delivery::alert);
            }
            return MatchReply.notPlaced(
                    "your latest assessment shows critical risk: a peer group is not the right place right now, "
                            + "and a person from our team has been asked to reach out",
                    "critical_risk",
                    resources.forLanguages(languages));
        }
        Double myRisk = risk.map(GroupRepository.Risk::score).orElse(null);
        GroupMatcher.Seeker seeker = new GroupMatcher.Seeker(type, goals, myRisk);
        List<GroupMatcher.Match> ranked = matcher.rank(seeker, groups.candidates(user, CANDIDATES));
        if (!ranked.isEmpty() && ranked.get(0).score() >= GroupMatcher.MIN_SCORE) {
            GroupMatcher.Match best = ranked.get(0);
            return MatchReply.placed(
                    groups.group(best.group().groupId()).orElseThrow(),
                    best.score(),
                    best.explanation(),
                    false,
                    "POST /api/v2/therapy/groups/" + best.group().groupId() + "/join",
                    null,
                    alternatives(ranked.subList(1, ranked.size())));
        }
        if (groups.activeMemberships(user) >= MAX_GROUPS_PER_PERSON) {
            throw new ApiException(
                    409,
                    "too_many_groups",
                    "you are in "
                            + MAX_GROUPS_PER_PERSON
                            + " groups already; leave one before a new one is formed for you");
        }
        int id = groups.create(type, goals);
        GroupMatcher.Match self =
                matcher.score(seeker, new GroupMatcher.Candidate(id, type, goals, myRisk, 0, 6));
        GroupRepository.Joined j =
                groups.join(id, user, style, goals, self.score(), pseudonyms::next);
        delivery.membersChanged(id);
        return MatchReply.placed(
                j.group(),
                self.score(),
                Map.of(
                        "new_group",
                        "no open group scored "
                                + GroupMatcher.MIN_SCORE
                                + " or more for you, so a new one is forming around your goals; others who match will join it"),
                true,
                null,
                j.member().anonymousId(),
                alternatives(ranked));
    }

    /**
     * What find-match answers: placed in a group (the best match, to join next, or a new group
     * formed around the caller and joined) with up to three alternatives, or not placed and why.
     * What does not apply to the answer is left out of it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MatchReply(
            boolean placed,
            String reason,
            String escalation,
            JsonNode crisisSupport,
            GroupRepository.Group group,
            Double compatibilityScore,
            Map<String, Object> explanation,
            Boolean joined,
            String next,
            String anonymousId,
            List<Alternative> alternatives) {
        static MatchReply notPlaced(String reason, String escalation, JsonNode crisisSupport) {
            return new MatchReply(
                    false,
                    reason,
                    escalation,
                    crisisSupport,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        /**
         * Placed: the best match ({@code joined} false, {@code next} the call that joins it) or a
         * new group formed and joined (with the caller's pseudonym in it).
         */
        static MatchReply placed(
                GroupRepository.Group group,
                double score,
                Map<String, Object> explanation,
                boolean joined,
                String next,
                String anonymousId,
                List<Alternative> alternatives) {
            return new MatchReply(
                    true,
                    null,
                    null,
                    null,
                    group,
                    score,
                    explanation,
                    joined,
                    next,
                    anonymousId,
                    alternatives);
        }
    }

    /** Another open group the caller could join. */
    public record Alternative(
            int groupId, String sessionType, double compatibilityScore, int seatsLeft) {
        /** As an error's detail (a full group's 409 lists the alternatives). */
        Map<String, Object> asDetail() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("group_id", groupId);
            d.put("session_type", sessionType);
            d.put("compatibility_score", compatibilityScore);
            d.put("seats_left", seatsLeft);
            return d;
        }
    }

    private static List<Alternative> alternatives(List<GroupMatcher.Match> ranked) {
        return ranked.subList(0, Math.min(3, ranked.size())).stream()
                .map(
                        m ->
                                new Alternative(
                                        m.group().groupId(),
                                        m.group().type().wire(),
                                        m.score(),
                                        m.group().seats() - m.group().members()))
                .toList();
    }

    public GroupRepository.Joined join(int user, int groupId, String style, List<String> goals)
            throws SQLException {
        requireConsent(user);
        GroupRepository.Group g =
                groups.group(groupId).orElseThrow(() -> ApiException.notFound("group"));
        if (groups.membership(groupId, user).isEmpty()
                && groups.activeMemberships(user) >= MAX_GROUPS_PER_PERSON) {
            throw new ApiException(
                    409,
                    "too_many_groups",
                    "you are in " + MAX_GROUPS_PER_PERSON + " groups already; leave one first");
        }
        List<String> myGoals = goals == null || goals.isEmpty() ? g.therapeuticGoals() : goals;
        Double myRisk = groups.latestRisk(user).map(GroupRepository.Risk::score).orElse(null);
        SessionType type =
                SessionType.fromWire(g.sessionType()).orElse(SessionType.GENERAL_SUPPORT);
        double score =
                matcher.score(
                                new GroupMatcher.Seeker(type, myGoals, myRisk),
                                new GroupMatcher.Candidate(
                                        groupId,
                                        type,
                                        g.therapeuticGoals(),
                                        null,
                                        g.currentParticipants(),
                                        g.maxParticipants()))
                        .score();
        GroupRepository.Joined j =
                groups.join(groupId, user, style, myGoals, score, pseudonyms::next);
        switch (j.outcome()) {
            case NOT_FOUND -> throw ApiException.notFound("group");
            case CLOSED ->
                    throw new ApiException(
                            409,
                            "group_closed",
                            "this group has closed; find another with "
                                    + "POST /api/v2/therapy/groups/find-match");
            case FULL -> {
                List<GroupMatcher.Match> ranked =
                        matcher.rank(
                                new GroupMatcher.Seeker(type, myGoals, myRisk),
                                groups.candidates(user, CANDIDATES));
                List<Map<String, Object>> alts =
                        alternatives(
                                        ranked.stream()
                                                .filter(m -> m.group().groupId() != groupId)
                                                .toList())
                                .stream()
                                .map(Alternative::asDetail)
                                .toList();
                throw new ApiException(
                        409,
                        "group_full",
                        "this group's "
                                + g.maxParticipants()
                                + " seats are taken"
                                + (alts.isEmpty()
                                        ? "; find-match forms a new one for you"
                                        : "; alternatives are listed in details"),
                        alts);
            }
            default -> {
                delivery.membersChanged(groupId);
                return j;
            }
        }
    }

    public void leave(int user, int groupId) throws SQLException {
        if (!groups.leave(groupId, user)) {
            throw ApiException.notFound("group");
        }
        delivery.membersChanged(groupId);
    }

    /** The caller's membership, or 404 exactly as for a group that does not exist. */
    public GroupRepository.Member member(int user, int groupId) throws SQLException {
        return groups.membership(groupId, user).orElseThrow(() -> ApiException.notFound("group"));
    }

    /**
     * The same for someone about to write: from this instance's cache of authors when it knows them
     * (the insert checks the membership again).
     */
    public GroupRepository.Member author(int user, int groupId) throws SQLException {
        return delivery.author(groupId, user).orElseThrow(() -> ApiException.notFound("group"));
    }

    /**
     * The outcome of posting: the stored message, and the crisis support the author gets when it
     * was held.
     */
    /** A stored message and, when it was held, help for its author (the schema's PostedMessage). */
    public record Posted(
            @JsonUnwrapped GroupRepository.Message message,
            @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode crisisSupport) {}

    /**
     * What is wrong with the text of a message of this type (one of {@link #MESSAGE_TYPES}), or
     * empty: stripped, it must be 1 to {@link #MAX_MESSAGE} characters ({@link #MAX_REACTION} for a
     * reaction). The REST route's schema says the first bound too; the WebSocket has no schema, and
     * a reaction's is this rule's alone. Each way in says it in its own field names; {@link #post}
     * takes only a message of a known type with no problem.
     */
    public static Optional<String> messageProblem(String type, String content) {
        String text = content == null ? "" : content.strip();
        int max = "reaction".equals(type) ? MAX_REACTION : MAX_MESSAGE;
        // characters as the REST schema counts them (code points): an emoji is one
        if (text.isEmpty() || text.codePointCount(0, text.length()) > max) {
            return Optional.of(
                    "must be 1 to "
                            + max
                            + " characters"
                            + ("reaction".equals(type) ? " for a reaction" : ""));
        }
        return Optional.empty();
    }

    /**
     * Stores a message from a member, its type and text checked by the way in ({@link
     * #messageProblem}): flood-controlled, scored for sentiment and intensity, checked for crisis
     * language. A message with crisis language is held (stored, never shown to the group), its
     * author gets crisis resources at once on their sockets and in the answer, and an escalation is
     * recorded in the same transaction; any other is delivered to the members connected here at
     * once (other API instances deliver it from the change stream).
     */
    public Posted post(int user, int groupId, String type, String content, String languages)
            throws SQLException {
        long start = System.nanoTime();
        try {
            return postTimed(user, groupId, type, content, languages);
        } finally {
            posting.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Posted postTimed(int user, int groupId, String type, String content, String languages)
            throws SQLException {
        if (!MESSAGE_TYPES.contains(type) || messageProblem(type, content).isPresent()) {
            // each way in says it first, in its own field names
            throw new IllegalArgumentException("a message no way in checked");
        }
        String text = content.strip();
        long t = System.nanoTime();
        GroupRepository.Member author = author(user, groupId);
        t = stage("membership", t);
        long wait = flood.take(author.participantId());
        if (wait > 0) {
            throw ApiException.tooManyRequests(
                    "you are sending messages faster than a conversation can follow; wait "
                            + wait
                            + " s",
                    wait);
        }
        MessageSentiment.Scores scores = sentiment.score(text);
        t = stage("sentiment", t);
        // the author's recent mood matters only to the trend layer, which needs a sign of
        // hopelessness first
        CrisisDetector.Result risk =
                "reaction".equals(type)
                        ? CrisisDetector.Result.none()
                        : crisis.assess(
                                text,
                                CrisisDetector.mayUseTrend(text)
                                        ? groups.recentSentiments(author.participantId(), 5)
                                        : List.of(),
                                scores.sentiment());
        t = stage("crisis", t);
        long[] at = {t}; // the pool_wait stage ends where store begins
        Stored stored = store(groupId, author, user, type, text, scores, risk, languages, at);
        long storing = at[0];
        if (stored == null) {
            // the membership cached here had ended (left on another instance, erased): asked of
            // the database again, 404 when it is not active; active again (left and came back
            // meanwhile), stored once more
            delivery.forgetAuthor(groupId, user);
            author = author(user, groupId);
            at[0] = System.nanoTime();
            stored = store(groupId, author, user, type, text, scores, risk, languages, at);
            if (stored == null) {
                throw ApiException.notFound("group");
            }
        }
        t = stage("store", storing);
        if (!risk.flagged()) {
            delivery.deliver(stored.message());
            stage("deliver", t);
            return new Posted(stored.message(), null);
        }
        held.increment();
        ObjectNode support = resources.forLanguages(languages);
        ObjectNode event =
                support.deepCopy()
                        .put("type", "crisis_support")
                        .put("groupId", groupId)
                        .put("messageId", stored.message().id())
                        .put("held", true);
        sessions.send(user, event.toString());
        if (stored.escalation() != null) {
            escalations.recipients(stored.escalation()).ifPresent(delivery::alert);
        }
        return new Posted(stored.message(), support);
    }

    /** A message stored, and the escalation recorded with it (null: none). */
    private record Stored(GroupRepository.Message message, Long escalation) {}

    /**
     * Stores a message if its author is still an active member (null when not): a message without
     * crisis language by one statement committed on its own (the membership check and the insert in
     * one round trip to a database that may be busy with readings); a held one with its escalation
     * in one transaction.
     */
    private Stored store(
            int groupId,
            GroupRepository.Member author,
            int user,
            String type,
            String text,
            MessageSentiment.Scores scores,
            CrisisDetector.Result risk,
            String languages,
            long[] at)
            throws SQLException {
        // the same guarded insert either way; the wait for a connection is the pool_wait stage,
        // from at[0] to where store begins
        GroupRepository.Work<Optional<GroupRepository.Message>> insert =
                c -> {
                    at[0] = stage("pool_wait", at[0]);
                    return groups.insertMessage(
                            groupId,
                            author,
                            type,
                            text,
                            scores.sentiment(),
                            scores.intensity(),
                            risk.flagged(),
                            c);
                };
        if (!risk.flagged()) {
            return groups.autoCommit(c -> insert.on(c).map(m -> new Stored(m, null)).orElse(null));
        }
        return groups.inTransaction(
                c -> {
                    Optional<GroupRepository.Message> stored = insert.on(c);
                    if (stored.isEmpty()) {
                        return null; // not a member any more: rolled back
                    }
                    Long escalation =
                            escalations
                                    .insert(
                                            c,
                                            new EscalationRepository.New(
                                                    "crisis_language",
                                                    risk.severe() ? "critical" : "high",
                                                    groupId,
                                                    author.participantId(),
                                                    stored.get().id(),
                                                    user,
                                                    risk.concepts().stream()
                                                            .map(CrisisConcept::name)
                                                            .map(String::toLowerCase)
                                                            .toList(),
                                                    risk.reasons(),
                                                    "api",
                                                    "crisis_language:" + stored.get().id(),
                                                    languages))
                                    .orElse(null);
                    return new Stored(stored.get(), escalation);
                });
    }

    /** A page of a group's messages, newest first (the schema's {@code MessagesPage}). */
    public record MessagesPage(List<GroupRepository.Message> messages, String nextCursor) {}

    /** A member's page of the group's messages before {@code after} (null: the newest). */
    public MessagesPage messages(int user, int groupId, Cursor after, int limit)
            throws SQLException {
        member(user, groupId);
        List<GroupRepository.Message> page =
                new ArrayList<>(
                        groups.messages(
                                groupId,
                                after == null ? null : after.timestamp(),
                                after == null ? null : after.id(),
                                limit + 1));
        return new MessagesPage(
                page, Cursor.next(page, limit, m -> new Cursor(m.timestamp(), m.id())));
    }

    /**
     * One of the caller's groups with their pseudonym and style there (the schema's Membership).
     */
    public record Membership(
            @JsonUnwrapped GroupRepository.Group group,
            String anonymousId,
            String participationStyle,
            Instant joinedAt) {}

    /** The caller's groups and open groups they could join (the schema's {@code GroupList}). */
    public record Listing(List<Membership> groups, List<GroupRepository.Group> openGroups) {}

    /** The caller's groups, and open groups of {@code sessionType} (null: any) with a seat. */
    public Listing list(int user, String sessionType, int limit) throws SQLException {
        List<Membership> mine = new ArrayList<>();
        for (GroupRepository.Seat seat : groups.mine(user)) {
            GroupRepository.Member me = seat.me();
            mine.add(
                    new Membership(
                            seat.group(),
                            me.anonymousId(),
                            me.participationStyle(),
                            me.joinedAt()));
        }
        return new Listing(mine, groups.open(user, sessionType, limit));
    }
}
