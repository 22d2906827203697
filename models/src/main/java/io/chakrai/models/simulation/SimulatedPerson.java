package io.chakrai.models.simulation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.content.ContentType;
import io.chakrai.models.readings.DataType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A wearer's physiology, step by step: resting heart rate and HRV (RMSSD) of their own, and periods
 * of rest, exercise, sleep and stress that change them the way wearable studies describe. Exercise
 * raises heart rate with steps and METs; stress raises heart rate and suppresses HRV while the
 * person sits still; sleep lowers heart rate, raises HRV and reports sleep stages. Seeded, so a run
 * can be replayed.
 */
public final class SimulatedPerson {
    /** One generated value, before it is addressed to a device. */
    public record Sample(DataType type, double value, Instant timestamp, Activity activity) {
        /**
         * This value as a watch's app posts it, addressed to {@code deviceId}, appended to {@code
         * batch} (the simulator, the benchmarks and the failover run all post this shape); returns
         * the item, for a caller to add metadata.
         */
        public ObjectNode addTo(ArrayNode batch, int deviceId) {
            ObjectNode r = batch.addObject();
            r.put("device_id", deviceId);
            r.put("data_type", type.wireName());
            r.put("value", value);
            r.put("unit", type.unit());
            r.put("quality", 0.95);
            r.put("timestamp", timestamp.toString());
            return r;
        }
    }

    private final SplittableRandom random;
    private final double restingHr;
    private final double baselineRmssd;
    private final double skinTemp;
    private final double stressShare;
    private Activity activity = Activity.REST;
    private Instant activityEnds;
    private double hr;
    private double rmssd;
    private int sleepStage = 1;
    private Instant lastMinute;
    private Instant lastPhysiology;

    /**
     * How much each kind of content calms this person (bpm their heart rate falls by afterwards, at
     * rest).
     */
    private final double[] contentEffect = new double[ContentType.values().length];

    private double calmBy;
    private Instant calmUntil = Instant.MIN;

    /**
     * Skin conductance, when the wearable measures it: its own random stream, so the rest replays
     * unchanged.
     */
    private final SplittableRandom skin;

    private final double tonicEda;
    private boolean measuresEda;
    private double scl;
    private Instant lastEda;
    private final List<double[]> responses = new ArrayList<>(); // {onset epoch ms, amplitude µS}

    /**
     * A latent mood, when switched on: its own random streams, so the rest replays unchanged
     * without it.
     */
    private SplittableRandom moodRandom;

    private SplittableRandom answers;
    private double moodTrait;
    private long moodFirstDay = Long.MIN_VALUE;
    private final List<Double> moodByDay = new ArrayList<>();

    /**
     * @param seed replayable randomness
     * @param stressShare share of non-sleep periods that are stress (0..1)
     * @param start the simulated clock's start
     */
    public SimulatedPerson(long seed, double stressShare, Instant start) {
        this.random = new SplittableRandom(seed);
        this.restingHr = 55 + random.nextDouble() * 20;
        this.baselineRmssd = 25 + random.nextDouble() * 45;
        this.skinTemp = 32.8 + random.nextDouble() * 1.4;
        this.stressShare = stressShare;
        this.hr = restingHr;
        this.rmssd = baselineRmssd;
        this.activityEnds = start.plus(minutes(5, 15));
        this.lastMinute = start;
        this.lastPhysiology = start;
        // a stream of its own, so the physiology above replays exactly as before: most people calm
        // down after a
        // guided meditation, fewer after a worksheet, and a story is a coin toss (some are stirred
        // up by it)
        this.skin = new SplittableRandom(seed * 17 + 5);
        this.tonicEda = 1 + skin.nextDouble() * 7;
        this.scl = tonicEda;
        this.lastEda = start;
        SplittableRandom taste = new SplittableRandom(seed * 31 + 7);
        contentEffect[ContentType.MEDITATION.ordinal()] = 2 + taste.nextDouble() * 8;
        contentEffect[ContentType.WORKSHEET.ordinal()] = -1 + taste.nextDouble() * 6;
        contentEffect[ContentType.STORY.ordinal()] = -3 + taste.nextDouble() * 6;
    }

