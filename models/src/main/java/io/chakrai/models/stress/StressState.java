package io.chakrai.models.stress;

/**
 * Everything the detector remembers of one person between minutes: their baseline and how long ago
 * they were last active. {@link #evaluate} is the rule; the Flink job keeps this object in keyed
 * state and the replay evaluation runs the very same code.
 */
public class StressState {
    public PersonalBaseline baseline = new PersonalBaseline();

    /** Minutes since the last active minute (large when never). */
    public int minutesSinceActive = 1_000;

    public long lastMinute = Long.MIN_VALUE;

    /**
     * The person's own model, learned from their answers (null until the first: the rule, or a
     * registered model, judges).
     */
    public PersonalModel personal;

    /**
     * The last judged minute's {@link PersonalModel#features} (not kept in state: an answer brings
     * its own).
     */
    public transient double[] lastFeatures;

    public StressState() {}

    /** Judges a minute, then learns from it if it was calm. */
    public MinuteEvaluation evaluate(MinuteFeatures f, EpisodeThresholds t) {
        return evaluate(f, t, Double.NaN, null);
    }

    /**
     * The same minute judged by a learned model instead of the heart-rate / HRV rule when {@code
     * probability} is a number: a stress minute when the model says so (≥ 0.5) while the rule's
     * gates hold (usable signal, still, not asleep), level 100 × probability, {@code model} named
     * first in the triggers (the rule's signals after it, as the explanation). The baseline learns
     * only from minutes neither calls stress. A person with a {@link #personal} model is judged by
     * it ({@code model:personal}), whatever else is offered.
     */
    public MinuteEvaluation evaluate(
            MinuteFeatures f, EpisodeThresholds t, double probability, String model) {
        if (lastMinute != Long.MIN_VALUE && f.minuteStart() > lastMinute) {
            minutesSinceActive +=
                    (int) Math.min(1_000, (f.minuteStart() - lastMinute) / 60_000L - 1);
        }
        lastMinute = f.minuteStart();
        boolean movingNow =
                f.steps() > t.maxStepsPerMinute()
                        || (Double.isFinite(f.met()) && f.met() > t.maxMet());
        minutesSinceActive = movingNow ? 0 : minutesSinceActive + 1;
        boolean active = movingNow || minutesSinceActive <= t.recoveryMinutes();

        double restHr = baseline.restingHr();
        double restRmssd = baseline.restingRmssd();
        double hrZ = Double.isFinite(f.hr()) ? (f.hr() - restHr) / baseline.hrSd() : Double.NaN;
        double ratio = Double.isFinite(f.rmssd()) ? f.rmssd() / restRmssd : Double.NaN;
        boolean hrUp =
                Double.isFinite(hrZ) && hrZ >= t.hrZ() && f.hr() - restHr >= t.hrMinDeltaBpm();
        boolean hrvDown = Double.isFinite(ratio) && ratio <= t.hrvRatio();
        boolean usable = f.quality() >= t.minQuality() && Double.isFinite(hrZ) && !f.sleeping();
        double edaZ = baseline.edaZ(f.edaTonic());
        boolean edaUp = Double.isFinite(edaZ) && edaZ >= t.edaZ();
        boolean ruleStress =
                usable
                        && !active
                        && (hrUp && (Double.isFinite(ratio) ? hrvDown : hrZ >= t.hrZWithoutHrv())
                                || edaUp && hrZ >= t.hrZWithEda());
        lastFeatures = PersonalModel.features(ruleStress, hrZ, ratio, edaZ);
        if (personal != null && personal.ready()) {
            probability = personal.probability(lastFeatures);
            model = "personal";
        }
        boolean learned = Double.isFinite(probability);
        boolean stress = learned ? usable && !active && probability >= 0.5 : ruleStress;

        StringBuilder triggers = new StringBuilder(learned && stress ? "model:" + model : "");
        if (hrUp) {
            triggers.append(triggers.isEmpty() ? "" : ",");
            triggers.append("heart_rate_elevated");
        }
        if (hrvDown) {
            triggers.append(triggers.isEmpty() ? "" : ",").append("hrv_suppressed");
        }
        if (edaUp) {
            triggers.append(triggers.isEmpty() ? "" : ",").append("skin_conductance_elevated");
        }
        if (stress && !learned && !Double.isFinite(ratio) && !edaUp) {
            triggers.append(",no_hrv_measurement");
        }

        int level =
                learned
                        ? (int)
                                Math.round(
                                        100
                                                * (stress
                                                        ? Math.max(0.5, probability)
                                                        : Math.min(0.49, probability)))
                        : level(hrZ, ratio, stress);
        double confidence = confidence(f, ratio);

        if (usable && !active && !hrUp && !hrvDown && !stress) {
            baseline.addCalm(f.hr(), f.rmssd());
        }
        if (!active && !stress && !edaUp && !f.sleeping()) {
            baseline.addCalmEda(f.edaTonic());
        }
        return new MinuteEvaluation(
                f.userId(),
                f.minuteStart(),
                f.hr(),
                f.rmssd(),
                restHr,
                restRmssd,
                hrZ,
                ratio,
                active,
                stress,
                level,
                confidence,
                triggers.toString(),
                false);
    }

    /** 0..100: how far heart rate and HRV are from the person's rest, 50+ for a stress minute. */
    static int level(double hrZ, double ratio, boolean stress) {
        if (!Double.isFinite(hrZ)) {
            return 0;
        }
        double hrPart = Math.max(0, Math.min(1, hrZ / 5));
        double hrvPart =
                Double.isFinite(ratio) ? Math.max(0, Math.min(1, (1 - ratio) / 0.6)) : hrPart * 0.5;
        double score = 100 * (0.55 * hrPart + 0.45 * hrvPart);
        if (stress) {
            score = 50 + score / 2;
        } else {
            score = Math.min(score, 49);
        }
        return (int) Math.round(Math.max(0, Math.min(100, score)));
    }

    /**
     * More confident with good signal quality, an HRV measurement, and a baseline of the person's
     * own.
     */
    double confidence(MinuteFeatures f, double ratio) {
        double c =
                0.35
                        + 0.3 * baseline.personalWeight()
                        + 0.15 * Math.min(1, f.quality())
                        + (Double.isFinite(ratio) ? 0.15 : 0);
        return Math.round(Math.min(0.95, c) * 100) / 100.0;
    }
}
