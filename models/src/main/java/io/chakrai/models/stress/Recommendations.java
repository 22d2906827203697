package io.chakrai.models.stress;

import io.chakrai.models.content.WhatHelps;
import java.util.ArrayList;
import java.util.List;

/** Concrete preventive actions for a stress episode, chosen by what fired and how strongly. */
public final class Recommendations {
    private Recommendations() {}

    public static List<String> forEpisode(int level, String triggers, boolean sleepDebt) {
        List<String> out = new ArrayList<>();
        out.add(
                "Paced breathing 4-7-8: breathe in for 4 s, hold for 7 s, out for 8 s; four rounds");
        if (triggers.contains("hrv_suppressed")) {
            out.add(
                    "Slow breathing at 6 breaths a minute for 5 minutes (resonance breathing raises HRV)");
        }
        if (level >= 70) {
            out.add("Step away for a 10-minute walk outside, without your phone");
        } else {
            out.add("A short walk or a stretch break of 5 minutes");
        }
        out.add("Drink a glass of water and relax your shoulders and jaw");
        if (sleepDebt) {
            out.add("Plan an earlier night: you slept less than usual");
        }
        return out;
    }

    /** The intervention offered for a prediction: its type, the text shown, and its urgency. */
    public record Intervention(String type, String content, String urgency) {}

    public static Intervention intervention(int level) {
        if (level >= 80) {
            return new Intervention(
                    "breathing_478",
                    "Your body shows strong stress right now. Let's do four rounds of "
                            + "4-7-8 breathing together: in for 4, hold for 7, out for 8.",
                    "high");
        }
        if (level >= 65) {
            return new Intervention(
                    "breathing_478",
                    "Your heart rate is up and your HRV is down while you are still. "
                            + "A minute of 4-7-8 breathing can help.",
                    "medium");
        }
        return new Intervention(
                "short_walk",
                "Signs of stress are building. A five-minute walk or stretch may help.",
                "low");
    }

    /**
     * What measurably helped this person (or, now and then, a kind they have hardly tried):
     * intervention type {@code content_<kind>} (the app opens or generates a piece of that kind),
     * urgency from the level as above.
     */
    public static Intervention personal(int level, WhatHelps.Offer offer) {
        return new Intervention(
                "content_" + offer.kind().wire(), offer.text(), intervention(level).urgency());
    }
}