    /**
     * From now on the wearable also reports skin conductance (EDA, µS): a tonic level of the
     * person's own that rises under stress (and with the sweat of exercise) and falls in sleep,
     * with phasic responses (2 s rise, slow recovery) about 1.5 a minute at rest, 8 under stress, 4
     * in exercise. Once a second while steps are that close; for coarser steps (a history upload)
     * one value a step.
     */
    public SimulatedPerson measuringEda() {
        measuresEda = true;
        return this;
    }

    /**
     * From now on the person has a latent mood (higher = lower mood): a trait of their own plus a
     * day-to-day state that drifts back towards it (an AR(1) process over days, 0.85 a day, so a
     * low spell lasts a week or two). A lower mood brings more stress periods, less exercise (fewer
     * steps), less sleep, a resting heart rate up by 2.5 bpm and RMSSD down by 12 % per unit — the
     * directions depression and anxiety studies with wearables report, not their sizes — and higher
     * PHQ-9 / GAD-7 answers ({@link #questionnaires}). For simulation only: what a model learns
     * from these people says nothing about real ones.
     */
    public SimulatedPerson withMood() {
        moodRandom = new SplittableRandom(seedOf(restingHr) * 41 + 13);
        answers = new SplittableRandom(seedOf(restingHr) * 43 + 17);
        moodTrait = gaussian(moodRandom) * 0.7;
        return this;
    }

    /**
     * The latent mood on the day of {@code at} (0 without {@link #withMood}); the same whatever
     * order days are asked in.
     */
    public double mood(Instant at) {
        if (moodRandom == null) {
            return 0;
        }
        long day = Math.floorDiv(at.getEpochSecond(), 86_400);
        if (moodFirstDay == Long.MIN_VALUE) {
            moodFirstDay = day;
            moodByDay.add(gaussian(moodRandom) * 0.95);
        }
        while (moodFirstDay + moodByDay.size() <= day) {
            moodByDay.add(0.85 * moodByDay.get(moodByDay.size() - 1) + 0.5 * gaussian(moodRandom));
        }
        return moodTrait + moodByDay.get((int) Math.max(0, day - moodFirstDay));
    }

    /**
     * The person answers PHQ-9 and GAD-7 now: {phq9[9], gad7[7]}, items 0–3, their expected totals
     * rising with the mood (PHQ-9 about 7 + 5 per unit, GAD-7 6 + 4, each with noise of its own);
     * thoughts of self-harm (PHQ-9 item 9) stay rare. Needs {@link #withMood}.
     */
    public int[][] questionnaires(Instant at) {
        if (answers == null) {
            throw new IllegalStateException("questionnaires need withMood()");
        }
        double m = mood(at);
        double phq = Math.max(0, Math.min(0.95, (7 + 5 * m + 2 * gaussian(answers)) / 26));
        double gad = Math.max(0, Math.min(0.95, (6 + 4 * m + 2 * gaussian(answers)) / 21));
        int[] p = new int[9];
        for (int i = 0; i < 9; i++) {
            p[i] = binomial3(i == 8 ? phq * 0.1 : phq);
        }
        int[] g = new int[7];
        for (int i = 0; i < 7; i++) {
            g[i] = binomial3(gad);
        }
        return new int[][] {p, g};
    }

    private int binomial3(double p) {
        int n = 0;
        for (int k = 0; k < 3; k++) {
            n += answers.nextDouble() < p ? 1 : 0;
        }
        return n;
    }

    private static long seedOf(double v) {
        return Double.doubleToLongBits(v);
    }

    /**
     * The bpm by which this person's heart rate falls at rest after a session of a kind (negative:
     * rises).
     */
    public double contentEffect(ContentType kind) {
        return contentEffect[kind.ordinal()];
    }

    /**
     * A session of content has just ended: the person stays at rest for {@code lasts}, their heart
     * rate {@link #contentEffect} bpm lower than usual and RMSSD higher in proportion (a
     * physiological response, as breathing practice gives); a negative effect stirs them up
     * instead.
     */
    public void afterContent(ContentType kind, Instant now, Duration lasts) {
        calmBy = contentEffect(kind);
        calmUntil = now.plus(lasts);
        startActivity(Activity.REST, now, lasts);
    }

