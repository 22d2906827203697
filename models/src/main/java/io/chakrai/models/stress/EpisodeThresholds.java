package io.chakrai.models.stress;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What counts as a stress minute and an episode. Configuration, not literals in the job: the stress
 * episode job takes every field as a flag, and the replay evaluation fits them on other people.
 *
 * @param hrZ heart rate at least this many robust SDs above the personal resting baseline
 * @param hrMinDeltaBpm … and at least this many bpm above it
 * @param hrvRatio RMSSD at most this fraction of the personal baseline (when HRV is measured)
 * @param hrZWithoutHrv a stricter heart-rate bar used for minutes without an HRV measurement
 * @param maxStepsPerMinute more steps than this in a minute is activity, not stress
 * @param maxMet a higher activity level (METs) is exercise, not stress
 * @param recoveryMinutes minutes after activity during which a raised heart rate is still recovery
 * @param minQuality readings below this quality x confidence are skipped
 * @param consecutiveMinutes stress minutes in a row that make an episode
 * @param within … all within this time
 * @param interventionLevel a prediction at or above this level (0..100) triggers an intervention
 * @param interventionGap at most one intervention per user within this time
 * @param edaZ skin conductance (tonic level) at least this many robust SDs above the person's calm
 *     level is a second road to a stress minute (infinite: off)
 * @param hrZWithEda … together with heart rate at least this many robust SDs above rest
 */
public record EpisodeThresholds(
        double hrZ,
        double hrMinDeltaBpm,
        double hrvRatio,
        double hrZWithoutHrv,
        double maxStepsPerMinute,
        double maxMet,
        int recoveryMinutes,
        double minQuality,
        int consecutiveMinutes,
        Duration within,
        int interventionLevel,
        Duration interventionGap,
        double edaZ,
        double hrZWithEda)
        implements Serializable {

    public static final EpisodeThresholds DEFAULT =
            new EpisodeThresholds(
                    1.5,
                    6,
                    0.8,
                    2.5,
                    30,
                    2.0,
                    5,
                    0.3,
                    3,
                    Duration.ofMinutes(5),
                    60,
                    Duration.ofMinutes(30),
                    1.0,
                    1.0);

    public EpisodeThresholds {
        if (consecutiveMinutes < 1) {
            throw new IllegalArgumentException("consecutiveMinutes must be at least 1");
        }
        if (within.toMinutes() < consecutiveMinutes) {
            throw new IllegalArgumentException(
                    "within must be at least consecutiveMinutes minutes");
        }
        if (hrvRatio <= 0 || hrvRatio > 1.5 || minQuality < 0 || minQuality > 1) {
            throw new IllegalArgumentException(
                    "hrvRatio must be in (0, 1.5] and minQuality in [0, 1]");
        }
    }

    public EpisodeThresholds withHr(double z, double minDelta, double ratio) {
        return new EpisodeThresholds(
                z,
                minDelta,
                ratio,
                hrZWithoutHrv,
                maxStepsPerMinute,
                maxMet,
                recoveryMinutes,
                minQuality,
                consecutiveMinutes,
                within,
                interventionLevel,
                interventionGap,
                edaZ,
                hrZWithEda);
    }

    public EpisodeThresholds withConsecutive(int minutes, double zWithoutHrv) {
        return new EpisodeThresholds(
                hrZ,
                hrMinDeltaBpm,
                hrvRatio,
                zWithoutHrv,
                maxStepsPerMinute,
                maxMet,
                recoveryMinutes,
                minQuality,
                minutes,
                Duration.ofMinutes(Math.max(within.toMinutes(), minutes + 2L)),
                interventionLevel,
                interventionGap,
                edaZ,
                hrZWithEda);
    }

    public EpisodeThresholds withEda(double z, double hrZWith) {
        return new EpisodeThresholds(
                hrZ,
                hrMinDeltaBpm,
                hrvRatio,
                hrZWithoutHrv,
                maxStepsPerMinute,
                maxMet,
                recoveryMinutes,
                minQuality,
                consecutiveMinutes,
                within,
                interventionLevel,
                interventionGap,
                z,
                hrZWith);
    }

    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("stress.hr.z", Double.toString(hrZ));
        m.put("stress.hr.min.delta.bpm", Double.toString(hrMinDeltaBpm));
        m.put("stress.hrv.ratio", Double.toString(hrvRatio));
        m.put("stress.hr.z.without.hrv", Double.toString(hrZWithoutHrv));
        m.put("stress.max.steps.per.minute", Double.toString(maxStepsPerMinute));
        m.put("stress.max.met", Double.toString(maxMet));
        m.put("stress.recovery.minutes", Integer.toString(recoveryMinutes));
        m.put("stress.min.quality", Double.toString(minQuality));
        m.put("stress.consecutive.minutes", Integer.toString(consecutiveMinutes));
        m.put("stress.within", within.toString());
        m.put("stress.intervention.level", Integer.toString(interventionLevel));
        m.put("stress.intervention.gap", interventionGap.toString());
        m.put("stress.eda.z", Double.toString(edaZ));
        m.put("stress.hr.z.with.eda", Double.toString(hrZWithEda));
        return m;
    }
}
