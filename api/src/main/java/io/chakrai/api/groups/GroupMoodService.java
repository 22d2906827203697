package io.chakrai.api.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chakrai.api.http.ApiException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A group's mood as the group-dynamics job keeps it: members see the group's; facilitators and
 * clinicians also each pseudonym's.
 */
public final class GroupMoodService {
    static final String ABOUT =
            "windows of the group's mood from the group-dynamics job (5 minutes each, message-weighted); "
                    + "trend: the slope of mean sentiment over the last windows";

    /** How many of the last windows the trend is drawn through. */
    static final int TREND_WINDOWS = 12;

    private final GroupService members;
    private final GroupRepository groups;
    private final GroupMoodRepository mood;
    private final Clock clock;

    public GroupMoodService(
            GroupService members, GroupRepository groups, GroupMoodRepository mood, Clock clock) {
        this.members = members;
        this.groups = groups;
        this.mood = mood;
        this.clock = clock;
    }

    /** The schema's {@code GroupMood}; {@code members} only for staff. */
    public record Mood(
            int groupId,
            List<GroupMoodRepository.Window> windows,
            Trend trend,
            GroupMoodRepository.Engagement engagement,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<GroupMoodRepository.MemberMood> members,
            String about) {}

    /**
     * Where mean sentiment is heading: the least-squares slope over the last (up to) {@link
     * #TREND_WINDOWS} windows; {@code unknown} with fewer than two.
     */
    public record Trend(String direction, Double slopePerWindow, int windows) {
        static Trend of(List<GroupMoodRepository.Window> all) {
            List<GroupMoodRepository.Window> w =
                    all.subList(Math.max(0, all.size() - TREND_WINDOWS), all.size());
            if (w.size() < 2) {
                return new Trend("unknown", null, w.size());
            }
            double mx = (w.size() - 1) / 2.0;
            double my =
                    w.stream()
                            .mapToDouble(GroupMoodRepository.Window::meanSentiment)
                            .average()
                            .orElse(0);
            double num = 0;
            double den = 0;
            for (int i = 0; i < w.size(); i++) {
                num += (i - mx) * (w.get(i).meanSentiment() - my);
                den += (i - mx) * (i - mx);
            }
            double slope = num / den;
            String direction = slope > 0.02 ? "rising" : slope < -0.02 ? "falling" : "steady";
            return new Trend(direction, GroupMoodRepository.round(slope), w.size());
        }
    }

    /** A group whose mood the caller may see, found by {@link #visible}; staff see each part. */
    public record Visible(int groupId, boolean staff) {}

    /** 404 unless the caller is a member of the group, or staff and the group exists. */
    public Visible visible(int caller, boolean staff, int groupId) throws SQLException {
        if (!staff) {
            members.member(caller, groupId);
        } else if (groups.group(groupId).isEmpty()) {
            throw ApiException.notFound("group");
        }
        return new Visible(groupId, staff);
    }

    /** The last {@code hours} of a visible group's mood, each pseudonym's part for staff. */
    public Mood of(Visible group, int hours) throws SQLException {
        int groupId = group.groupId();
        boolean staff = group.staff();
        Instant now = clock.instant();
        Instant from = now.minus(Duration.ofHours(hours));
        List<GroupMoodRepository.Window> windows = mood.windows(groupId, from);
        return new Mood(
                groupId,
                windows,
                Trend.of(windows),
                mood.engagement(groupId, now.minus(Duration.ofHours(1))),
                staff ? mood.perMember(groupId, from) : null,
                ABOUT);
    }
}