    public Activity activity() {
        return activity;
    }

    public double restingHr() {
        return restingHr;
    }

    public double baselineRmssd() {
        return baselineRmssd;
    }

    /** Forces the next period, e.g. to script calm → stress → recovery in a test or a demo. */
    public void startActivity(Activity next, Instant now, Duration length) {
        activity = next;
        activityEnds = now.plus(length);
    }

    /**
     * Advances to {@code now} and returns what the wearable reports: a heart rate every call, and
     * once a minute HRV, steps, activity (METs), skin temperature and, while asleep, the sleep
     * stage.
     */
    public List<Sample> step(Instant now) {
        if (!now.isBefore(activityEnds)) {
            nextActivity(now);
        }
        double targetHr;
        double targetRmssd;
        double m = mood(now);
        double restingHr = this.restingHr + 2.5 * m;
        double baselineRmssd = this.baselineRmssd * Math.max(0.5, 1 - 0.12 * m);
        switch (activity) {
            case EXERCISE -> {
                targetHr = restingHr + 55 + random.nextDouble() * 25;
                targetRmssd = baselineRmssd * 0.35;
            }
            case STRESS -> {
                targetHr = restingHr + 18 + random.nextDouble() * 10;
                targetRmssd = baselineRmssd * 0.55;
            }
            case SLEEP -> {
                targetHr = restingHr - 8;
                targetRmssd = baselineRmssd * 1.2;
            }
            default -> {
                double calm = now.isBefore(calmUntil) ? calmBy : 0;
                targetHr = restingHr + random.nextDouble() * 4 - calm;
                targetRmssd = baselineRmssd * (1 + calm / 40);
            }
        }
        // physiology follows with a lag of a minute or two, plus beat-to-beat noise; a coarse step
        // (a history upload)
        // advances it a minute at a time and reports where it ended, so its values spread as a
        // minute's would
        long gap = Duration.between(lastPhysiology, now).toSeconds();
        lastPhysiology = now;
        for (long k = gap >= 120 ? Math.min(60, gap / 60) : 1; k > 0; k--) {
            hr += (targetHr - hr) * 0.15 + gaussian() * 1.5;
            rmssd += (targetRmssd - rmssd) * 0.1 + gaussian() * 1.0;
            hr = clamp(hr, 38, 200);
            rmssd = clamp(rmssd, 5, 200);
        }

        List<Sample> out = new ArrayList<>(6);
        out.add(new Sample(DataType.HEART_RATE, round(hr, 0), now, activity));
        if (measuresEda) {
            eda(now, out);
        }
        long seconds = Duration.between(lastMinute, now).toSeconds();
        if (seconds >= 60) {
            // once a minute; a coarser step (a history upload) reports the steps of the whole
            // interval and a sleep
            // stage for each of its minutes, so the day's figures come out as with a reading a
            // minute
            // at most an hour's worth: after a long pause (the process stopped), a watch reports
            // from now, not a burst
            int minutes = (int) Math.min(60, seconds / 60);
            lastMinute = now;
            out.add(new Sample(DataType.HRV, round(rmssd, 1), now, activity));
            double steps =
                    switch (activity) {
                        case EXERCISE -> 110 + random.nextInt(50);
                        case REST -> random.nextInt(100) < 20 ? random.nextInt(40) : 0;
                        default -> 0;
                    };
            out.add(new Sample(DataType.STEPS, steps * minutes, now, activity));
            double met =
                    switch (activity) {
                        case EXERCISE -> 6 + random.nextDouble() * 4;
                        case SLEEP -> 0.9;
                        case STRESS -> 1.2 + random.nextDouble() * 0.2;
                        default -> 1.0 + random.nextDouble() * 0.5;
                    };
            out.add(new Sample(DataType.ACTIVITY, round(met, 1), now, activity));
            double temp =
                    skinTemp
                            + (activity == Activity.SLEEP ? 0.6 : 0)
                            - (activity == Activity.STRESS ? 0.4 : 0)
                            + gaussian() * 0.1;
            out.add(new Sample(DataType.SKIN_TEMPERATURE, round(temp, 2), now, activity));
            if (activity == Activity.SLEEP) {
                for (int k = minutes - 1; k >= 0; k--) {
                    sleepStage = nextSleepStage();
                    out.add(
                            new Sample(
                                    DataType.SLEEP_STAGE,
                                    sleepStage,
                                    now.minusSeconds(60L * k),
                                    activity));
                }
            }
        }
        return out;
    }

