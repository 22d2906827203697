package io.chakrai.models.content;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What to offer a person in a stress episode, from what their own body did after each kind of
 * content: the kind with the best measured effectiveness (shrunk towards neutral while there are
 * few sessions, so one lucky session does not decide), and now and then — a stated share of offers
 * — the kind they have tried least, so a kind that might help more gets its chance
 * (epsilon-greedy). The draw is a hash of the person and the moment, not a random generator: the
 * same input gives the same offers after a restart or a replay. Nothing measured yet: no offer (the
 * detector's own breathing / walk advice stands).
 */
public final class WhatHelps implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sessions' worth of neutral (0.5) evidence each kind starts with. */
    static final double PRIOR_SESSIONS = 2;

    /** A kind must beat neutral by this much to be offered as "what helps you". */
    static final double BETTER_THAN_NEUTRAL = 0.05;

    private final Map<ContentType, double[]> tried =
            new EnumMap<>(ContentType.class); // {sessions, sum effectiveness, sum hr change, hr n}

    /**
     * One measured session of a kind: effectiveness 0..1 and the heart-rate change (NaN if
     * unknown).
     */
    public void add(ContentType kind, double effectiveness, double hrChange) {
        double[] t = tried.computeIfAbsent(kind, k -> new double[4]);
        t[0]++;
        t[1] += effectiveness;
        if (!Double.isNaN(hrChange)) {
            t[2] += hrChange;
            t[3]++;
        }
    }

    public int sessions(ContentType kind) {
        double[] t = tried.get(kind);
        return t == null ? 0 : (int) t[0];
    }

    /** Mean effectiveness shrunk towards 0.5 by {@link #PRIOR_SESSIONS}. */
    public double score(ContentType kind) {
        double[] t = tried.get(kind);
        return t == null ? 0.5 : (t[1] + 0.5 * PRIOR_SESSIONS) / (t[0] + PRIOR_SESSIONS);
    }

    /**
     * An offer of a kind of content, with why.
     *
     * @param kind what to offer
     * @param explored true when offered to find out (not because it is known to help)
     * @param sessions this person's measured sessions of the kind
     * @param score its shrunk mean effectiveness
     * @param hrChange their mean heart-rate change after it (NaN if unknown)
     */
    public record Offer(
            ContentType kind, boolean explored, int sessions, double score, double hrChange)
            implements Serializable {
        /** The words the person sees. */
        public String text() {
            String what =
                    switch (kind) {
                        case MEDITATION -> "a short guided meditation";
                        case WORKSHEET -> "a short worksheet to sort out what is on your mind";
                        case STORY -> "a short story written for you";
                    };
            if (explored) {
                return "Signs of stress are building. Something you have not tried much: "
                        + what
                        + ". Try it and we will see together whether it helps you.";
            }
            String evidence =
                    !Double.isNaN(hrChange) && hrChange < -0.5
                            ? String.format(
                                    Locale.ROOT,
                                    "your heart rate fell by %.0f bpm on average afterwards",
                                    -hrChange)
                            : "it has helped you before";
            return "Signs of stress are building. What helps you: "
                    + what
                    + " ("
                    + evidence
                    + ", "
                    + sessions
                    + (sessions == 1 ? " time" : " times")
                    + "). Shall we start one?";
        }
    }

    /**
     * The offer for a moment, or null when nothing has been measured or nothing beats neutral.
     *
     * @param seed the person and the moment (e.g. user id and prediction time)
     * @param explore share of offers that try the least-tried kind instead, 0..1
     */
    public Offer choose(long seed, double explore) {
        if (tried.isEmpty()) {
            return null;
        }
        ContentType best = null;
        for (ContentType k : ContentType.values()) {
            if (best == null || score(k) > score(best)) {
                best = k;
            }
        }
        if (explores(seed, explore)) {
            ContentType least = null;
            for (ContentType k : ContentType.values()) {
                if (k != best && (least == null || sessions(k) < sessions(least))) {
                    least = k;
                }
            }
            return offer(least, true);
        }
        return score(best) >= 0.5 + BETTER_THAN_NEUTRAL ? offer(best, false) : null;
    }

    private Offer offer(ContentType k, boolean explored) {
        double[] t = tried.get(k);
        double hr = t == null || t[3] == 0 ? Double.NaN : t[2] / t[3];
        return new Offer(k, explored, sessions(k), Math.round(score(k) * 1000) / 1000.0, hr);
    }

    /**
     * The draw's seed for a person at a moment (the onset minute's start, epoch ms): the same
     * moment, the same offer.
     */
    public static long seed(int userId, long minuteStart) {
        return userId * 1_000_003L ^ minuteStart;
    }

    /**
     * Whether the offer for this seed tries the least-tried kind instead of the best (a share
     * {@code explore} of them).
     */
    public static boolean explores(long seed, double explore) {
        return draw(seed) < explore;
    }

    /** A uniform number in [0, 1) from the seed (SplitMix64's finaliser). */
    static double draw(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