    private void eda(Instant now, List<Sample> out) {
        long from = lastEda.toEpochMilli();
        long to = now.toEpochMilli();
        if (to <= from) {
            return;
        }
        lastEda = now;
        double level =
                switch (activity) {
                    case STRESS -> 1.35;
                    case EXERCISE -> 1.6;
                    case SLEEP -> 0.8;
                    default -> 1.0;
                };
        double perMinute =
                switch (activity) {
                    case STRESS -> 8;
                    case EXERCISE -> 4;
                    case SLEEP -> 0.5;
                    default -> 1.5;
                };
        double meanAmplitude = activity == Activity.STRESS ? 0.3 : 0.12;
        // new responses in the elapsed time: a Poisson process, onsets spread over it
        double expected = perMinute * (to - from) / 60_000.0;
        for (double u = -Math.log(1 - skin.nextDouble());
                u < expected;
                u += -Math.log(1 - skin.nextDouble())) {
            responses.add(
                    new double[] {
                        from + (to - from) * u / expected,
                        -meanAmplitude * Math.log(1 - skin.nextDouble())
                    });
        }
        responses.removeIf(r -> to - r[0] > 60_000);
        long step = to - from <= 10_000 ? 1_000 : to - from;
        for (long t = from + step; t <= to; t += step) {
            scl += (tonicEda * level - scl) * Math.min(1, step / 120_000.0);
            double v = scl;
            for (double[] r : responses) {
                double d = (t - r[0]) / 1000.0;
                if (d >= 0) {
                    v += d < 2 ? r[1] * d / 2 : r[1] * Math.exp(-(d - 2) / 4);
                }
            }
            out.add(
                    new Sample(
                            DataType.EDA,
                            round(Math.max(0.01, v + skin.nextDouble() * 0.004 - 0.002), 3),
                            Instant.ofEpochMilli(t),
                            activity));
        }
    }

    private void nextActivity(Instant now) {
        double r = random.nextDouble();
        double m = mood(now);
        double stress =
                moodRandom == null ? stressShare : clamp(stressShare * (1 + 0.6 * m), 0.02, 0.6);
        double exercise = moodRandom == null ? 0.25 : clamp(0.25 * (1 - 0.35 * m), 0.05, 0.45);
        double sleep = moodRandom == null ? 0.10 : clamp(0.10 * (1 - 0.3 * m), 0.03, 0.2);
        if (activity != Activity.REST) {
            activity = Activity.REST;
            activityEnds = now.plus(minutes(10, 25));
        } else if (r < stress) {
            activity = Activity.STRESS;
            activityEnds = now.plus(minutes(6, 12));
        } else if (r < stress + exercise) {
            activity = Activity.EXERCISE;
            activityEnds = now.plus(minutes(5, 15));
        } else if (r < stress + exercise + sleep) {
            activity = Activity.SLEEP;
            activityEnds = now.plus(minutes(20, 40));
            sleepStage = 1;
        } else {
            activityEnds = now.plus(minutes(10, 25));
        }
    }

    private int nextSleepStage() {
        // light sleep most of the time, with deep and REM cycles and brief wakings
        double r = random.nextDouble();
        return switch (sleepStage) {
            case 1 -> r < 0.7 ? 1 : r < 0.85 ? 2 : r < 0.97 ? 3 : 0;
            case 2 -> r < 0.75 ? 2 : 1;
            case 3 -> r < 0.7 ? 3 : 1;
            default -> 1;
        };
    }

    private Duration minutes(int min, int max) {
        return Duration.ofSeconds(60L * min + random.nextInt(60 * (max - min + 1)));
    }

    private double gaussian() {
        return gaussian(random);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller on the seeded generator
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
